"""The owner's reports: the product list and aggregate queries over customers and the points ledger.

Every range is a half-open UTC interval [lo, hi) of ISO text; the caller turns the shop's local days into it.
Sales and visits are read from their summaries in ``db.report_sales_queries``.
"""

from __future__ import annotations

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
    the earliest cut-off are read, in customer order from the index of credits (no sort).
    """
    if not cutoffs:
        return []
    cols = ", ".join(f"sum(CASE WHEN l.at > ? THEN l.delta END) AS s{i}" for i in range(len(cutoffs)))
    held = ", ".join(f"coalesce(sum(max(0, c.points_balance - coalesce(s.s{i}, 0))), 0) AS h{i}, "
                     f"coalesce(sum(c.points_balance > coalesce(s.s{i}, 0)), 0) AS n{i}" for i in range(len(cutoffs)))
    r = one(
        db,
        f"WITH s AS (SELECT l.customer_id AS cid, {cols} FROM points_ledger l INDEXED BY points_ledger_credits "
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
    """Per bucket (label, lo, hi): points earned, redeemed, expired and other changes. One range read per bucket,
    summed by kind (a single sum per ledger row, not one CASE per column)."""
    join, where, extra = "", "", []
    if store_id is not None:
        join = " JOIN purchases p ON p.id = l.purchase_id"
        where = " AND p.store_id = ?"
        extra = [store_id]
    sql = (f"SELECT l.kind, sum(l.delta) FROM points_ledger l INDEXED BY points_ledger_report{join} "
           f"WHERE l.at >= ? AND l.at < ?{where} GROUP BY l.kind")
    out = []
    for label, lo, hi in buckets:
        by_kind = dict(db.conn.execute(sql, [lo, hi, *extra]).fetchall())
        out.append({"label": label, "earned": by_kind.get("earn", 0) + by_kind.get("bonus", 0),
                    "redeemed": -by_kind.get("redeem", 0), "expired": -by_kind.get("expire", 0),
                    "other": by_kind.get("adjust", 0) + by_kind.get("reverse", 0)})
    return out


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
