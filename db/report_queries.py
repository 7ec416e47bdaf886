"""The owner's reports: the product list and aggregate queries over customers and the points ledger.

Every range is a half-open UTC interval [lo, hi) of ISO text; the caller turns the shop's local days into it.
Sales and visits are read from their summaries in ``db.report_sales_queries``.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, many, one


def list_products_for_report(db: Database) -> list[Row]:
    return many(db, "SELECT id, sku, name, category, active, launched_on FROM products")


def get_points_outstanding(db: Database) -> Row:
    r = one(
        db,
        "SELECT count(*) AS customers, coalesce(sum(points_balance), 0) AS points FROM customers "
        "WHERE points_balance > 0 AND merged_into IS NULL",
    )
    assert r is not None
    return r


CREDIT_KINDS = "('earn', 'bonus', 'adjust', 'merge')"


def list_held_earned_before(db: Database, cutoffs: list[str]) -> list[tuple[int, int]]:
    """For each cut-off: (points, customers) — the points customers still hold that were earned at or before it,
    and how many customers hold some.

    Spending takes the oldest points first, so a balance is made of the newest credits: what is held from
    before a cut-off is the balance less everything credited after it (never below zero). Only credits after
    the earliest cut-off are read, from an index that covers them.
    """
    if not cutoffs:
        return []
    cols = ", ".join(f"sum(CASE WHEN l.at > ? THEN l.delta ELSE 0 END) AS s{i}" for i in range(len(cutoffs)))
    held = ", ".join(f"coalesce(sum(max(0, c.points_balance - coalesce(s.s{i}, 0))), 0) AS h{i}, "
                     f"coalesce(sum(c.points_balance > coalesce(s.s{i}, 0)), 0) AS n{i}" for i in range(len(cutoffs)))
    r = one(
        db,
        f"WITH s AS (SELECT l.customer_id AS cid, {cols} FROM points_ledger l INDEXED BY points_ledger_report "
        f"WHERE l.at > ? AND l.delta > 0 AND l.kind IN {CREDIT_KINDS} GROUP BY l.customer_id) "
        f"SELECT {held} FROM customers c LEFT JOIN s ON s.cid = c.id "
        "WHERE c.points_balance > 0 AND c.merged_into IS NULL",
        [*cutoffs, min(cutoffs)],
    )
    assert r is not None
    return [(int(r[f"h{i}"]), int(r[f"n{i}"])) for i in range(len(cutoffs))]


def list_balances_by_last_visit(db: Database) -> list[Row]:
    """Positive balances grouped by the UTC day of the customer's last visit (NULL: never visited)."""
    return many(
        db,
        "SELECT substr(last_visit_at, 1, 10) AS day, sum(points_balance) AS points, count(*) AS customers "
        "FROM customers WHERE points_balance > 0 AND merged_into IS NULL GROUP BY day ORDER BY day",
    )


def list_ledger_flows(db: Database, buckets: list[tuple[str, str, str]], store_id: int | None) -> list[Row]:
    """Per bucket (label, lo, hi): points earned, redeemed, expired and other changes."""
    if not buckets:
        return []
    values = ", ".join("(?, ?, ?)" for _ in buckets)
    params: list[Any] = [v for b in buckets for v in b]
    join, where = "", ""
    if store_id is not None:
        join = " JOIN purchases p ON p.id = l.purchase_id"
        where = " WHERE p.store_id = ?"
        params.append(store_id)
    return many(
        db,
        f"WITH b(label, lo, hi) AS (VALUES {values}) "
        "SELECT b.label, "
        "coalesce(sum(CASE WHEN l.kind IN ('earn', 'bonus') THEN l.delta END), 0) AS earned, "
        "coalesce(sum(CASE WHEN l.kind = 'redeem' THEN -l.delta END), 0) AS redeemed, "
        "coalesce(sum(CASE WHEN l.kind = 'expire' THEN -l.delta END), 0) AS expired, "
        "coalesce(sum(CASE WHEN l.kind IN ('adjust', 'reverse') THEN l.delta END), 0) AS other "
        f"FROM b JOIN points_ledger l ON l.at >= b.lo AND l.at < b.hi{join}{where} GROUP BY b.label",
        params,
    )


def get_customer_contact(db: Database, customer_id: int) -> Row | None:
    return one(
        db,
        "SELECT c.id, c.name, (SELECT e164 FROM phones WHERE customer_id = c.id ORDER BY id LIMIT 1) AS phone "
        "FROM customers c WHERE c.id = ?",
        (customer_id,),
    )


def list_customers_without_card(db: Database, limit: int) -> list[Row]:
    """The most recently signed-up customers with no active card."""
    return many(
        db,
        "SELECT c.id FROM customers c WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM cards k WHERE k.customer_id = c.id AND k.status = 'active') "
        "ORDER BY c.created_at DESC, c.id DESC LIMIT ?",
        (limit,),
    )


def get_balances_inactive_since(db: Database, cutoff: str) -> Row:
    r = one(
        db,
        "SELECT coalesce(sum(points_balance), 0) AS points, count(*) AS customers FROM customers "
        "WHERE points_balance > 0 AND merged_into IS NULL AND last_visit_at <= ?",
        (cutoff,),
    )
    assert r is not None
    return r


def get_balances_below(db: Database, points: int) -> Row:
    r = one(
        db,
        "SELECT coalesce(sum(points_balance), 0) AS points, count(*) AS customers FROM customers "
        "WHERE points_balance > 0 AND points_balance < ? AND merged_into IS NULL",
        (points,),
    )
    assert r is not None
    return r
