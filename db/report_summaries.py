"""The report summaries (schema 0008) as a whole: rebuilding them from the sales, checking them against the sales,
and setting their triggers aside while a new shop's history is written in bulk."""

from __future__ import annotations

from sqlite_utils import Database

# Each summary table with the query that computes it from purchases and purchase lines, columns in table order.
EXPECTED: dict[str, str] = {
    "report_sales_days":
        "SELECT substr(p.occurred_at, 1, 10), coalesce(p.store_id, 0), l.product_id, count(*), "
        "sum(l.qty - l.returned_qty), sum(l.net_cents * (l.qty - l.returned_qty) / l.qty) "
        "FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id "
        "GROUP BY substr(p.occurred_at, 1, 10), coalesce(p.store_id, 0), l.product_id",
    "report_purchase_days":
        "SELECT substr(occurred_at, 1, 10), coalesce(store_id, 0), count(*), count(customer_id), sum(subtotal_cents), "
        "coalesce(sum(CASE WHEN customer_id IS NOT NULL THEN subtotal_cents END), 0) "
        "FROM purchases GROUP BY substr(occurred_at, 1, 10), coalesce(store_id, 0)",
    "report_buyers":
        "SELECT scope, product_id, customer_id, at, "
        "lag(at) OVER (PARTITION BY scope, product_id, customer_id ORDER BY at), n "
        "FROM (SELECT 0 AS scope, l.product_id, p.customer_id, p.occurred_at AS at, count(*) AS n "
        "FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id WHERE p.customer_id IS NOT NULL "
        "GROUP BY l.product_id, p.customer_id, p.occurred_at "
        "UNION ALL SELECT p.store_id, l.product_id, p.customer_id, p.occurred_at, count(*) "
        "FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id "
        "WHERE p.customer_id IS NOT NULL AND p.store_id IS NOT NULL "
        "GROUP BY p.store_id, l.product_id, p.customer_id, p.occurred_at)",
    "report_visits":
        "SELECT scope, customer_id, at, lag(at) OVER w, lead(at) OVER w, n "
        "FROM (SELECT 0 AS scope, customer_id, occurred_at AS at, count(*) AS n FROM purchases "
        "WHERE customer_id IS NOT NULL GROUP BY customer_id, occurred_at "
        "UNION ALL SELECT store_id, customer_id, occurred_at, count(*) FROM purchases "
        "WHERE customer_id IS NOT NULL AND store_id IS NOT NULL GROUP BY store_id, customer_id, occurred_at) "
        "WINDOW w AS (PARTITION BY scope, customer_id ORDER BY at)",
    "report_customer_stats":
        "SELECT 0, customer_id, count(*), min(occurred_at), max(occurred_at), sum(subtotal_cents) FROM purchases "
        "WHERE customer_id IS NOT NULL GROUP BY customer_id "
        "UNION ALL SELECT store_id, customer_id, count(*), min(occurred_at), max(occurred_at), sum(subtotal_cents) "
        "FROM purchases WHERE customer_id IS NOT NULL AND store_id IS NOT NULL GROUP BY store_id, customer_id",
}


# The chains' scopes one statement each when rebuilding: each sorts half as many rows.
SCOPES = {
    "report_buyers": [
        "SELECT 0, product_id, customer_id, at, lag(at) OVER (PARTITION BY product_id, customer_id ORDER BY at), n "
        "FROM (SELECT l.product_id, p.customer_id, p.occurred_at AS at, count(*) AS n "
        "FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id WHERE p.customer_id IS NOT NULL "
        "GROUP BY l.product_id, p.customer_id, p.occurred_at)",
        "SELECT store_id, product_id, customer_id, at, "
        "lag(at) OVER (PARTITION BY store_id, product_id, customer_id ORDER BY at), n "
        "FROM (SELECT p.store_id, l.product_id, p.customer_id, p.occurred_at AS at, count(*) AS n "
        "FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id "
        "WHERE p.customer_id IS NOT NULL AND p.store_id IS NOT NULL "
        "GROUP BY p.store_id, l.product_id, p.customer_id, p.occurred_at)"],
    "report_visits": [
        "SELECT 0, customer_id, at, lag(at) OVER w, lead(at) OVER w, n "
        "FROM (SELECT customer_id, occurred_at AS at, count(*) AS n FROM purchases "
        "WHERE customer_id IS NOT NULL GROUP BY customer_id, occurred_at) "
        "WINDOW w AS (PARTITION BY customer_id ORDER BY at)",
        "SELECT store_id, customer_id, at, lag(at) OVER w, lead(at) OVER w, n "
        "FROM (SELECT store_id, customer_id, occurred_at AS at, count(*) AS n FROM purchases "
        "WHERE customer_id IS NOT NULL AND store_id IS NOT NULL GROUP BY store_id, customer_id, occurred_at) "
        "WINDOW w AS (PARTITION BY store_id, customer_id ORDER BY at)"],
}


