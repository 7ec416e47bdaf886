"""Purchase data for suggestions (lines as compact tuples, local day numbers) and the statistics tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlite_utils import Database

from db.rows import Row, many, scalar

# A line is (purchase_id, customer_id, day, product_id, qty): ``day`` is the proleptic ordinal of the local date
# (date.fromordinal), computed by SQLite from the UTC text plus the zone's offset in days; ``qty`` is net of returns.
LineTuple = tuple[int, int | None, int, int, int]

_DAY = "CAST(julianday(pu.occurred_at) + :offset + 0.5 AS INTEGER) - 1721425"
_LINES = (f"SELECT pu.id, pu.customer_id, {_DAY} AS day, l.product_id, l.qty - l.returned_qty "
          "FROM purchases pu JOIN purchase_lines l ON l.purchase_id = pu.id WHERE l.qty > l.returned_qty ")


def list_catalogue(db: Database) -> list[Row]:
    return many(db, "SELECT id, sku, name, family, category, tags, size_quantity, size_unit, price_cents, "
                    "refill_days, launched_on, active FROM products ORDER BY id")


def catalogue_version(db: Database) -> tuple[Any, ...]:
    """Changes whenever a product is added, edited, (de)activated or repriced (cheap enough for every call)."""
    return tuple(db.conn.execute(
        "SELECT count(*), max(updated_at), total(active), total(price_cents), total(size_quantity), "
        "total(refill_days) FROM products").fetchone())


def list_lines(db: Database, offset_days: float, after_purchase_id: int = 0) -> list[LineTuple]:
    """Every sold line (all customers, anonymous too), ordered by purchase."""
    cur = db.conn.execute(_LINES + "AND pu.id > :after ORDER BY pu.id",
                          {"offset": offset_days, "after": after_purchase_id})
    return cur.fetchall()


def list_customer_lines(db: Database, customer_id: int, offset_days: float, since: str = "",
                        limit: int = 3000) -> list[LineTuple]:
    """One customer's most recent lines since the UTC time ``since`` (at most ``limit``: a POS 'walk-in'
    pseudo-customer can hold thousands), oldest first; uses the index on purchases(customer_id, occurred_at)."""
    cur = db.conn.execute(_LINES + "AND pu.customer_id = :c AND pu.occurred_at >= :since "
                          "ORDER BY pu.occurred_at DESC, pu.id DESC LIMIT :limit",
                          {"offset": offset_days, "c": customer_id, "since": since, "limit": limit})
    rows = cur.fetchall()
    rows.reverse()
    return rows


def iter_lines_by_customer(db: Database, offset_days: float, customers_only: bool = False) -> Iterator[LineTuple]:
    """Every line grouped by customer (anonymous sales first), each customer's in time order, streamed."""
    only = "AND pu.customer_id IS NOT NULL " if customers_only else ""
    cur = db.conn.execute(_LINES + only + "ORDER BY pu.customer_id, pu.occurred_at, pu.id", {"offset": offset_days})
    while rows := cur.fetchmany(10_000):
        yield from rows


def list_purchase_days_of(db: Database, product_ids: list[int], offset_days: float) -> list[tuple[int, int, int]]:
    """(customer_id, product_id, day) for each day a current customer bought one of ``product_ids``."""
    if not product_ids:
        return []
    marks = ", ".join("?" for _ in product_ids)
    day = _DAY.replace(":offset", "?")
    return db.conn.execute(
        f"SELECT DISTINCT pu.customer_id, l.product_id, {day} FROM purchase_lines l "
        "JOIN purchases pu ON pu.id = l.purchase_id JOIN customers c ON c.id = pu.customer_id "
        f"WHERE l.product_id IN ({marks}) AND l.qty > l.returned_qty "
        "AND c.merged_into IS NULL AND c.erased_at IS NULL",
        [offset_days, *product_ids]).fetchall()


def list_current_customer_ids(db: Database) -> set[int]:
    """Customers neither merged away nor erased."""
    return {r[0] for r in db.conn.execute(
        "SELECT id FROM customers WHERE merged_into IS NULL AND erased_at IS NULL").fetchall()}


def max_purchase_id(db: Database) -> int:
    return int(scalar(db, "SELECT coalesce(max(id), 0) FROM purchases"))


def customer_products_before(db: Database, customer_id: int, before_purchase_id: int) -> list[int]:
    rows = db.conn.execute(
        "SELECT DISTINCT l.product_id FROM purchases pu JOIN purchase_lines l ON l.purchase_id = pu.id "
        "WHERE pu.customer_id = ? AND pu.id < ?", (customer_id, before_purchase_id)).fetchall()
    return [r[0] for r in rows]


def replace_stats(db: Database, products: Iterable[tuple[int, int, int]],
                  pairs: Iterable[tuple[str, int, int, int]], rhythms: Iterable[tuple[str, int, float, float]],
                  meta: dict[str, str]) -> None:
    """Swap in a complete set of statistics (call inside one write transaction)."""
    c = db.conn
    for table in ("suggestion_products", "suggestion_pairs", "suggestion_rhythms", "suggestion_meta"):
        c.execute(f"DELETE FROM {table}")
    c.executemany("INSERT INTO suggestion_products (product_id, baskets, buyers) VALUES (?, ?, ?)", products)
    c.executemany("INSERT INTO suggestion_pairs (kind, product_id, other_id, together) VALUES (?, ?, ?, ?)", pairs)
    c.executemany("INSERT INTO suggestion_rhythms (unit, buyers, days_per_amount, spread) VALUES (?, ?, ?, ?)", rhythms)
    c.executemany("INSERT INTO suggestion_meta (key, value) VALUES (?, ?)", sorted(meta.items()))


def load_stats(db: Database) -> dict[str, Any]:
    c = db.conn
    return {
        "products": c.execute("SELECT product_id, baskets, buyers FROM suggestion_products").fetchall(),
        "pairs": c.execute("SELECT kind, product_id, other_id, together FROM suggestion_pairs").fetchall(),
        "rhythms": c.execute("SELECT unit, buyers, days_per_amount, spread FROM suggestion_rhythms").fetchall(),
        "meta": dict(c.execute("SELECT key, value FROM suggestion_meta").fetchall()),
    }


def get_stats_meta(db: Database) -> dict[str, str]:
    return dict(db.conn.execute("SELECT key, value FROM suggestion_meta").fetchall())
