"""The one place a points ledger entry is written: the row, the cached balance, and its change record."""

from __future__ import annotations

from db import customers_queries as cq
from db import points_queries as pq
from loyalty_app.context import ShopContext, Staff, new_uuid


def write_entry(ctx: ShopContext, customer_id: int, kind: str, delta: int, reason: str, *,
                actor: Staff | None = None, at: str | None = None, purchase_id: int | None = None,
                purchase_uuid: str | None = None, return_id: int | None = None, return_uuid: str | None = None,
                customer_uuid: str | None = None) -> str:
    """Append one entry inside the caller's transaction and keep the cached balance equal to the ledger sum."""
    uid = new_uuid()
    when = at or ctx.now_iso()
    staff_id = ctx.staff_id(actor)
    pq.insert_ledger_entry(ctx.db, {"uuid": uid, "customer_id": customer_id, "kind": kind, "delta": delta,
                                    "purchase_id": purchase_id, "return_id": return_id, "reason": reason,
                                    "staff_id": staff_id, "at": when})
    cq.add_to_balance(ctx.db, customer_id, delta)
    if customer_uuid is None:
        row = cq.get_customer(ctx.db, customer_id)
        assert row is not None
        customer_uuid = str(row["uuid"])
    ctx.emit("ledger.entry", uid, {"customer": customer_uuid, "kind": kind, "delta": delta, "reason": reason,
                                   "purchase": purchase_uuid, "return": return_uuid, "at": when,
                                   "staff": actor.name if actor else (ctx.actor.name if ctx.actor else None)})
    return uid
