"""Everything a shop holds about one person, and erasing the personal part of it."""

from __future__ import annotations

from sqlite_utils import Database

from db.customers_queries import erase_customer_personal_data
from db.mail_queries import erase_customer_mail
from db.rows import Row, many, one
from db.tags_queries import erase_tags

# Tables keyed by customer_id that hold something about the person (others may join as features land).
PERSONAL_TABLES = ("phones", "cards", "consent_events", "customer_external_ids", "points_ledger", "purchases")


def customer_row(db: Database, customer_id: int) -> Row | None:
    return one(db, "SELECT * FROM customers WHERE id = ?", (customer_id,))


def everything_about(db: Database, customer_id: int) -> dict[str, list[Row]]:
    """Every row that names the customer, by table (purchase lines with their product)."""
    out: dict[str, list[Row]] = {}
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
    # Zero the freed bytes, so the old name, email and phones are not left readable in free pages of the file.
    db.conn.execute("PRAGMA secure_delete = ON")
    try:
        erase_customer_personal_data(db, customer_id, at)
        erase_customer_mail(db, customer_id, at)
        erase_tags(db, customer_id)
        db.conn.execute("DELETE FROM consent_events WHERE customer_id = ?", (customer_id,))
        _redact_change_log(db, customer_id)
        # The search index keeps deleted terms in old segments until they are merged: merge them now.
        db.conn.execute("INSERT INTO customers_fts(customers_fts) VALUES ('optimize')")
    finally:
        db.conn.execute("PRAGMA secure_delete = OFF")


def _redact_change_log(db: Database, customer_id: int) -> None:
    # The sync log keeps what each change said; the customer's own changes lose their name, email and notes.
    # Phone changes keep their number: other stores match phones by it (see README, Privacy).
    cuuid = db.conn.execute("SELECT uuid FROM customers WHERE id = ?", (customer_id,)).fetchone()[0]
    db.conn.execute(
        "UPDATE change_log SET data = json_replace(data, '$.name', NULL, '$.email', NULL, '$.notes', NULL) "
        "WHERE entity_uuid = ? AND type IN ('customer.created', 'customer.updated')", (cuuid,))


def fold_write_ahead_log(db: Database) -> None:
    """After an erasure: copy the WAL into the file and empty it, so old page versions do not linger there."""
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
