"""Beside the till: points redeemed at our counter are held, and the counter says the discount to key into the POS."""

from __future__ import annotations

from typing import Any

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _


def hold_for_till(panel: Any) -> bool:
    """When the shop rings its sales on a POS and points are to be redeemed: hold them and show the discount.

    True when it handled F12 (the sale itself is rung at the till), False when the counter records the sale."""
    shop = panel.shop
    points = panel.redeem_spin.value()
    if not points or panel.customer_id is None or not shop.pos.beside_till():
        return False
    try:
        held = shop.pos.hold_redemption(panel.customer_id, points, panel.basket.subtotal_cents())
    except LoyaltyError as exc:
        panel.status_label.setText(_('Not redeemed: {exc}').format(exc=exc))
        return True
    panel.status_label.setText(_('{points} points redeemed: {key_into_pos} (balance {points_balance}; confirmed when the POS order comes in)').format(points=points, key_into_pos=held.key_into_pos, points_balance=held.points_balance))
    panel.balance = held.points_balance
    panel.basket.clear()
    panel.redeem_spin.setValue(0)
    return True
