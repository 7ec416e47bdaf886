"""Helpers for the foundation's tests: a fingerprint of everything a bad input must leave unchanged."""

from __future__ import annotations

from typing import Any

from loyalty_app.shop import Shop

TABLES = ("customers", "phones", "cards", "consent_events", "products", "stores", "staff", "purchases",
          "purchase_lines", "returns", "return_lines", "points_ledger", "audit_log", "change_log", "settings")


def fingerprint(shop: Shop) -> dict[str, Any]:
    """Row counts of the shop's tables, every balance, and what has been returned of every line."""
    conn = shop.ctx.db.conn
    data: dict[str, Any] = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    data["balances"] = conn.execute("SELECT id, points_balance FROM customers ORDER BY id").fetchall()
    data["returned"] = conn.execute("SELECT id, returned_qty FROM purchase_lines ORDER BY id").fetchall()
    data["customers_rows"] = conn.execute("SELECT * FROM customers ORDER BY id").fetchall()
    return {k: [tuple(r) for r in v] if isinstance(v, list) else v for k, v in data.items()}
