"""POS imports: the keys already stored, bulk inserts of purchases in batches, runs, rejected rows, presets."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from db.import_summaries import insert_with_summaries
from db.rows import Row, insert, many, one, scalar

CHUNK = 500  # parameters per IN (...) list, well under SQLite's limit

PURCHASE_COLS = ("id", "uuid", "customer_id", "store_id", "staff_id", "occurred_at", "subtotal_cents",
                 "redeem_discount_cents", "tax_cents", "total_cents", "points_earned", "points_redeemed", "source",
                 "external_id", "created_at")
LINE_COLS = ("uuid", "purchase_id", "line_no", "product_id", "qty", "unit_price_cents", "line_discount_cents",
             "net_cents", "redeem_discount_cents", "tax_cents", "points_earned", "points_redeemed")
LEDGER_COLS = ("uuid", "customer_id", "kind", "delta", "purchase_id", "reason", "staff_id", "at")
CHANGE_COLS = ("uuid", "node_id", "hlc", "type", "entity_uuid", "data")


def _insert_sql(table: str, cols: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"


INSERT_PURCHASE = _insert_sql("purchases", PURCHASE_COLS)
INSERT_LINE = _insert_sql("purchase_lines", LINE_COLS)
INSERT_LEDGER = _insert_sql("points_ledger", LEDGER_COLS)
INSERT_CHANGE = _insert_sql("change_log", CHANGE_COLS)


def tune_for_bulk(db: Database) -> None:
    """For this connection: a larger page cache, and WAL checkpoints every 64 MB rather than every 4 MB, so a
    batch's commit is not followed by copying it into the database file each time (each commit still syncs)."""
    db.conn.execute("PRAGMA cache_size = -65536")
    db.conn.execute("PRAGMA wal_autocheckpoint = 16384")


def data_version(db: Database) -> int:
    """Changes when another connection commits to the file (SQLite's PRAGMA data_version)."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])


def phone_index(db: Database) -> dict[str, int]:
    """Every stored phone (E.164) → its customer, for linking rows without a query each."""
    return {r[0]: r[1] for r in db.conn.execute("SELECT e164, customer_id FROM phones")}


def email_index(db: Database) -> dict[str, int]:
    return {r[0].lower(): r[1] for r in db.conn.execute(
        "SELECT email, id FROM customers WHERE email IS NOT NULL AND merged_into IS NULL AND erased_at IS NULL")}


def external_index(db: Database, source: str) -> dict[str, int]:
    return {r[0]: r[1] for r in db.conn.execute(
        "SELECT external_id, customer_id FROM customer_external_ids WHERE source = ?", (source,))}


def product_rows(db: Database, after_id: int = 0) -> list[Row]:
    return many(db, "SELECT id, uuid, sku, barcode, name, active FROM products WHERE id > ? "
                    "ORDER BY active DESC, id", (after_id,))


def max_product_id(db: Database) -> int:
    return int(scalar(db, "SELECT coalesce(max(id), 0) FROM products"))


def insert_new_products(db: Database, rows: list[dict[str, Any]]) -> None:
    """Products an import found in one batch, with their ids; every row has the same keys (columns)."""
    cols = list(rows[0])
    db.conn.executemany(f"INSERT INTO products ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})",
                        rows)


def max_customer_id(db: Database) -> int:
    return int(scalar(db, "SELECT coalesce(max(id), 0) FROM customers"))


def insert_new_customers(db: Database, customers: list[tuple[Any, ...]], phones: list[tuple[Any, ...]],
                         external_ids: list[tuple[str, str, int]]) -> None:
    """Customers an import found in one batch, with their ids: (id, uuid, name, email, created_at); phones
    (uuid, customer_id, e164, added_at); POS ids (source, external_id, customer_id)."""
    db.conn.executemany("INSERT INTO customers (id, uuid, name, email, created_at, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?5)", customers)
    db.conn.executemany("INSERT INTO phones (uuid, customer_id, e164, added_at) VALUES (?, ?, ?, ?)", phones)
    db.conn.executemany("INSERT OR IGNORE INTO customer_external_ids (source, external_id, customer_id) "
                        "VALUES (?, ?, ?)", external_ids)


def customer_uuids(db: Database, ids: Iterable[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    id_list = list(ids)
    for i in range(0, len(id_list), CHUNK):
        part = id_list[i:i + CHUNK]
        marks = ", ".join("?" for _ in part)
        out.update((r[0], r[1]) for r in db.conn.execute(f"SELECT id, uuid FROM customers WHERE id IN ({marks})",
                                                         part))
    return out


def _existing(db: Database, table: str, source: str, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(keys), CHUNK):
        part = list(keys[i:i + CHUNK])
        marks = ", ".join("?" for _ in part)
        found.update((r[0], r[1]) for r in db.conn.execute(
            f"SELECT external_id, id FROM {table} WHERE source = ? AND external_id IN ({marks})", [source, *part]))
    return found


def existing_purchase_keys(db: Database, source: str, keys: Sequence[str]
                           ) -> dict[str, tuple[int, str, int, int | None]]:
    """The keys of this source already stored: (purchase id, occurred_at, subtotal_cents, customer_id) of each."""
    found: dict[str, tuple[int, str, int, int | None]] = {}
    for i in range(0, len(keys), CHUNK):
        part = list(keys[i:i + CHUNK])
        marks = ", ".join("?" for _ in part)
        found.update((r[0], (r[1], r[2], r[3], r[4])) for r in db.conn.execute(
            f"SELECT external_id, id, occurred_at, subtotal_cents, customer_id FROM purchases WHERE source = ? "
            f"AND external_id IN ({marks})", [source, *part]))
    return found


def return_times(db: Database, source: str, keys: Sequence[str]) -> dict[str, str]:
    """The keys of this source's refunds already stored, with their times."""
    found: dict[str, str] = {}
    for i in range(0, len(keys), CHUNK):
        part = list(keys[i:i + CHUNK])
        marks = ", ".join("?" for _ in part)
        found.update((r[0], r[1]) for r in db.conn.execute(
            f"SELECT external_id, occurred_at FROM returns WHERE source = ? AND external_id IN ({marks})",
            [source, *part]))
    return found


