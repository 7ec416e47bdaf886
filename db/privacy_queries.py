"""Everything a shop holds about one person, and erasing the personal part of it."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.customers_queries import erase_customer_personal_data
from db.mail_queries import erase_customer_mail
from db.rows import Row, many, one

# Tables keyed by customer_id that hold something about the person (others may join as features land).
PERSONAL_TABLES = ("phones", "cards", "consent_events", "customer_external_ids", "points_ledger", "purchases")


def customer_row(db: Database, customer_id: int) -> Row | None:
    return one(db, "SELECT * FROM customers WHERE id = ?", (customer_id,))


def everything_about(db: Database, customer_id: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    existing = set(db.table_names())
    for table in PERSONAL_TABLES:
        out[table] = many(db, f"SELECT * FROM {table} WHERE customer_id = ?", (customer_id,))
    out["purchase_lines"] = many(
        db, "SELECT l.*, p.sku, p.name FROM purchase_lines l JOIN products p ON p.id = l.product_id "
            "WHERE l.purchase_id IN (SELECT id FROM purchases WHERE customer_id = ?)", (customer_id,))
    for table in sorted(existing):  # mail outbox, campaign members and the like, when those features are there
        if table in PERSONAL_TABLES or table == "customers" or table.startswith(("_", "customers_fts")):
            continue
        cols = {c.name for c in db[table].columns}
        if "customer_id" in cols:
            out[table] = many(db, f"SELECT * FROM {table} WHERE customer_id = ?", (customer_id,))
    return out


def erase_personal_data(db: Database, customer_id: int, at: str) -> None:
    erase_customer_personal_data(db, customer_id, at)
    erase_customer_mail(db, customer_id, at)
    db.conn.execute("DELETE FROM consent_events WHERE customer_id = ?", (customer_id,))
