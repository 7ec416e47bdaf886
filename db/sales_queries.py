"""Purchases, their lines, returns, and a customer's purchase history."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one, scalar


def insert_purchase(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "purchases", values)


def insert_purchase_lines(db: Database, purchase_id: int, lines: list[dict[str, Any]]) -> None:
    if not lines:
        return
    cols = ["purchase_id", *lines[0].keys()]
    marks = ", ".join("?" for _ in cols)
    db.conn.executemany(
        f"INSERT INTO purchase_lines ({', '.join(cols)}) VALUES ({marks})",
        [[purchase_id, *line.values()] for line in lines],
    )


def get_first_sale_at(db: Database) -> str | None:
    """When the shop's earliest recorded sale happened (UTC ISO text; None before the first sale). Indexed."""
    value = scalar(db, "SELECT min(occurred_at) FROM purchases")
    return None if value is None else str(value)


def get_purchase(db: Database, purchase_id: int) -> Row | None:
    return one(db, "SELECT p.*, s.name AS store FROM purchases p LEFT JOIN stores s ON s.id = p.store_id "
                   "WHERE p.id = ?", (purchase_id,))


def get_purchase_by_uuid(db: Database, uuid: str) -> Row | None:
    return one(db, "SELECT * FROM purchases WHERE uuid = ?", (uuid,))


def get_purchase_by_external_id(db: Database, source: str, external_id: str) -> Row | None:
    return one(db, "SELECT * FROM purchases WHERE source = ? AND external_id = ?", (source, external_id))


def list_purchase_lines(db: Database, purchase_id: int) -> list[Row]:
    return many(
        db,
        "SELECT l.*, p.sku, p.name, p.size FROM purchase_lines l JOIN products p ON p.id = l.product_id "
        "WHERE l.purchase_id = ? ORDER BY l.line_no",
        (purchase_id,),
    )


def add_returned_qty(db: Database, line_id: int, qty: int) -> None:
    db.conn.execute("UPDATE purchase_lines SET returned_qty = returned_qty + ? WHERE id = ?", (qty, line_id))


def sum_returned_for_line(db: Database, line_id: int) -> Row:
    r = one(
        db,
        "SELECT coalesce(sum(qty), 0) AS qty, coalesce(sum(refund_cents), 0) AS refund_cents, "
        "coalesce(sum(points_reversed), 0) AS points_reversed, coalesce(sum(points_restored), 0) AS points_restored "
        "FROM return_lines WHERE purchase_line_id = ?",
        (line_id,),
    )
    assert r is not None
    return r


def insert_return(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "returns", values)


def insert_return_line(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "return_lines", values)


def get_return_by_external_id(db: Database, source: str, external_id: str) -> Row | None:
    return one(db, "SELECT * FROM returns WHERE source = ? AND external_id = ?", (source, external_id))


def list_returns(db: Database, purchase_id: int) -> list[Row]:
    return many(db, "SELECT * FROM returns WHERE purchase_id = ? ORDER BY id", (purchase_id,))


def last_purchase_time(db: Database, customer_id: int) -> str | None:
    r = one(db, "SELECT max(occurred_at) AS t FROM purchases WHERE customer_id = ?", (customer_id,))
    return r["t"] if r else None


def update_return_totals(db: Database, return_id: int, refund: int, reversed_pts: int, restored: int) -> None:
    db.conn.execute(
        "UPDATE returns SET refund_cents = ?, points_reversed = ?, points_restored = ? WHERE id = ?",
        (refund, reversed_pts, restored, return_id),
    )