def existing_return_keys(db: Database, source: str, keys: Sequence[str]) -> dict[str, int]:
    return _existing(db, "returns", source, keys)


def max_return_id(db: Database) -> int:
    return int(scalar(db, "SELECT coalesce(max(id), 0) FROM returns"))


def max_purchase_id(db: Database) -> int:
    return int(scalar(db, "SELECT coalesce(max(id), 0) FROM purchases"))


def insert_purchases(db: Database, purchases: list[tuple[Any, ...]], lines: list[tuple[Any, ...]],
                     ledger: list[tuple[Any, ...]]) -> None:
    """One batch of imported sales: headers (with their ids), lines and earn entries, each in one statement.

    The purchases' ids must be consecutive and new; inside a write transaction the report summaries of the batch
    are then added set-based (db/import_summaries.py) instead of by the per-row triggers.
    """
    def write_rows() -> None:
        db.conn.executemany(INSERT_PURCHASE, purchases)
        db.conn.executemany(INSERT_LINE, lines)

    if not purchases or not insert_with_summaries(db, purchases[0][0], purchases[-1][0], write_rows):
        write_rows()
    if ledger:
        db.conn.executemany(INSERT_LEDGER, ledger)


def add_visits(db: Database, rows: list[tuple[int, str, int]]) -> None:
    """(points delta, latest visit, customer id): the cached balance and last visit, in the same transaction."""
    db.conn.executemany(
        "UPDATE customers SET points_balance = points_balance + ?1, last_visit_at = CASE "
        "WHEN last_visit_at IS NULL OR last_visit_at < ?2 THEN ?2 ELSE last_visit_at END WHERE id = ?3", rows)


def insert_changes(db: Database, rows: list[tuple[str, str, str, str, str, str]]) -> None:
    db.conn.executemany(INSERT_CHANGE, rows)


def purchase_id_for_key(db: Database, source: str, key: str) -> int | None:
    r = scalar(db, "SELECT id FROM purchases WHERE source = ? AND external_id = ?", (source, key))
    return None if r is None else int(r)


def refundable_purchase(db: Database, source: str, customer_id: int | None, product_id: int, before: str
                        ) -> int | None:
    """The latest imported sale of this product to this customer (or anonymous) with units left to return."""
    who = "p.customer_id = ?" if customer_id is not None else "p.customer_id IS NULL"
    params: list[Any] = [source, *([customer_id] if customer_id is not None else []), product_id, before]
    r = scalar(db, "SELECT p.id FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id "
                   f"WHERE p.source = ? AND {who} AND l.product_id = ? AND l.qty > l.returned_qty "
                   "AND p.occurred_at <= ? ORDER BY p.occurred_at DESC, p.id DESC LIMIT 1", params)
    return None if r is None else int(r)


def purchase_subtotal(db: Database, purchase_id: int) -> int:
    return int(scalar(db, "SELECT subtotal_cents FROM purchases WHERE id = ?", (purchase_id,)) or 0)


# -- runs, rejected rows, presets -------------------------------------------------------------------------------
def insert_run(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "import_runs", values)


def update_run(db: Database, run_id: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = ?" for k in values)
    db.conn.execute(f"UPDATE import_runs SET {sets} WHERE id = ?", [*values.values(), run_id])


def insert_rejects(db: Database, rows: list[tuple[int, int, str, str, str]]) -> None:
    db.conn.executemany("INSERT INTO import_rejects (run_id, row_number, level, reason, raw) VALUES (?, ?, ?, ?, ?)",
                        rows)


def list_runs(db: Database, limit: int = 50) -> list[Row]:
    return many(db, "SELECT * FROM import_runs ORDER BY id DESC LIMIT ?", (limit,))


def list_rejects(db: Database, run_id: int) -> list[Row]:
    return many(db, "SELECT * FROM import_rejects WHERE run_id = ? ORDER BY row_number, id", (run_id,))


def save_preset(db: Database, name: str, fmt: str, mapping: dict[str, str], day_first: bool | None, at: str) -> None:
    db.conn.execute(
        "INSERT INTO import_presets (name, format, mapping, day_first, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET format = excluded.format, mapping = excluded.mapping, "
        "day_first = excluded.day_first, updated_at = excluded.updated_at",
        (name, fmt, json.dumps(mapping, sort_keys=True), None if day_first is None else int(day_first), at))


def list_presets(db: Database) -> list[Row]:
    rows = many(db, "SELECT * FROM import_presets ORDER BY name")
    for r in rows:
        r["mapping"] = json.loads(r["mapping"])
    return rows


def get_preset(db: Database, name: str) -> Row | None:
    r = one(db, "SELECT * FROM import_presets WHERE name = ?", (name,))
    if r:
        r["mapping"] = json.loads(r["mapping"])
    return r
