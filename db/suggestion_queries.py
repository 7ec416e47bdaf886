"""Purchase data for suggestions (lines as compact tuples, local day numbers) and the statistics tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypedDict

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


def iter_lines_by_customer(db: Database, offset_days: float, customers_only: bool = False,
                           upto_purchase: int | None = None) -> Iterator[LineTuple]:
    """Every line grouped by customer (anonymous sales first), each customer's in time order, streamed as plain
    tuples (a million lines: a row object each would double the time and the memory); with ``upto_purchase``
    only purchases up to that id."""
    only = "AND pu.customer_id IS NOT NULL " if customers_only else ""
    upto = "AND pu.id <= :upto " if upto_purchase is not None else ""
    cur = db.conn.cursor()
    cur.row_factory = None
    cur.execute(_LINES + only + upto + "ORDER BY pu.customer_id, pu.occurred_at, pu.id",
                {"offset": offset_days, "upto": upto_purchase})
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


def list_current_among(db: Database, customer_ids: list[int]) -> list[int]:
    """Those of ``customer_ids`` neither merged away nor erased, in id order."""
    out: list[int] = []
    for i in range(0, len(customer_ids), 500):
        part = customer_ids[i:i + 500]
        out += [r[0] for r in db.conn.execute(
            f"SELECT id FROM customers WHERE id IN ({', '.join('?' * len(part))}) "
            "AND merged_into IS NULL AND erased_at IS NULL", part)]
    return sorted(out)


def max_purchase_id(db: Database) -> int:
    return int(scalar(db, "SELECT coalesce(max(id), 0) FROM purchases"))


def count_lines_upto(db: Database, cap: int) -> int:
    """How many purchase lines the shop holds, counted no further than ``cap`` (cheap on any history)."""
    return int(scalar(db, "SELECT count(*) FROM (SELECT 1 FROM purchase_lines LIMIT ?)", [cap]))


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


class StatsTables(TypedDict):
    """The saved co-purchase statistics, as their tables' rows."""

    products: list[tuple[int, int, int]]  # product_id, baskets, buyers
    pairs: list[tuple[str, int, int, int]]  # kind, product_id, other_id, together
    rhythms: list[tuple[str, int, float, float]]  # unit, buyers, days_per_amount, spread
    meta: dict[str, str]


def load_stats(db: Database) -> StatsTables:
    c = db.conn
    return {
        "products": c.execute("SELECT product_id, baskets, buyers FROM suggestion_products").fetchall(),
        "pairs": c.execute("SELECT kind, product_id, other_id, together FROM suggestion_pairs").fetchall(),
        "rhythms": c.execute("SELECT unit, buyers, days_per_amount, spread FROM suggestion_rhythms").fetchall(),
        "meta": dict(c.execute("SELECT key, value FROM suggestion_meta").fetchall()),
    }


def get_stats_meta(db: Database) -> dict[str, str]:
    return dict(db.conn.execute("SELECT key, value FROM suggestion_meta").fetchall())


# -- cached refill rhythms (suggestion_due) ---------------------------------------------------------------------
DueRow = tuple[int, str, int, int, float, float, float, int, float, str, int, int]
_DUE_COLS = ("customer_id, unit, product_id, last_day, last_amount, typical_amount, days_per_amount, intervals, "
             "sigma, basis, due_day, lapse_day")


def max_due_dirty_seq(db: Database) -> int:
    """The newest change mark: a rebuild that read the history after this call covers every mark up to it."""
    return int(scalar(db, "SELECT coalesce(max(seq), 0) FROM suggestion_due_dirty"))


def replace_due(db: Database, rows: Iterable[DueRow], covered_seq: int) -> None:
    """Swap in every customer's rhythms and forget the change marks they cover (inside the rebuild's write)."""
    c = db.conn
    c.execute("DELETE FROM suggestion_due")
    # In the table's key order (lapse day, customer, unit): each row goes at the end of the B-tree instead of
    # into the middle of a page, which halves the cost of writing 200,000 rows.
    ordered = sorted(rows, key=lambda r: (r[11], r[0], r[1]))
    c.executemany(f"INSERT INTO suggestion_due ({_DUE_COLS}) VALUES ({', '.join('?' * 12)})", ordered)
    c.execute("DELETE FROM suggestion_due_dirty WHERE seq <= ?", (covered_seq,))


def list_due_changed_customers(db: Database, after_seq: int, limit: int) -> list[int]:
    """Customers with a sale, return or merge since the mark (at most ``limit`` + 1, to tell 'too many')."""
    return [r[0] for r in db.conn.execute(
        "SELECT DISTINCT customer_id FROM suggestion_due_dirty WHERE seq > ? LIMIT ?", (after_seq, limit + 1))]


def list_due_rows(db: Database, max_due_day: int, min_lapse_day: int) -> list[DueRow]:
    """Cached rhythms due on or before ``max_due_day`` and not lapsed before ``min_lapse_day`` (one range of
    the table, in no particular order; customers changed since the rebuild are the caller's to leave out)."""
    return db.conn.execute(f"SELECT {_DUE_COLS} FROM suggestion_due WHERE lapse_day >= ? AND due_day <= ?",
                           (min_lapse_day, max_due_day)).fetchall()


# The rows hold only customers current at the rebuild; one merged away or erased since is marked changed.
_DUE_RANGE = ("FROM suggestion_due d WHERE d.lapse_day >= :today AND d.due_day <= :last "
              "AND d.customer_id NOT IN (SELECT customer_id FROM suggestion_due_dirty WHERE seq > :seq)")


def count_due_by_day(db: Database, today: int, last_day: int, after_seq: int) -> list[tuple[int, int, int]]:
    """(product_id, due_day, customers) of the cached rhythms due by ``last_day`` and not lapsed, of customers
    unchanged since the mark ``after_seq`` (the caller recomputes the changed ones)."""
    return db.conn.execute(f"SELECT d.product_id, d.due_day, count(*) {_DUE_RANGE} GROUP BY d.product_id, d.due_day",
                           {"today": today, "last": last_day, "seq": after_seq}).fetchall()


def count_due_customers(db: Database, today: int, last_day: int, after_seq: int, skip_products: list[int]) -> int:
    """How many of those customers have something due, leaving out rhythms of ``skip_products``."""
    skip = f" AND d.product_id NOT IN ({', '.join(str(int(p)) for p in skip_products)})" if skip_products else ""
    return int(db.conn.execute(f"SELECT count(DISTINCT d.customer_id) {_DUE_RANGE}{skip}",
                               {"today": today, "last": last_day, "seq": after_seq}).fetchone()[0])


def list_all_customer_lines(db: Database, customer_id: int, offset_days: float) -> list[LineTuple]:
    """One customer's every line, oldest first (what the cached rhythms are computed from)."""
    return db.conn.execute(_LINES + "AND pu.customer_id = :c ORDER BY pu.occurred_at, pu.id",
                           {"offset": offset_days, "c": customer_id}).fetchall()
