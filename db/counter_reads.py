"""What the counter reads on Enter, in few indexed queries: the customer a phone belongs to, the profile (customer,
phones, live cards, tags, the day's prepared hints, the newest purchases, the points program in force) and the
prepared hints' rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlite_utils import Database

from db.rows import Row, one

HISTORY_PURCHASE_COLUMNS = 7  # the first columns of a customer_history row are its purchase's


class ProfileRows(NamedTuple):
    """One customer's rows as the counter's profile needs them (``hints`` the day's JSON, None when stale)."""

    customer: Row
    phones: list[str]
    cards: list[str]
    tags: list[str]
    hints: str | None
    history: list[tuple[Any, ...]]
    program: Row | None  # the points program in force (None before the first is set)


def get_customer_by_phone(db: Database, e164: str) -> Row | None:
    return one(db, "SELECT c.* FROM phones p JOIN customers c ON c.id = p.customer_id WHERE p.e164 = ?", (e164,))


# Phones, live cards, tags and the day's hints of one customer in one statement: (kind, order, value) rows.
_BELONGINGS = (
    "SELECT 0, id, e164 FROM phones WHERE customer_id = :c "
    "UNION ALL SELECT 1, id, number FROM cards WHERE customer_id = :c AND status = 'active' "
    "UNION ALL SELECT 2, tag_key, tag FROM customer_tags WHERE customer_id = :c "
    "UNION ALL SELECT 3, 0, h.hints FROM counter_hints h WHERE h.customer_id = :c AND h.day = :day "
    "AND h.context = :context AND NOT EXISTS (SELECT 1 FROM suggestion_due_dirty d "
    "WHERE d.customer_id = :c AND d.seq > h.seq) "
    "ORDER BY 1, 2")


def get_profile_rows(db: Database, customer_id: int, history_limit: int | None, day: int,
                     context: str) -> ProfileRows | None:
    """The profile's rows of a customer (not following a merge; None when there is no such customer): three
    statements, each an index range, and the points program in force (the newest row of a small table)."""
    customer = one(db, "SELECT * FROM customers WHERE id = ?", (customer_id,))
    if customer is None:
        return None
    found: tuple[list[str], list[str], list[str], list[str]] = ([], [], [], [])
    for kind, _order, value in db.conn.execute(_BELONGINGS, {"c": customer_id, "day": day, "context": context}):
        found[kind].append(value)
    phones, cards, tags, hints = found
    return ProfileRows(customer, phones, cards, tags, hints[0] if hints else None,
                       customer_history(db, customer_id, history_limit),
                       one(db, "SELECT * FROM points_programs ORDER BY id DESC LIMIT 1"))


def customer_history(db: Database, customer_id: int, limit: int | None = None,
                     before: tuple[str, int] | None = None) -> list[tuple[Any, ...]]:
    """Every line a customer bought, newest purchase first, with the product and store named: plain tuples (the
    counter's hot path), the purchase's columns (id, uuid, occurred_at, store, total_cents, points_earned,
    points_redeemed) then the line's (id, product_id, sku, name, size, family, category, qty, returned_qty,
    unit_price_cents, net_cents). ``limit`` purchases at most; ``before`` (occurred_at, purchase id) of the last
    purchase already shown gives the next, older page (one index range, however long the history)."""
    limit_sql = "" if limit is None else f"LIMIT {int(limit)}"
    after_sql = "" if before is None else "AND (occurred_at, id) < (?, ?)"
    args: tuple[Any, ...] = (customer_id,) if before is None else (customer_id, before[0], int(before[1]))
    purchase_ids = (f"SELECT id FROM purchases WHERE customer_id = ? {after_sql} "
                    f"ORDER BY occurred_at DESC, id DESC {limit_sql}")
    return db.conn.execute(
        "SELECT pu.id, pu.uuid, pu.occurred_at, st.name, pu.total_cents, pu.points_earned, pu.points_redeemed, "
        "l.id, pr.id, pr.sku, pr.name, pr.size, pr.family, pr.category, l.qty, l.returned_qty, "
        "l.unit_price_cents, l.net_cents "
        f"FROM purchases pu JOIN purchase_lines l ON l.purchase_id = pu.id "
        "JOIN products pr ON pr.id = l.product_id LEFT JOIN stores st ON st.id = pu.store_id "
        f"WHERE pu.id IN ({purchase_ids}) ORDER BY pu.occurred_at DESC, pu.id DESC, l.line_no",
        args,
    ).fetchall()


# -- the day's prepared hints -----------------------------------------------------------------------------------
def list_hinted_customers(db: Database, day: int, context: str) -> set[int]:
    """Customers whose hints are already prepared for this day and context (changed ones included)."""
    return {r[0] for r in db.conn.execute("SELECT customer_id FROM counter_hints WHERE day = ? AND context = ?",
                                          (day, context))}


def insert_hints(db: Database, rows: Iterable[tuple[int, int, str, int, str]], covered_seq: int) -> None:
    """Store (customer_id, day, context, seq, hints) rows, leaving out customers marked changed after
    ``covered_seq`` (their history moved while the hints were ranked; the counter computes theirs)."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO counter_hints (customer_id, day, context, seq, hints) SELECT ?, ?, ?, ?, ? "
        "WHERE NOT EXISTS (SELECT 1 FROM suggestion_due_dirty WHERE customer_id = ?1 AND seq > ?6)",
        [(*r, covered_seq) for r in rows])


def delete_hints(db: Database) -> None:
    """Forget every prepared hint (the statistics they were ranked with are replaced)."""
    db.conn.execute("DELETE FROM counter_hints")
