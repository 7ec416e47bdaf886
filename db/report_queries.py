"""The owner's reports: aggregate queries over sales, customers and the points ledger.

Every range is a half-open UTC interval [lo, hi) of ISO text; the caller turns the shop's local days into it.
Revenue is the line's net amount (after line discounts, before points discounts and tax) less returned units.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, many, one

# The share of a line's net amount that was not returned, in whole cents.
KEPT_NET = "(pl.net_cents * (pl.qty - pl.returned_qty) / pl.qty)"


def _store(store_id: int | None, alias: str = "p") -> tuple[str, list[Any]]:
    return (f" AND {alias}.store_id = ?", [store_id]) if store_id is not None else ("", [])


def list_product_sales(db: Database, lo: str, hi: str, store_id: int | None, customers: bool = True) -> list[Row]:
    """Per product: units kept, revenue and (unless told not to: it is the costly part) distinct identified
    customers, in [lo, hi)."""
    where, params = _store(store_id)
    distinct = "count(DISTINCT p.customer_id)" if customers else "0"
    return many(
        db,
        "SELECT pl.product_id, sum(pl.qty - pl.returned_qty) AS units, "
        f"sum({KEPT_NET}) AS revenue_cents, {distinct} AS customers "
        "FROM purchases p JOIN purchase_lines pl ON pl.purchase_id = p.id "
        f"WHERE p.occurred_at >= ? AND p.occurred_at < ?{where} GROUP BY pl.product_id",
        [lo, hi, *params],
    )


def get_purchase_totals(db: Database, lo: str, hi: str, store_id: int | None) -> Row:
    """Purchases, identified customers and goods value (subtotal) in [lo, hi)."""
    where, params = _store(store_id)
    r = one(
        db,
        "SELECT count(*) AS purchases, count(DISTINCT p.customer_id) AS customers, "
        "count(p.customer_id) AS member_purchases, "
        "coalesce(sum(p.subtotal_cents), 0) AS subtotal_cents, "
        "coalesce(sum(CASE WHEN p.customer_id IS NOT NULL THEN p.subtotal_cents END), 0) AS member_subtotal_cents "
        f"FROM purchases p WHERE p.occurred_at >= ? AND p.occurred_at < ?{where}",
        [lo, hi, *params],
    )
    assert r is not None
    return r


def list_products_for_report(db: Database) -> list[Row]:
    return many(db, "SELECT id, sku, name, category, active, launched_on FROM products")


def list_active_customers(db: Database, lo: str, hi: str, store_id: int | None) -> list[Row]:
    """Per identified customer with a purchase in [lo, hi): visits, first visit in the range and ever."""
    where, params = _store(store_id)
    return many(
        db,
        "SELECT p.customer_id, count(*) AS visits, "
        "min(p.occurred_at) AS first_in_range, "
        "(SELECT min(p2.occurred_at) FROM purchases p2 WHERE p2.customer_id = p.customer_id) AS first_ever "
        f"FROM purchases p WHERE p.customer_id IS NOT NULL AND p.occurred_at >= ? AND p.occurred_at < ?{where} "
        "GROUP BY p.customer_id",
        [lo, hi, *params],
    )


def list_lapsed_regulars(db: Database, as_of: str, store_id: int | None, min_visits: int,
                         limit: int) -> list[Row]:
    """Customers with ``min_visits``+ visits whose time since the last one is over twice their usual interval."""
    where, params = _store(store_id)
    return many(
        db,
        "WITH v AS (SELECT p.customer_id, count(*) AS visits, min(p.occurred_at) AS first_at, "
        "max(p.occurred_at) AS last_at FROM purchases p "
        f"WHERE p.customer_id IS NOT NULL AND p.occurred_at < ?{where} GROUP BY p.customer_id "
        "HAVING count(*) >= ?), "
        "g AS (SELECT v.*, (julianday(last_at) - julianday(first_at)) / (visits - 1) AS interval_days, "
        "julianday(?) - julianday(last_at) AS days_since FROM v) "
        "SELECT g.customer_id, g.visits, g.first_at, g.last_at, g.interval_days, g.days_since, "
        "(SELECT sum(s.subtotal_cents) FROM purchases s WHERE s.customer_id = g.customer_id "
        "AND s.occurred_at < ?) AS spent_cents, "
        "c.name, c.email, (SELECT ph.e164 FROM phones ph WHERE ph.customer_id = g.customer_id "
        "ORDER BY ph.id LIMIT 1) AS phone "
        "FROM g JOIN customers c ON c.id = g.customer_id "
        "WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND g.interval_days >= 1 "
        "AND g.days_since > 2 * g.interval_days "
        "ORDER BY g.visits DESC, g.last_at DESC LIMIT ?",
        [as_of, *params, min_visits, as_of, as_of, limit],
    )


def get_points_outstanding(db: Database) -> Row:
    r = one(
        db,
        "SELECT count(*) AS customers, coalesce(sum(points_balance), 0) AS points FROM customers "
        "WHERE points_balance > 0 AND merged_into IS NULL",
    )
    assert r is not None
    return r


def list_unspent_credits_by_day(db: Database) -> list[Row]:
    """What is left of each day's credits once spending took the oldest points first (FIFO), by UTC day earned.

    The balance is made of the newest credits, so walking each customer's credits from the newest back until
    the balance is covered finds the points still held and when they were earned.
    """
    return many(
        db,
        "WITH c AS (SELECT l.at, l.delta, cu.points_balance AS bal, "
        "sum(l.delta) OVER (PARTITION BY l.customer_id ORDER BY l.at DESC, l.id DESC) AS cum "
        "FROM points_ledger l JOIN customers cu ON cu.id = l.customer_id "
        "WHERE cu.points_balance > 0 AND cu.merged_into IS NULL AND l.delta > 0 "
        "AND l.kind IN ('earn', 'bonus', 'adjust', 'merge')) "
        "SELECT substr(at, 1, 10) AS day, sum(min(delta, bal - (cum - delta))) AS points, count(*) AS credits "
        "FROM c WHERE cum - delta < bal GROUP BY day ORDER BY day",
    )


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


def get_unspent_earned_before(db: Database, cutoff: str) -> Row:
    """Points still held (FIFO) that were earned before ``cutoff``, and how many customers hold them."""
    r = one(
        db,
        "WITH c AS (SELECT l.customer_id, l.at, l.delta, cu.points_balance AS bal, "
        "sum(l.delta) OVER (PARTITION BY l.customer_id ORDER BY l.at DESC, l.id DESC) AS cum "
        "FROM points_ledger l JOIN customers cu ON cu.id = l.customer_id "
        "WHERE cu.points_balance > 0 AND cu.merged_into IS NULL AND l.delta > 0 "
        "AND l.kind IN ('earn', 'bonus', 'adjust', 'merge')) "
        "SELECT coalesce(sum(min(delta, bal - (cum - delta))), 0) AS points, "
        "count(DISTINCT customer_id) AS customers FROM c WHERE cum - delta < bal AND at <= ?",
        (cutoff,),
    )
    assert r is not None
    return r


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
