"""Bulk writes for building the demo and benchmark shops (a fresh file, so speed over per-row checks)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

TABLES = {"customers", "phones", "cards", "consent_events", "products", "purchases", "purchase_lines",
          "returns", "return_lines", "points_ledger", "stores"}


@contextmanager
def bulk_session(db: Database) -> Iterator[None]:
    """One transaction with synchronous off (the file is new; a crash means building it again)."""
    db.conn.execute("PRAGMA synchronous = OFF")
    db.conn.execute("PRAGMA cache_size = -262144")  # 256 MiB while the indexes grow
    db.conn.execute("BEGIN")
    db.conn.execute("PRAGMA defer_foreign_keys = ON")  # rows of one customer arrive in chunks; checked at commit
    try:
        yield
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    finally:
        db.conn.execute("PRAGMA synchronous = FULL")
        db.conn.execute("PRAGMA cache_size = -2000")


HISTORY_TABLES = ("purchases", "purchase_lines", "returns", "return_lines", "points_ledger")


def drop_secondary_indexes(db: Database) -> list[str]:
    """Drop the history tables' non-unique indexes (one sorted build at the end beats millions of updates).

    Returns their CREATE statements, exactly as the schema wrote them, for ``create_indexes``."""
    marks = ", ".join("?" for _ in HISTORY_TABLES)
    rows = db.conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks}) "
        "AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name", HISTORY_TABLES).fetchall()
    for name, _ in rows:
        db.conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def create_indexes(db: Database, statements: list[str]) -> None:
    for sql in statements:
        db.conn.execute(sql)


def insert_many(db: Database, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if table not in TABLES:
        raise ValueError(f"not a demo table: {table}")
    if rows:
        marks = ", ".join("?" for _ in columns)
        db.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def product_ids(db: Database) -> dict[str, int]:
    return {r[0]: r[1] for r in db.conn.execute("SELECT sku, id FROM products")}


def store_ids(db: Database) -> dict[str, int]:
    return {r[0]: r[1] for r in db.conn.execute("SELECT name, id FROM stores")}


def finish(db: Database) -> None:
    db.conn.execute("ANALYZE")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
