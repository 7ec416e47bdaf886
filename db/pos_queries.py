"""Live POS connections: the connections with their resume points, and each POS order's link to a purchase."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one, scalar


def insert_connection(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "pos_connections", values)


def get_connection(db: Database, name: str) -> Row | None:
    return one(db, "SELECT * FROM pos_connections WHERE name = ?", (name,))


def list_connections(db: Database) -> list[Row]:
    return many(db, "SELECT * FROM pos_connections ORDER BY id")


def update_connection(db: Database, connection_id: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = ?" for k in values)
    db.conn.execute(f"UPDATE pos_connections SET {sets} WHERE id = ?", [*values.values(), connection_id])


def advance_watermark(db: Database, connection_id: int, updated_at: str) -> None:
    """The newest POS update time applied so far (never moves back)."""
    db.conn.execute("UPDATE pos_connections SET watermark = ?1 WHERE id = ?2 AND (watermark IS NULL "
                    "OR watermark < ?1)", (updated_at, connection_id))


def get_order(db: Database, connection_id: int, pos_order_id: str) -> Row | None:
    return one(db, "SELECT * FROM pos_orders WHERE connection_id = ? AND pos_order_id = ?",
               (connection_id, pos_order_id))


def find_orders(db: Database, pos_order_id: str) -> list[Row]:
    """A POS order id as the cashier or owner types it, on any connection."""
    return many(db, "SELECT o.*, c.name AS connection, c.kind AS pos_kind FROM pos_orders o "
                    "JOIN pos_connections c ON c.id = o.connection_id WHERE o.pos_order_id = ?", (pos_order_id,))


def save_order(db: Database, values: dict[str, Any]) -> None:
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    updates = ", ".join(f"{k} = excluded.{k}" for k in values if k not in ("connection_id", "pos_order_id"))
    db.conn.execute(f"INSERT INTO pos_orders ({cols}) VALUES ({marks}) ON CONFLICT(connection_id, pos_order_id) "
                    f"DO UPDATE SET {updates}", list(values.values()))


def order_for_purchase(db: Database, purchase_id: int) -> Row | None:
    return one(db, "SELECT * FROM pos_orders WHERE purchase_id = ? AND kind = 'sale'", (purchase_id,))


def order_counts(db: Database, connection_id: int) -> dict[str, int]:
    return {f"{r[0]}_{r[1]}": int(r[2]) for r in db.conn.execute(
        "SELECT kind, status, count(*) FROM pos_orders WHERE connection_id = ? GROUP BY kind, status",
        (connection_id,))}


def rejected_orders(db: Database, connection_id: int, limit: int = 20) -> list[Row]:
    return many(db, "SELECT pos_order_id, kind, reason, occurred_at FROM pos_orders WHERE connection_id = ? "
                    "AND status = 'rejected' ORDER BY applied_at DESC LIMIT ?", (connection_id, limit))


def recent_anonymous_orders(db: Database, since: str, limit: int = 20) -> list[Row]:
    """POS sales with no customer yet, newest first: what the counter may attach to the customer in front of it."""
    return many(db, "SELECT o.pos_order_id, o.occurred_at, o.purchase_id, p.total_cents, c.name AS connection "
                    "FROM pos_orders o JOIN purchases p ON p.id = o.purchase_id "
                    "JOIN pos_connections c ON c.id = o.connection_id "
                    "WHERE o.kind = 'sale' AND o.status = 'applied' AND p.customer_id IS NULL "
                    "AND o.occurred_at >= ? ORDER BY o.occurred_at DESC LIMIT ?", (since, limit))


def latest_purchase_time(db: Database, source: str) -> str | None:
    """When the newest sale from this POS (imported from a file or pulled) happened."""
    r = scalar(db, "SELECT max(occurred_at) FROM purchases WHERE source = ?", (source,))
    return None if r is None else str(r)


def purchase_lines_by_sku(db: Database, purchase_id: int) -> list[Row]:
    """A purchase's lines with the SKU, quantity, amounts and what was returned, in line order."""
    return many(db, "SELECT l.line_no, pr.sku, l.qty, l.unit_price_cents, l.line_discount_cents, l.net_cents, "
                    "l.tax_cents, l.returned_qty FROM purchase_lines l JOIN products pr ON pr.id = l.product_id "
                    "WHERE l.purchase_id = ? ORDER BY l.line_no", (purchase_id,))


def purchase_header(db: Database, purchase_id: int) -> Row | None:
    return one(db, "SELECT p.id, p.customer_id, p.occurred_at, p.total_cents, p.external_id, s.name AS store "
                   "FROM purchases p LEFT JOIN stores s ON s.id = p.store_id WHERE p.id = ?", (purchase_id,))


def pulled_sale(db: Database, kind: str, order_key: str) -> bool:
    """Whether a live connection of this POS brought the sale with this key (its returns come the same way)."""
    return scalar(db, "SELECT 1 FROM pos_orders o JOIN pos_connections c ON c.id = o.connection_id "
                      "WHERE c.kind = ? AND o.order_key = ? AND o.kind = 'sale' AND o.status = 'applied' LIMIT 1",
                  (kind, order_key)) is not None


def unclaimed_file_returns(db: Database, purchase_id: int, source: str) -> dict[int, dict[str, int]]:
    """Returns of a purchase imported from a file and not yet matched to a POS return: id → {SKU: qty}."""
    out: dict[int, dict[str, int]] = {}
    for rid, sku, qty in db.conn.execute(
            "SELECT r.id, lower(pr.sku), rl.qty FROM returns r JOIN return_lines rl ON rl.return_id = r.id "
            "JOIN purchase_lines l ON l.id = rl.purchase_line_id JOIN products pr ON pr.id = l.product_id "
            "WHERE r.purchase_id = ? AND r.source = ? AND r.reason = 'refund imported' AND NOT EXISTS "
            "(SELECT 1 FROM pos_orders o WHERE o.return_id = r.id) ORDER BY r.id", (purchase_id, source)):
        per = out.setdefault(int(rid), {})
        per[sku] = per.get(sku, 0) + int(qty)
    return out


def find_orders_by_key(db: Database, order_key: str) -> list[Row]:
    return many(db, "SELECT o.*, c.name AS connection, c.kind AS pos_kind FROM pos_orders o "
                    "JOIN pos_connections c ON c.id = o.connection_id WHERE o.order_key = ? AND o.kind = 'sale'",
                (order_key,))


# -- redemptions held beside the till ----------------------------------------------------------------------------
def any_connection(db: Database) -> str | None:
    """The kind of the shop's first POS connection, if it has one (the counter then sits beside the till)."""
    r = scalar(db, "SELECT kind FROM pos_connections ORDER BY id LIMIT 1")
    return None if r is None else str(r)


def insert_redemption(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "pos_redemptions", values)


def pending_redemptions(db: Database, customer_id: int | None = None) -> list[Row]:
    if customer_id is None:
        return many(db, "SELECT * FROM pos_redemptions WHERE status = 'pending' ORDER BY created_at, id")
    return many(db, "SELECT * FROM pos_redemptions WHERE status = 'pending' AND customer_id = ? "
                    "ORDER BY created_at, id", (customer_id,))


def settle_redemption(db: Database, redemption_id: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = ?" for k in values)
    db.conn.execute(f"UPDATE pos_redemptions SET {sets} WHERE id = ? AND status = 'pending'",
                    [*values.values(), redemption_id])


def get_redemption(db: Database, redemption_id: int) -> Row | None:
    return one(db, "SELECT * FROM pos_redemptions WHERE id = ?", (redemption_id,))
