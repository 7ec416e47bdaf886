"""The append-only points ledger."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one, scalar


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


def expiry_figures(db: Database, customer_id: int, earned_before: str) -> Row:
    """Credits older than a cut-off, all debits other than expiry, expiries so far (for FIFO expiry)."""
    r = one(
        db,
        "SELECT "
        "coalesce(sum(CASE WHEN delta > 0 AND kind IN ('earn', 'bonus', 'adjust', 'merge') AND at <= ? "
        "THEN delta END), 0) AS old_credits, "
        "coalesce(sum(CASE WHEN delta < 0 AND kind != 'expire' THEN -delta END), 0) "
        "- coalesce(sum(CASE WHEN delta > 0 AND kind = 'reverse' THEN delta END), 0) AS debits, "
        "coalesce(sum(CASE WHEN kind = 'expire' THEN -delta END), 0) AS expired "
        "FROM points_ledger WHERE customer_id = ?",
        (earned_before, customer_id),
    )
    assert r is not None
    return r


def customers_with_positive_balance(db: Database) -> list[Row]:
    return many(db, "SELECT id, points_balance, last_visit_at FROM customers WHERE points_balance > 0 "
                    "AND merged_into IS NULL")
