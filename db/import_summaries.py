"""A batch of imported sales keeps the report summaries and refill marks set-based, with the same result as the
per-row triggers of migrations 0008 and 0009.

For one batch the three insert triggers on the sales tables are lifted inside the caller's write transaction, the
rows go in, the summaries of those rows are added in a few statements, and the triggers are put back from their
own stored text before the transaction can end: other connections never see the schema without them, and a crash
rolls the whole batch back, triggers included. A trigger whose text is not the one this module was written for
(changed by a later migration) keeps the per-row path, so the summaries can never drift from what the triggers do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlite_utils import Database

# The insert triggers replaced, with the SHA-256 of the text they were written for (sqlite_master.sql).
TRIGGERS = {
    "report_purchases_ai": "0e671adcda914366138d7b69d47b4df6938a4c179f81c539b3b6b5648dc56ee0",
    "report_purchase_lines_ai": "fcdaf0703a5df7d4d597588ba0f315b3a3b6987ffc1089f680b3b6a2b9408e42",
    "suggestion_due_on_sale": "5e44e9f75af4e4add241ad400e6eef08be66aadb8cda2cae493db3d717aa63a2",
}

_TEMP = """
CREATE TEMP TABLE IF NOT EXISTS import_new_visits (
    scope INTEGER NOT NULL, customer_id INTEGER NOT NULL, at TEXT NOT NULL, n INTEGER NOT NULL, spent INTEGER NOT NULL,
    PRIMARY KEY (scope, customer_id, at)) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS import_new_buyers (
    scope INTEGER NOT NULL, product_id INTEGER NOT NULL, customer_id INTEGER NOT NULL, at TEXT NOT NULL,
    n INTEGER NOT NULL, PRIMARY KEY (scope, product_id, customer_id, at)) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS import_affected (
    scope INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (scope, a, b, at)) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS import_chain_keys (
    scope INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL, since TEXT, late INTEGER NOT NULL,
    PRIMARY KEY (scope, a, b)) WITHOUT ROWID;
