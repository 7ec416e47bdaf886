"""Beside the till: a shop that rings sales on its POS records none at our counter, and points redeemed here are
held until a pulled POS order carries the discount (given back, with an audit line, when none does in time)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from db import points_queries as ptq
from db import pos_queries as pq
from loyalty_app.clock import from_iso, to_iso
from loyalty_app.context import ShopContext, Staff, new_uuid
from loyalty_app.errors import ValidationError
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.ledger import write_entry
from loyalty_app.money import format_money
from loyalty_app.pos.views import HeldRedemption, PendingRedemption

if TYPE_CHECKING:
    from loyalty_app.pos.model import PosOrder

REDEEM_MINUTES_SETTING = "pos_redeem_minutes"
REDEEM_MINUTES = 120
RUNG_BEFORE_SLACK = timedelta(minutes=10)  # the till's clock and ours may differ a little


def counter_sale_guard(ctx: ShopContext) -> Callable[[str], None]:
    """Refuses a sale rung at our counter once a POS is connected: the POS's copy would count it twice."""
    def guard(source: str) -> None:
        if source != "counter":
            return
        kind = pq.any_connection(ctx.db)
        if kind:
            raise ValidationError(f"this shop rings its sales on {kind.capitalize()}: ring this one at the till "
                                  "and it comes in with its points at the next pull (for a customer who did not "
                                  "show their card there, attach the order here afterwards); nothing was saved")
    return guard


class TillRedemptions:
    """Points redeemed at our counter for a basket rung on the POS."""

    def __init__(self, shop: ImportDeps) -> None:
        self.shop = shop
        self.ctx = shop.ctx

    def minutes(self) -> int:
        try:
            return max(1, int(self.ctx.settings.get(REDEEM_MINUTES_SETTING, REDEEM_MINUTES)))
        except ValueError:
            return REDEEM_MINUTES

    def hold(self, customer_id: int, points: int, basket_cents: int, *, actor: Staff | None = None
             ) -> HeldRedemption:
        """Take the points now (so they cannot be spent twice) and say the discount to key into the POS."""
        program = self.shop.points.program()
        for guard in self.shop.sales.redeem_guards:
            guard(customer_id, points)
        customer = self.shop.customers.get(customer_id)
        with self.ctx.write():
            balance = ptq.get_balance(self.ctx.db, customer_id)
            discount = program.check_redemption(points, balance, basket_cents)
            if discount <= 0:
                raise ValidationError("redeem at least one step of points")
            now = self.ctx.now()
            rid = pq.insert_redemption(self.ctx.db, {
                "uuid": new_uuid(), "customer_id": customer_id, "points": points, "discount_cents": discount,
                "status": "pending", "created_at": to_iso(now),
                "expires_at": to_iso(now + timedelta(minutes=self.minutes())), "staff_id": self.ctx.staff_id(actor)})
            off = format_money(discount, self.ctx.currency)
            write_entry(self.ctx, customer_id, "redeem", -points, f"redeemed for a POS sale: {off} off keyed "
                        "into the till", actor=actor)
            self.ctx.audit("pos.redemption_held", str(rid), {"customer_id": customer_id, "points": points,
                                                              "discount_cents": discount}, actor)
            left = ptq.get_balance(self.ctx.db, customer_id)
        return HeldRedemption(rid, customer.name, points, discount,
                              f"key a discount of {off} into the till for {customer.name or 'this customer'}",
                              to_iso(now + timedelta(minutes=self.minutes())), left)

    def pending(self, customer_id: int | None = None) -> list[PendingRedemption]:
        """Redemptions held at our counter whose POS order has not come in yet, oldest first."""
        return [PendingRedemption(**r) for r in pq.pending_redemptions(self.ctx.db, customer_id)]

    def settle(self, order: PosOrder, customer_id: int | None, connection_id: int) -> int:
        """Inside the order's transaction: the held redemptions this order's discount carries are confirmed."""
        budget = order.discount_cents
        if budget <= 0:
            return 0
        rung = from_iso(order.occurred_at)
        confirmed = 0
        for r in pq.pending_redemptions(self.ctx.db, customer_id):
            if customer_id is None and r["discount_cents"] != budget:
                continue  # an order without a customer confirms only a discount of exactly that amount
            if from_iso(r["created_at"]) - RUNG_BEFORE_SLACK > rung or r["discount_cents"] > budget:
                continue
            pq.settle_redemption(self.ctx.db, r["id"], {"status": "confirmed", "settled_at": self.ctx.now_iso(),
                                                        "connection_id": connection_id,
                                                        "pos_order_id": order.order_id})
            budget -= r["discount_cents"]
            confirmed += 1
            if customer_id is None:
                break
        return confirmed

    def expire(self, pulled_up_to: str | None) -> int:
        """Held redemptions whose deadline the pulled orders have passed, unconfirmed: the points given back."""
        if pulled_up_to is None:
            return 0
        n = 0
        for r in pq.pending_redemptions(self.ctx.db):
            if r["expires_at"] > pulled_up_to:
                continue
            with self.ctx.write():
                fresh = pq.get_redemption(self.ctx.db, r["id"])
                if fresh is None or fresh["status"] != "pending":
                    continue
                pq.settle_redemption(self.ctx.db, r["id"], {"status": "reversed", "settled_at": self.ctx.now_iso()})
                write_entry(self.ctx, r["customer_id"], "reverse", r["points"],
                            f"redemption #{r['id']} never reached the POS (no order carried "
                            f"{format_money(r['discount_cents'], self.ctx.currency)} off by {r['expires_at']}): "
                            "points given back")
                self.ctx.audit("pos.redemption_reversed", str(r["id"]), {
                    "customer_id": r["customer_id"], "points": r["points"], "discount_cents": r["discount_cents"],
                    "expires_at": r["expires_at"]})
            n += 1
        return n
