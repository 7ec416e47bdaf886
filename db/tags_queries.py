"""Customers' tags and the phones found by their last four digits."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one


def list_tags(db: Database, customer_id: int) -> list[Row]:
    return many(db, "SELECT * FROM customer_tags WHERE customer_id = ? ORDER BY tag_key", (customer_id,))


def tags_of(db: Database, customer_ids: list[int]) -> dict[int, list[str]]:
    """Each customer's tags, in one query for a listing."""
    out: dict[int, list[str]] = {cid: [] for cid in customer_ids}
    if not customer_ids:
        return out
    marks = ", ".join("?" for _ in customer_ids)
    for cid, tag in db.conn.execute(
            f"SELECT customer_id, tag FROM customer_tags WHERE customer_id IN ({marks}) ORDER BY tag_key",
            customer_ids).fetchall():
        out[cid].append(tag)
    return out


def find_tag(db: Database, customer_id: int, tag_key: str) -> Row | None:
    return one(db, "SELECT * FROM customer_tags WHERE customer_id = ? AND tag_key = ?", (customer_id, tag_key))


def insert_tag(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "customer_tags", values)


def delete_tag(db: Database, tag_id: int) -> None:
    db.conn.execute("DELETE FROM customer_tags WHERE id = ?", (tag_id,))


def list_customers_tagged(db: Database, tag_key: str, limit: int | None = None, offset: int = 0) -> list[Row]:
    return many(
        db,
        "SELECT c.* FROM customer_tags t JOIN customers c ON c.id = t.customer_id "
        "WHERE t.tag_key = ? AND c.merged_into IS NULL AND c.erased_at IS NULL ORDER BY c.id LIMIT ? OFFSET ?",
        (tag_key, limit if limit is not None else -1, offset),
    )


def move_tags(db: Database, from_id: int, to_id: int) -> None:
    """A merge: the duplicate's tags join the survivor's (a tag both have is kept once, the survivor's)."""
    db.conn.execute(
        "DELETE FROM customer_tags WHERE customer_id = ? AND tag_key IN "
        "(SELECT tag_key FROM customer_tags WHERE customer_id = ?)", (from_id, to_id))
    db.conn.execute("UPDATE customer_tags SET customer_id = ? WHERE customer_id = ?", (to_id, from_id))


def erase_tags(db: Database, customer_id: int) -> None:
    """Erasure: the tags go, and the audit log's and the sync log's lines about them lose the tag's words."""
    db.conn.execute("DELETE FROM customer_tags WHERE customer_id = ?", (customer_id,))
    db.conn.execute(
        "UPDATE audit_log SET details = '{}' WHERE subject = ? AND action IN ('customer.tag_add', "
        "'customer.tag_remove')", (str(customer_id),))
    db.conn.execute(
        "UPDATE change_log SET data = json_replace(data, '$.tag', NULL) WHERE type IN ('customer.tag_added', "
        "'customer.tag_removed') AND json_extract(data, '$.customer') = (SELECT uuid FROM customers WHERE id = ?)",
        (customer_id,))


def find_customers_by_last_four(db: Database, digits: str, limit: int = 20) -> list[Row]:
    """Live customers with a phone ending in these four digits, most recent visitors first, with that phone
    as ``matched_phone`` (read by the phones_last_four index)."""
    return many(
        db,
        "SELECT c.*, p.e164 AS matched_phone FROM phones p JOIN customers c ON c.id = p.customer_id "
        "WHERE substr(p.e164, -4) = ? AND c.merged_into IS NULL AND c.erased_at IS NULL "
        "ORDER BY c.last_visit_at IS NULL, c.last_visit_at DESC, c.id LIMIT ?",
        (digits, limit),
    )
