"""Consistency checks behind `loyalty check`: each returns a list of problems found (empty when clean)."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from db.report_summaries import summary_problems
from db.rows import many


def integrity_problems(db: Database, *, quick: bool = False) -> list[str]:
    """SQLite's own check of every page (``quick``: without matching indexes to tables, about ten times
    faster); a file so damaged that the check itself fails reports that failure."""
    try:
        rows = db.conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        return [str(exc)]
    return [str(r[0]) for r in rows if r[0] != "ok"]


def foreign_key_problems(db: Database) -> list[str]:
    rows = db.conn.execute("PRAGMA foreign_key_check").fetchall()
    return [f"{r[0]} row {r[1]} points at a missing {r[2]}" for r in rows]


def balance_problems(db: Database) -> list[str]:
    """Each live customer's balance equals the ledger of its whole group (itself and what was merged into it);
    a merged customer's own balance is zero."""
    rows = many(
        db,
        "SELECT c.id, c.merged_into, c.points_balance, CASE WHEN c.merged_into IS NULL "
        "THEN coalesce(g.total, 0) ELSE 0 END AS expected FROM customers c "
        "LEFT JOIN (SELECT coalesce(cc.merged_into, cc.id) AS owner, sum(l.delta) AS total FROM points_ledger l "
        "JOIN customers cc ON cc.id = l.customer_id GROUP BY owner) g ON g.owner = c.id "
        "WHERE c.points_balance != CASE WHEN c.merged_into IS NULL THEN coalesce(g.total, 0) ELSE 0 END",
    )
    return [f"customer {r['id']}: balance {r['points_balance']} but its ledger sums to {r['expected']}"
            for r in rows]


def return_problems(db: Database) -> list[str]:
    rows = many(
        db,
        "SELECT l.id, l.qty, l.returned_qty, coalesce(r.q, 0) AS recorded, l.points_earned, l.points_redeemed, "
        "coalesce(r.rev, 0) AS rev, coalesce(r.res, 0) AS res FROM purchase_lines l "
        "LEFT JOIN (SELECT purchase_line_id, sum(qty) AS q, sum(points_reversed) AS rev, "
        "sum(points_restored) AS res FROM return_lines GROUP BY purchase_line_id) r ON r.purchase_line_id = l.id "
        # The same line returned in two stores while apart: the excess is recorded once, beside the returns.
        "LEFT JOIN sync_over_returns o ON o.purchase_line_id = l.id "
        "WHERE l.returned_qty != coalesce(r.q, 0) - coalesce(o.excess_qty, 0) OR l.returned_qty > l.qty "
        "OR coalesce(r.rev, 0) - coalesce(o.excess_points_reversed, 0) > l.points_earned "
        "OR coalesce(r.res, 0) - coalesce(o.excess_points_restored, 0) > l.points_redeemed",
    )
    return [
        f"purchase line {r['id']}: returned {r['returned_qty']} (recorded {r['recorded']}) of {r['qty']}, "
        f"reversed {r['rev']}/{r['points_earned']} points, restored {r['res']}/{r['points_redeemed']}"
        for r in rows
    ]


def total_problems(db: Database) -> list[str]:
    rows = many(
        db,
        "SELECT p.id, p.subtotal_cents, p.points_earned, p.points_redeemed, p.redeem_discount_cents, "
        "coalesce(sum(l.net_cents), 0) AS net, coalesce(sum(l.points_earned), 0) AS earned, "
        "coalesce(sum(l.points_redeemed), 0) AS redeemed, coalesce(sum(l.redeem_discount_cents), 0) AS disc "
        "FROM purchases p LEFT JOIN purchase_lines l ON l.purchase_id = p.id GROUP BY p.id "
        "HAVING p.subtotal_cents != net OR p.points_earned != earned OR p.points_redeemed != redeemed "
        "OR p.redeem_discount_cents != disc",
    )
    return [f"purchase {r['id']}: header totals differ from its lines" for r in rows]


def negative_balance_problems(db: Database) -> list[str]:
    """A balance below zero is allowed only when a return reversed points that were already spent, or when
    stores redeemed while apart (an overdraft listed for the owner by `loyalty sync status`)."""
    rows = many(
        db,
        "SELECT c.id, c.points_balance FROM customers c WHERE c.points_balance < 0 AND NOT EXISTS "
        "(SELECT 1 FROM points_ledger l JOIN customers g ON g.id = l.customer_id "
        " WHERE (g.id = c.id OR g.merged_into = c.id) AND ((l.kind = 'reverse' AND l.delta < 0) "
        "  OR l.uuid NOT IN (SELECT entity_uuid FROM change_log)))",
    )
    return [f"customer {r['id']}: balance {r['points_balance']} below zero without a return" for r in rows]


ALL_CHECKS = {
    "integrity": integrity_problems,
    "foreign_keys": foreign_key_problems,
    "balances": balance_problems,
    "returns": return_problems,
    "totals": total_problems,
    "negative_balances": negative_balance_problems,
    "report_summaries": summary_problems,
}
