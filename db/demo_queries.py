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
