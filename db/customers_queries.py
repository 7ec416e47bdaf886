"""Customers, their phones, cards, consent events, POS ids and merges."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one, update
from db.tags_queries import move_tags

LIVE = "merged_into IS NULL"


def get_customer(db: Database, customer_id: int) -> Row | None:
    return one(db, "SELECT * FROM customers WHERE id = ?", (customer_id,))


def get_customer_by_uuid(db: Database, uuid: str) -> Row | None:
    return one(db, "SELECT * FROM customers WHERE uuid = ?", (uuid,))


def find_customer_by_phone(db: Database, e164: str) -> Row | None:
    return one(db, "SELECT c.* FROM phones p JOIN customers c ON c.id = p.customer_id WHERE p.e164 = ?", (e164,))


def find_card(db: Database, number: str) -> Row | None:
    return one(db, "SELECT * FROM cards WHERE number = ?", (number,))


def find_customer_by_email(db: Database, email: str) -> Row | None:
    return one(db, f"SELECT * FROM customers WHERE email = ? COLLATE NOCASE AND {LIVE}", (email,))


def find_customer_by_external_id(db: Database, source: str, external_id: str) -> Row | None:
    return one(
        db,
        "SELECT c.* FROM customer_external_ids x JOIN customers c ON c.id = x.customer_id "
        "WHERE x.source = ? AND x.external_id = ?",
        (source, external_id),
    )


def find_customers_by_pos_id(db: Database, external_id: str) -> list[Row]:
    """Customers an import linked to this POS customer id, from any source (each source's key read by index)."""
    return many(
        db,
        "WITH RECURSIVE s(source) AS (SELECT min(source) FROM customer_external_ids UNION ALL "
        "SELECT (SELECT min(source) FROM customer_external_ids WHERE source > s.source) FROM s "
        "WHERE s.source IS NOT NULL) "
        "SELECT c.* FROM s JOIN customer_external_ids x ON x.source = s.source AND x.external_id = ? "
        "JOIN customers c ON c.id = x.customer_id WHERE c.erased_at IS NULL ORDER BY c.id",
        (external_id,),
    )


def search_customers(db: Database, fts_query: str, limit: int = 20) -> list[Row]:
    return many(
        db,
        f"SELECT c.* FROM customers_fts f JOIN customers c ON c.id = f.rowid "
        f"WHERE customers_fts MATCH ? AND c.{LIVE} AND c.erased_at IS NULL ORDER BY f.rank LIMIT ?",
        (fts_query, limit),
    )


def count_search_customers(db: Database, fts_query: str) -> int:
    """How many live customers ``search_customers`` would find without its limit."""
    r = one(db, f"SELECT count(*) AS n FROM customers_fts f JOIN customers c ON c.id = f.rowid "
                f"WHERE customers_fts MATCH ? AND c.{LIVE} AND c.erased_at IS NULL", (fts_query,))
    return int(r["n"]) if r else 0


def list_customers(db: Database, limit: int | None = None, offset: int = 0) -> list[Row]:
    return many(
        db,
        f"SELECT * FROM customers WHERE {LIVE} AND erased_at IS NULL ORDER BY id LIMIT ? OFFSET ?",
        (limit if limit is not None else -1, offset),
    )


def count_customers(db: Database) -> int:
    r = one(db, f"SELECT count(*) AS n FROM customers WHERE {LIVE} AND erased_at IS NULL")
    return int(r["n"]) if r else 0


def insert_customer(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "customers", values)


def update_customer(db: Database, customer_id: int, values: dict[str, Any]) -> None:
    update(db, "customers", customer_id, values)


def add_to_balance(db: Database, customer_id: int, delta: int) -> None:
    db.conn.execute("UPDATE customers SET points_balance = points_balance + ? WHERE id = ?", (delta, customer_id))


def list_phones(db: Database, customer_id: int) -> list[Row]:
    return many(db, "SELECT * FROM phones WHERE customer_id = ? ORDER BY id", (customer_id,))


def insert_phone(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "phones", values)


def delete_phone(db: Database, phone_id: int) -> None:
    db.conn.execute("DELETE FROM phones WHERE id = ?", (phone_id,))


def list_cards(db: Database, customer_id: int) -> list[Row]:
    return many(db, "SELECT * FROM cards WHERE customer_id = ? ORDER BY id", (customer_id,))


def insert_card(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "cards", values)


def update_card(db: Database, card_id: int, values: dict[str, Any]) -> None:
    update(db, "cards", card_id, values)


def card_number_exists(db: Database, number: str) -> bool:
    return one(db, "SELECT 1 AS x FROM cards WHERE number = ?", (number,)) is not None


def insert_consent_event(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "consent_events", values)


def list_consent_events(db: Database, customer_id: int) -> list[Row]:
    return many(db, "SELECT * FROM consent_events WHERE customer_id = ? ORDER BY id", (customer_id,))


def insert_external_id(db: Database, source: str, external_id: str, customer_id: int) -> None:
    db.conn.execute(
        "INSERT OR IGNORE INTO customer_external_ids (source, external_id, customer_id) VALUES (?, ?, ?)",
        (source, external_id, customer_id),
    )


def list_external_ids(db: Database, customer_id: int) -> list[Row]:
    return many(db, "SELECT source, external_id FROM customer_external_ids WHERE customer_id = ?", (customer_id,))


def move_customer_children(db: Database, from_id: int, to_id: int) -> None:
    """Re-point everything a merged duplicate owns at the surviving customer (ledger rows stay put)."""
    for table in ("phones", "cards", "consent_events", "customer_external_ids", "purchases"):
        db.conn.execute(f"UPDATE {table} SET customer_id = ? WHERE customer_id = ?", (to_id, from_id))
    db.conn.execute("UPDATE customers SET merged_into = ? WHERE merged_into = ?", (to_id, from_id))
    move_tags(db, from_id, to_id)


def insert_merge(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "customer_merges", values)


def erase_customer_personal_data(db: Database, customer_id: int, at: str) -> None:
    db.conn.execute("DELETE FROM phones WHERE customer_id = ?", (customer_id,))
    db.conn.execute("UPDATE cards SET status = 'lost', lost_at = ? WHERE customer_id = ?", (at, customer_id))
    db.conn.execute("DELETE FROM customer_external_ids WHERE customer_id = ?", (customer_id,))
    db.conn.execute(
        "UPDATE customers SET name = NULL, email = NULL, notes = NULL, email_consent = 0, consent_announcements = 0, "
        "consent_refills = 0, consent_news = 0, "
        "email_consent_at = NULL, email_consent_source = NULL, erased_at = ?, updated_at = ? WHERE id = ?",
        (at, at, customer_id),
    )


def latest_consent_by_type(db: Database, customer_id: int, types: tuple[str, ...]) -> dict[str, Row]:
    """For each type, the newest consent event that answered it (its own channel, or 'email' for all types),
    with the name of the staff member who recorded it."""
    out: dict[str, Row] = {}
    for t in types:
        row = one(db, "SELECT e.granted, e.source, e.at, s.name AS staff FROM consent_events e "
                      "LEFT JOIN staff s ON s.id = e.staff_id WHERE e.customer_id = ? AND e.channel IN (?, 'email') "
                      "ORDER BY e.id DESC LIMIT 1", (customer_id, t))
        if row is not None:
            out[t] = row
    return out
