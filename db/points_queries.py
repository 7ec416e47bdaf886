"""The append-only points ledger."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, scalar


def insert_ledger_entry(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "points_ledger", values)


def ledger_sum(db: Database, customer_id: int) -> int:
    return int(scalar(db, "SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE customer_id = ?",
                      (customer_id,)))


def get_balance(db: Database, customer_id: int) -> int:
    return int(scalar(db, "SELECT points_balance FROM customers WHERE id = ?", (customer_id,)) or 0)


def list_ledger(db: Database, customer_id: int) -> list[Row]:
    return many(
        db,
        "SELECT l.*, s.name AS staff_name, p.uuid AS purchase_uuid FROM points_ledger l "
        "LEFT JOIN staff s ON s.id = l.staff_id LEFT JOIN purchases p ON p.id = l.purchase_id "
        "WHERE l.customer_id IN (SELECT id FROM customers WHERE id = ? OR merged_into = ?) ORDER BY l.at, l.id",
        (customer_id, customer_id),
    )


def expiry_candidates(db: Database, earned_before: str) -> list[Row]:
    """Every customer with points and their FIFO expiry figures, in one grouped scan (the daily job at start-up
    must not run a query per customer): credits earned up to the cut-off, debits other than expiry (net of
    redeemed points given back), and what has expired so far."""
    return many(
        db,
        "SELECT c.id, c.uuid, c.points_balance, c.last_visit_at, c.created_at, "
        "coalesce(sum(CASE WHEN l.delta > 0 AND l.kind IN ('earn', 'bonus', 'adjust', 'merge') AND l.at <= ? "
        "THEN l.delta END), 0) AS old_credits, "
        "coalesce(sum(CASE WHEN l.delta < 0 AND l.kind != 'expire' THEN -l.delta END), 0) "
        "- coalesce(sum(CASE WHEN l.delta > 0 AND l.kind = 'reverse' THEN l.delta END), 0) AS debits, "
        "coalesce(sum(CASE WHEN l.kind = 'expire' THEN -l.delta END), 0) AS expired "
        "FROM customers c JOIN points_ledger l ON l.customer_id = c.id "
        "WHERE c.points_balance > 0 AND c.merged_into IS NULL GROUP BY c.id ORDER BY c.id",
        (earned_before,),
    )
