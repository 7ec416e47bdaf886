"""The owner's sales and customers figures, read from the report summaries (schema 0008) kept by triggers.

Every range is a half-open UTC interval [lo, hi) of ISO text, compared as text just as the purchases' times are.
Sums come from whole UTC days of the summaries plus the raw rows of the partial days at either end; distinct
customers come from chains of visits where each row knows the one before, so no range needs a sort.
Revenue is the line's net amount (after line discounts, before points discounts and tax) less returned units.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from db.rows import Row, many, one

# The share of a line's net amount that was not returned, in whole cents (the summaries sum the same per line).
KEPT_NET = "(pl.net_cents * (pl.qty - pl.returned_qty) / pl.qty)"


# Past this many purchases after a lapsed-regulars report's date, its history is read rather than the summary.
LATER_PURCHASES_MAX = 30_000


def _store(store_id: int | None, alias: str = "p") -> tuple[str, list[Any]]:
    return (f" AND {alias}.store_id = ?", [store_id]) if store_id is not None else ("", [])


def _scope(store_id: int | None) -> int:
    """The summaries' scope: 0 for all stores, otherwise the store's id."""
    return 0 if store_id is None else store_id


def summary_days(lo: str, hi: str) -> tuple[str, str] | None:
    """The whole UTC days [d1, d2) inside [lo, hi), as day text, or None when there are none.

    Any time text t with d1 <= t < d2 has a day prefix in [d1, d2), so [lo, hi) is exactly [lo, d1) + the
    summary days + [d2, hi)."""
    try:
        first = date.fromisoformat(lo[:10])
    except ValueError:
        return None
    d1 = lo if lo == lo[:10] else (first + timedelta(days=1)).isoformat()
    d2 = hi[:10]
    return (d1, d2) if d1 < d2 else None


def _pieces(lo: str, hi: str) -> tuple[tuple[str, str] | None, list[tuple[str, str]]]:
    days = summary_days(lo, hi)
    if days is None:
        return None, [(lo, hi)]
    return days, [(lo, days[0]), (days[1], hi)]


def _union(lo: str, hi: str, store_id: int | None, raw_select: str, days_select: str, alias: str
           ) -> tuple[str, list[Any]]:
    """One UNION ALL of ``raw_select`` over the sales at the range's partial-day ends (alias p for purchases) and
    ``days_select`` over a summary's whole UTC days (alias ``alias``), with its parameters."""
    where, params = _store(store_id)
    days, raw = _pieces(lo, hi)
    parts: list[str] = []
    args: list[Any] = []
    for a, b in raw:
        parts.append(f"{raw_select} WHERE p.occurred_at >= ? AND p.occurred_at < ?{where}")
        args += [a, b, *params]
    if days is not None:
        parts.append(f"{days_select} WHERE {alias}.day >= ? AND {alias}.day < ?{_store(store_id, alias)[0]}")
        args += [*days, *params]
    return " UNION ALL ".join(parts), args


def list_product_sales(db: Database, lo: str, hi: str, store_id: int | None, customers: bool = True) -> list[Row]:
    """Per product with a line in [lo, hi): units kept, revenue and (unless told not to) distinct identified
    customers."""
    union, args = _union(
        lo, hi, store_id,
        f"SELECT pl.product_id AS product_id, pl.qty - pl.returned_qty AS units, {KEPT_NET} AS revenue_cents "
        "FROM purchases p JOIN purchase_lines pl ON pl.purchase_id = p.id",
        "SELECT s.product_id, s.units, s.revenue_cents FROM report_sales_days s", "s")
    rows = many(db, "SELECT product_id, sum(units) AS units, sum(revenue_cents) AS revenue_cents "
                    f"FROM ({union}) GROUP BY product_id", args)
    counts = count_product_customers(db, lo, hi, store_id) if customers else {}
    for r in rows:
        r["customers"] = counts.get(r["product_id"], 0)
    return rows


def count_product_customers(db: Database, lo: str, hi: str, store_id: int | None) -> dict[int, int]:
    """Per product: the identified customers who bought it in [lo, hi) (each customer's first time in it)."""
    rows = db.conn.execute(
        "SELECT pr.id, (SELECT count(*) FROM report_buyers b WHERE b.scope = ? AND b.product_id = pr.id "
        "AND b.at >= ? AND b.at < ? AND (b.prev_at IS NULL OR b.prev_at < ?)) FROM products pr",
        (_scope(store_id), lo, hi, lo)).fetchall()
    return {pid: n for pid, n in rows if n}


def get_purchase_totals(db: Database, lo: str, hi: str, store_id: int | None, customers: bool = True) -> Row:
    """Purchases, identified customers (unless told not to) and goods value (subtotal) in [lo, hi)."""
    union, args = _union(
        lo, hi, store_id,
        "SELECT 1 AS purchases, p.customer_id IS NOT NULL AS member_purchases, p.subtotal_cents, "
        "CASE WHEN p.customer_id IS NOT NULL THEN p.subtotal_cents ELSE 0 END AS member_subtotal_cents FROM purchases p",
        "SELECT d.purchases, d.member_purchases, d.subtotal_cents, d.member_subtotal_cents FROM report_purchase_days d",
        "d")
    r = one(db, "SELECT coalesce(sum(purchases), 0) AS purchases, coalesce(sum(member_purchases), 0) AS "
                "member_purchases, coalesce(sum(subtotal_cents), 0) AS subtotal_cents, "
                "coalesce(sum(member_subtotal_cents), 0) AS member_subtotal_cents "
                f"FROM ({union})", args)
    assert r is not None
    if not customers:
        return {**r, "customers": None}
    n = db.conn.execute(
        "SELECT count(*) FROM report_visits v WHERE v.scope = ? AND v.at >= ? AND v.at < ? "
        "AND (v.prev_at IS NULL OR v.prev_at < ?)", (_scope(store_id), lo, hi, lo)).fetchone()[0]
    return {**r, "customers": int(n)}


