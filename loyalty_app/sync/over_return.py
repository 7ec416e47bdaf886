"""The same purchase line returned in two stores while apart: what was handed back beyond the line is recorded
once per line (the same on every store, whatever order the returns arrived in), the points given or taken twice
are corrected by a ledger entry the owner sees, and the owner is told."""

from __future__ import annotations

from typing import Any

from db import customers_queries as cq
from db import sales_queries as sq
from db import sync_queries as q
from loyalty_app.context import ShopContext
from loyalty_app.money import format_money


def settle_over_return(ctx: ShopContext, line: dict[str, Any], purchase: dict[str, Any],
                       survivor_id: int | None, derive: Any) -> str | None:
    """Bring the line's compensation up to date after a return from another store (inside its transaction).

    Returns the owner's one-line account of the excess, or None when the returns stay within the line."""
    got = sq.sum_returned_for_line(ctx.db, line["id"])
    if got["qty"] <= line["qty"]:
        return None
    paid = line["net_cents"] - line["redeem_discount_cents"] + line["tax_cents"]
    need = {"excess_qty": got["qty"] - line["qty"],
            "excess_refund_cents": max(0, got["refund_cents"] - paid),
            "excess_points_reversed": max(0, got["points_reversed"] - line["points_earned"]),
            "excess_points_restored": max(0, got["points_restored"] - line["points_redeemed"])}
    have = q.get_over_return(ctx.db, line["id"]) or {k: 0 for k in need}
    returns_seen = q.count_returns_of_line(ctx.db, line["id"])
    q.upsert_over_return(ctx.db, line["id"], {**need, "returns_seen": returns_seen, "at": ctx.now_iso()})
    points = ((need["excess_points_reversed"] - have["excess_points_reversed"])
              - (need["excess_points_restored"] - have["excess_points_restored"]))
    if points and purchase["customer_id"] is not None and survivor_id is not None:
        uuid = derive("over-return", line["uuid"], str(returns_seen))
        if q.get_by_uuid(ctx.db, "points_ledger", uuid) is None:
            q.insert_row(ctx.db, "points_ledger", {
                "uuid": uuid, "customer_id": purchase["customer_id"], "kind": "adjust", "delta": points,
                "purchase_id": purchase["id"], "return_id": None, "at": ctx.now_iso(),
                "reason": f"{line['sku']} on purchase #{purchase['id']} returned in two stores while apart: "
                          "points reversed twice given back"})
            cq.add_to_balance(ctx.db, survivor_id, points)
    return (f"purchase #{purchase['id']} {line['sku']}: {got['qty']} returned of {line['qty']} in two stores "
            f"while apart; {format_money(need['excess_refund_cents'], ctx.currency)} refunded beyond the line, "
            f"points corrected by {points:+d}")