def rebuild_report_summaries(db: Database) -> None:
    """Compute every summary afresh from the sales (in the caller's transaction). Their secondary indexes are
    dropped meanwhile and built again at the end: one sorted build beats millions of scattered inserts."""
    marks = ", ".join("?" for _ in EXPECTED)
    indexes = db.conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                              f"AND tbl_name IN ({marks}) ORDER BY name", list(EXPECTED)).fetchall()
    for name, _ in indexes:
        db.conn.execute(f'DROP INDEX "{name}"')
    for table, select in EXPECTED.items():
        db.conn.execute(f"DELETE FROM {table}")
        for part in SCOPES.get(table, [select]):
            db.conn.execute(f"INSERT INTO {table} {part}")
    for _, sql in indexes:
        db.conn.execute(sql)


# Each summary's key and value columns, in table order.
COLUMNS: dict[str, tuple[list[str], list[str]]] = {
    "report_sales_days": (["day", "store_id", "product_id"], ["lines", "units", "revenue_cents"]),
    "report_purchase_days": (["day", "store_id"],
                             ["purchases", "member_purchases", "subtotal_cents", "member_subtotal_cents"]),
    "report_buyers": (["scope", "product_id", "customer_id", "at"], ["prev_at", "n"]),
    "report_visits": (["scope", "customer_id", "at"], ["prev_at", "next_at", "n"]),
    "report_customer_stats": (["scope", "customer_id"], ["visits", "first_at", "last_at", "spent_cents"]),
}


def summary_problems(db: Database) -> list[str]:
    """The summaries' rows that differ from what the sales say, per table (empty when they agree).

    Every row the sales give must be in the summary, values and all (looked up by its key), and the summary must
    hold no more rows than that."""
    out = []
    for table, (key, values) in COLUMNS.items():
        same = " AND ".join([f"t.{k} = e.{k}" for k in key] + [f"t.{v} IS e.{v}" for v in values])
        expected = missing = 0
        for part in SCOPES.get(table, [EXPECTED[table]]):
            n, m = db.conn.execute(
                f"WITH e({', '.join(key + values)}) AS ({part}) SELECT count(*), "
                f"coalesce(sum(NOT EXISTS (SELECT 1 FROM {table} t WHERE {same})), 0) FROM e").fetchone()
            expected, missing = expected + n, missing + m
        held = db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if missing or held != expected:
            out.append(f"{table}: {missing} of the sales' {expected} rows missing or different, {held} rows held "
                       "(`loyalty check --rebuild-summaries` recomputes them)")
    return out


def suspend_report_summaries(db: Database) -> list[str]:
    """Drop the triggers that keep the summaries (for writing a new shop's history in bulk); returns their
    CREATE statements for ``resume_report_summaries``."""
    rows = db.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'report\\_%' ESCAPE '\\' "
        "AND tbl_name IN ('purchases', 'purchase_lines') ORDER BY name").fetchall()
    for name, _ in rows:
        db.conn.execute(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in rows]


def resume_report_summaries(db: Database, statements: list[str]) -> None:
    """Rebuild the summaries from what was written meanwhile, then put the triggers back."""
    rebuild_report_summaries(db)
    for sql in statements:
        db.conn.execute(sql)