def list_first_visits(db: Database, lo: str, hi: str, store_id: int | None) -> list[tuple[str, bool, bool]]:
    """Per identified customer with a purchase in [lo, hi): (the time of their first one in it, whether they had
    never bought before it in any store, whether they came again in it). Plain tuples: a year has tens of
    thousands."""
    rows = db.conn.execute(
        "SELECT v.at, v.prev_at IS NULL, coalesce(v.n > 1 OR v.next_at < ?, 0), v.customer_id FROM report_visits v "
        "WHERE v.scope = ? AND v.at >= ? AND v.at < ? AND (v.prev_at IS NULL OR v.prev_at < ?)",
        (hi, _scope(store_id), lo, hi, lo)).fetchall()
    if store_id is None:
        return [(at, bool(new), bool(again)) for at, new, again, _ in rows]
    # New: their first visit in any store (a row of scope 0 with nothing before it) is in the range.
    first_ever = {r[0] for r in db.conn.execute(
        "SELECT v.customer_id FROM report_visits v WHERE v.scope = 0 AND v.at >= ? AND v.at < ? "
        "AND v.prev_at IS NULL", (lo, hi))}
    return [(at, cid in first_ever, bool(again)) for at, _, again, cid in rows]


def list_lapsed_regulars(db: Database, as_of: str, store_id: int | None, min_visits: int,
                         limit: int) -> list[Row]:
    """Customers with ``min_visits``+ visits before ``as_of`` whose time since the last one is over twice their
    usual interval; ``spent_cents`` is everything they bought before ``as_of`` in every store.

    Each customer's lifetime figures come from the summary, less whatever they bought at or after ``as_of``
    (nothing, for a period that ends today); when that is a lot, reading the history before it is quicker."""
    where, params = _store(store_id)
    later = db.conn.execute("SELECT count(*) FROM (SELECT 1 FROM purchases INDEXED BY purchases_report "
                            "WHERE occurred_at >= ? LIMIT ?)", (as_of, LATER_PURCHASES_MAX)).fetchone()[0]
    if later >= LATER_PURCHASES_MAX:
        return _lapsed_from_history(db, as_of, store_id, min_visits, limit)
    # By time, not by customer: after as_of there is usually nothing to read.
    by_time = "purchases_report" if store_id is None else "purchases_store_report"
    return many(
        db,
        f"WITH s AS (SELECT p.customer_id, count(*) AS k FROM purchases p INDEXED BY {by_time} "
        f"WHERE p.customer_id IS NOT NULL AND p.occurred_at >= ?{where} GROUP BY p.customer_id), "
        "sp AS (SELECT p.customer_id, sum(p.subtotal_cents) AS cents FROM purchases p INDEXED BY purchases_report "
        "WHERE p.customer_id IS NOT NULL AND p.occurred_at >= ? GROUP BY p.customer_id), "
        "v AS (SELECT st.customer_id, st.visits - coalesce(s.k, 0) AS visits, st.first_at, "
        "CASE WHEN s.k IS NULL THEN st.last_at ELSE (SELECT max(x.at) FROM report_visits x "
        "WHERE x.scope = st.scope AND x.customer_id = st.customer_id AND x.at < ?) END AS last_at "
        "FROM report_customer_stats st LEFT JOIN s ON s.customer_id = st.customer_id WHERE st.scope = ?), "
        "g AS (SELECT v.*, (julianday(last_at) - julianday(first_at)) / (visits - 1) AS interval_days, "
        "julianday(?) - julianday(last_at) AS days_since FROM v WHERE v.visits >= ?) "
        "SELECT g.customer_id, g.visits, g.first_at, g.last_at, g.interval_days, g.days_since, "
        "a.spent_cents - coalesce(sp.cents, 0) AS spent_cents, "
        "c.name, c.email, (SELECT ph.e164 FROM phones ph WHERE ph.customer_id = g.customer_id "
        "ORDER BY ph.id LIMIT 1) AS phone "
        "FROM g JOIN customers c ON c.id = g.customer_id "
        "JOIN report_customer_stats a ON a.scope = 0 AND a.customer_id = g.customer_id "
        "LEFT JOIN sp ON sp.customer_id = g.customer_id "
        "WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND g.interval_days >= 1 "
        "AND g.days_since > 2 * g.interval_days "
        "ORDER BY g.visits DESC, g.last_at DESC LIMIT ?",
        [as_of, *params, as_of, as_of, _scope(store_id), as_of, min_visits, limit],
    )


def _lapsed_from_history(db: Database, as_of: str, store_id: int | None, min_visits: int, limit: int) -> list[Row]:
    """``list_lapsed_regulars`` from the purchases themselves (for a date long ago)."""
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
