"""A purchase as a slip: the numbers the customer takes home, rendered by receipts/ as a PDF."""

from __future__ import annotations

from typing import Any

from loyalty_app.clock import from_iso
from loyalty_app.money import format_money
from receipts.slip import Slip, SlipLine, render_slip

PAPERS = ("80mm", "58mm", "A4", "Letter")


def slip_for(shop: Any, purchase_id: int, note: str | None = None) -> Slip:
    p = shop.sales.purchase(purchase_id)
    money = lambda cents: format_money(cents, shop.ctx.currency)  # noqa: E731 - a short local formatter
    when = from_iso(p["occurred_at"]).astimezone(shop.ctx.zone).strftime("%Y-%m-%d %H:%M")
    totals = [("Subtotal", money(p["subtotal_cents"]))]
    if p["redeem_discount_cents"]:
        totals.append((f"Points discount ({p['points_redeemed']} points)", money(-p["redeem_discount_cents"])))
    if p["tax_cents"]:
        totals.append(("Tax", money(p["tax_cents"])))
    totals.append(("Total", money(p["total_cents"])))
    customer, card, points = None, None, []
    if p["customer_id"] is not None:
        c = shop.customers.get(p["customer_id"])
        customer = c.name or "Member"
        cards = [x["number"] for x in shop.customers.cards(c.id) if x["status"] == "active"]
        card = cards[0] if cards else None
        points = [("Earned", str(p["points_earned"])), ("Redeemed", str(p["points_redeemed"])),
                  ("Balance now", str(c.points_balance))]
    store = shop.ctx.settings.get("default_store", "")
    lines = [SlipLine(ln["name"], ln["qty"], money(ln["net_cents"])) for ln in p["lines"]]
    return Slip(shop_name=shop.ctx.shop_name, store=p.get("store") or store, when=when, number=str(purchase_id),
                lines=lines, totals=totals, points=points, customer=customer, card_number=card, note=note)


def slip_pdf(shop: Any, purchase_id: int, paper: str = "80mm", note: str | None = None) -> bytes:
    """The slip of a purchase as PDF bytes for preview, printing or saving."""
    return render_slip(slip_for(shop, purchase_id, note), paper)