"""

_FIX_BUYERS = "fix the affected buyers"  # one PK seek each, from Python: the planner would scan the table
FIX_BUYERS_SQL = ("UPDATE report_buyers SET prev_at = (SELECT max(x.at) FROM report_buyers x WHERE x.scope = ?1 "
                  "AND x.product_id = ?2 AND x.customer_id = ?3 AND x.at < ?4) "
                  "WHERE scope = ?1 AND product_id = ?2 AND customer_id = ?3 AND at = ?4")

_SUMMARIES = [
    # Sums per UTC day and store.
    """INSERT INTO report_purchase_days (day, store_id, purchases, member_purchases, subtotal_cents,
                                         member_subtotal_cents)
       SELECT substr(occurred_at, 1, 10), coalesce(store_id, 0), count(*), count(customer_id), sum(subtotal_cents),
              coalesce(sum(CASE WHEN customer_id IS NOT NULL THEN subtotal_cents END), 0)
       FROM purchases WHERE id BETWEEN :lo AND :hi GROUP BY 1, 2
       ON CONFLICT (day, store_id) DO UPDATE SET purchases = purchases + excluded.purchases,
           member_purchases = member_purchases + excluded.member_purchases,
           subtotal_cents = subtotal_cents + excluded.subtotal_cents,
           member_subtotal_cents = member_subtotal_cents + excluded.member_subtotal_cents""",
    """INSERT INTO report_sales_days (day, store_id, product_id, lines, units, revenue_cents)
       SELECT substr(p.occurred_at, 1, 10), coalesce(p.store_id, 0), l.product_id, count(*),
              sum(l.qty - l.returned_qty), sum(l.net_cents * (l.qty - l.returned_qty) / l.qty)
       FROM purchase_lines l JOIN purchases p ON p.id = l.purchase_id
       WHERE l.purchase_id BETWEEN :lo AND :hi GROUP BY 1, 2, 3
       ON CONFLICT (day, store_id, product_id) DO UPDATE SET lines = lines + excluded.lines,
           units = units + excluded.units, revenue_cents = revenue_cents + excluded.revenue_cents""",
    # The members' visits of the batch, all stores (scope 0) and per store.
    "DELETE FROM temp.import_new_visits",
    """INSERT INTO temp.import_new_visits (scope, customer_id, at, n, spent)
       SELECT 0, customer_id, occurred_at, count(*), sum(subtotal_cents) FROM purchases
       WHERE id BETWEEN :lo AND :hi AND customer_id IS NOT NULL GROUP BY customer_id, occurred_at
       UNION ALL
       SELECT store_id, customer_id, occurred_at, count(*), sum(subtotal_cents) FROM purchases
       WHERE id BETWEEN :lo AND :hi AND customer_id IS NOT NULL AND store_id IS NOT NULL
       GROUP BY store_id, customer_id, occurred_at""",
    """INSERT INTO report_customer_stats (scope, customer_id, visits, first_at, last_at, spent_cents)
       SELECT scope, customer_id, sum(n), min(at), max(at), sum(spent) FROM temp.import_new_visits
       WHERE true GROUP BY scope, customer_id
       ON CONFLICT (scope, customer_id) DO UPDATE SET visits = visits + excluded.visits,
           first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at),
           spent_cents = spent_cents + excluded.spent_cents""",
    # Chains. Per key (scope and customer; scope, product and customer): ``since`` is the stored row just before
    # the batch's first, ``late`` says a stored row is at or after it. Imports mostly come in time order: then the
    # new rows get their neighbours as they go in and only the row before them learns its next visit. A late key
    # (an export imported out of order) has its rows from ``since`` on recomputed.
    "DELETE FROM temp.import_chain_keys",
    """INSERT INTO temp.import_chain_keys (scope, a, b, since, late)
       SELECT k.scope, k.customer_id, 0,
              (SELECT max(v.at) FROM report_visits v WHERE v.scope = k.scope AND v.customer_id = k.customer_id
               AND v.at < k.first),
              EXISTS (SELECT 1 FROM report_visits v WHERE v.scope = k.scope AND v.customer_id = k.customer_id
                      AND v.at >= k.first)
       FROM (SELECT scope, customer_id, min(at) AS first FROM temp.import_new_visits GROUP BY scope, customer_id) k""",
    """INSERT INTO report_visits (scope, customer_id, at, prev_at, next_at, n)
       SELECT n.scope, n.customer_id, n.at,
              coalesce(lag(n.at) OVER w, k.since), lead(n.at) OVER w, n.n
       FROM temp.import_new_visits n JOIN temp.import_chain_keys k ON k.scope = n.scope AND k.a = n.customer_id
       WHERE true WINDOW w AS (PARTITION BY n.scope, n.customer_id ORDER BY n.at)
       ON CONFLICT (scope, customer_id, at) DO UPDATE SET n = n + excluded.n""",
    """UPDATE report_visits AS r SET next_at = (SELECT min(n.at) FROM temp.import_new_visits n
                                               WHERE n.scope = k.scope AND n.customer_id = k.a)
       FROM temp.import_chain_keys k
       WHERE (r.scope, r.customer_id, r.at) IN (SELECT scope, a, since FROM temp.import_chain_keys
                                               WHERE NOT late AND since IS NOT NULL)
         AND k.scope = r.scope AND k.a = r.customer_id""",
    # A late key (rows of the batch before stored ones): the new rows and their neighbours in time order are the
    # only rows whose neighbours change; each is read again from the index, whatever the order of the export.
    "DELETE FROM temp.import_affected",
    """INSERT INTO temp.import_affected (scope, a, b, at)
       SELECT n.scope, n.customer_id, 0, n.at FROM temp.import_new_visits n
       JOIN temp.import_chain_keys k ON k.scope = n.scope AND k.a = n.customer_id WHERE k.late""",
    """INSERT OR IGNORE INTO temp.import_affected (scope, a, b, at)
       SELECT scope, a, 0, at FROM (
           SELECT f.scope, f.a, (SELECT min(v.at) FROM report_visits v WHERE v.scope = f.scope
                                 AND v.customer_id = f.a AND v.at > f.at) AS at FROM temp.import_affected f
           UNION ALL
           SELECT f.scope, f.a, (SELECT max(v.at) FROM report_visits v WHERE v.scope = f.scope
                                 AND v.customer_id = f.a AND v.at < f.at) FROM temp.import_affected f)
       WHERE at IS NOT NULL""",
    """UPDATE report_visits AS r SET
           prev_at = (SELECT max(v.at) FROM report_visits v WHERE v.scope = r.scope AND v.customer_id = r.customer_id
                      AND v.at < r.at),
           next_at = (SELECT min(v.at) FROM report_visits v WHERE v.scope = r.scope AND v.customer_id = r.customer_id
                      AND v.at > r.at)
       FROM temp.import_affected f WHERE r.scope = f.scope AND r.customer_id = f.a AND r.at = f.at""",
    # Each product's buyers: the same chain per (scope, product, customer), previous purchase only.
    "DELETE FROM temp.import_new_buyers",
    """INSERT INTO temp.import_new_buyers (scope, product_id, customer_id, at, n)
       SELECT 0, l.product_id, p.customer_id, p.occurred_at, count(*)
       FROM purchase_lines l JOIN purchases p ON p.id = l.purchase_id
       WHERE l.purchase_id BETWEEN :lo AND :hi AND p.customer_id IS NOT NULL
       GROUP BY l.product_id, p.customer_id, p.occurred_at
       UNION ALL
       SELECT p.store_id, l.product_id, p.customer_id, p.occurred_at, count(*)
       FROM purchase_lines l JOIN purchases p ON p.id = l.purchase_id
       WHERE l.purchase_id BETWEEN :lo AND :hi AND p.customer_id IS NOT NULL AND p.store_id IS NOT NULL
       GROUP BY p.store_id, l.product_id, p.customer_id, p.occurred_at""",
    "DELETE FROM temp.import_chain_keys",
    """INSERT INTO temp.import_chain_keys (scope, a, b, since, late)
       SELECT k.scope, k.product_id, k.customer_id,
              (SELECT max(b.at) FROM report_buyers b WHERE b.scope = k.scope AND b.product_id = k.product_id
               AND b.customer_id = k.customer_id AND b.at < k.first),
              EXISTS (SELECT 1 FROM report_buyers b WHERE b.scope = k.scope AND b.product_id = k.product_id
                      AND b.customer_id = k.customer_id AND b.at >= k.first)
       FROM (SELECT scope, product_id, customer_id, min(at) AS first FROM temp.import_new_buyers
             GROUP BY scope, product_id, customer_id) k""",
    """INSERT INTO report_buyers (scope, product_id, customer_id, at, prev_at, n)
       SELECT n.scope, n.product_id, n.customer_id, n.at, coalesce(lag(n.at) OVER w, k.since), n.n
       FROM temp.import_new_buyers n
       JOIN temp.import_chain_keys k ON k.scope = n.scope AND k.a = n.product_id AND k.b = n.customer_id
       WHERE true WINDOW w AS (PARTITION BY n.scope, n.product_id, n.customer_id ORDER BY n.at)
       ON CONFLICT (scope, product_id, customer_id, at) DO UPDATE SET n = n + excluded.n""",
    "DELETE FROM temp.import_affected",
    """INSERT INTO temp.import_affected (scope, a, b, at)
       SELECT n.scope, n.product_id, n.customer_id, n.at FROM temp.import_new_buyers n
       JOIN temp.import_chain_keys k ON k.scope = n.scope AND k.a = n.product_id AND k.b = n.customer_id
       WHERE k.late""",
    """INSERT OR IGNORE INTO temp.import_affected (scope, a, b, at)
       SELECT scope, a, b, at FROM (
           SELECT f.scope, f.a, f.b, (SELECT min(x.at) FROM report_buyers x WHERE x.scope = f.scope
                                      AND x.product_id = f.a AND x.customer_id = f.b AND x.at > f.at) AS at
           FROM temp.import_affected f)
       WHERE at IS NOT NULL""",
    _FIX_BUYERS,
    # The refill rhythms of these customers are recomputed when next read (what suggestion_due_on_sale marks).
    """INSERT INTO suggestion_due_dirty (customer_id)
       SELECT DISTINCT customer_id FROM purchases WHERE id BETWEEN :lo AND :hi AND customer_id IS NOT NULL""",
]


def _digest(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()


def lifted_triggers(db: Database) -> list[str] | None:
    """The stored text of the triggers to lift, or None when any is missing or not the text this module knows."""
    rows = dict(db.conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({', '.join('?' for _ in TRIGGERS)})",
        list(TRIGGERS)).fetchall())
    if set(rows) != set(TRIGGERS) or any(_digest(rows[n]) != h for n, h in TRIGGERS.items()):
        return None
    return [rows[n] for n in TRIGGERS]


def insert_with_summaries(db: Database, lo: int, hi: int, write_rows: Callable[[], None]) -> bool:
    """Run ``write_rows`` (which inserts purchases lo..hi and their lines) and add their summaries set-based.

    Must run inside a write transaction. Returns False, having done nothing, when the per-row triggers must stay
    (outside a transaction, or triggers this module does not know): the caller then writes the rows as usual.
    """
    conn = db.conn
    if not conn.in_transaction:
        return False
    stored = lifted_triggers(db)
    if stored is None:
        return False
    for statement in _TEMP.split(";"):
        if statement.strip():
            conn.execute(statement)
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        write_rows()
        params = {"lo": lo, "hi": hi}
        for sql in _SUMMARIES:
            if sql is _FIX_BUYERS:
                conn.executemany(FIX_BUYERS_SQL, conn.execute("SELECT scope, a, b, at FROM temp.import_affected"))
            else:
                conn.execute(sql, params if ":lo" in sql else {})
    finally:
        for sql in stored:
            conn.execute(sql)
    return True
