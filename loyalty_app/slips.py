"""A purchase as a slip: the numbers the customer takes home, rendered by receipts/ as a PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loyalty_app.clock import from_iso
from loyalty_app.i18n import _, format_datetime, format_number
from loyalty_app.money import format_money

if TYPE_CHECKING:  # reportlab and python-barcode are imported only when a slip or a barcode is drawn
    from receipts.slip import Slip

PAPERS = ("80mm", "58mm", "A4", "Letter")


def slip_note(shop: Any, customer_id: int | None, bought: set[str] | None = None) -> str:
    """One line for the customer to take home: the refill most due, else the first suggestion ("" if none)."""
    if customer_id is None:
        return ""
    profile = shop.lookup.profile(customer_id, history_limit=1)
    bought = bought or set()
    today = shop.ctx.now().astimezone(shop.ctx.zone).date().isoformat()
    for r in profile.refill_due:
        if r.sku not in bought and r.due_on <= today:
            return _("Due for a refill: {product}").format(product=r.name)
    for s in profile.suggestions:
        if s.sku not in bought:
            return _("Next time, try: {product}").format(product=s.name)
    return ""


def slip_for(shop: Any, purchase_id: int, note: str | None = None) -> Slip:
    """The slip's plain data. ``note=None`` picks the refill or suggestion line; "" leaves it out."""
    from receipts.slip import Slip, SlipLine

    p = shop.sales.purchase(purchase_id)
    if note is None:
        note = slip_note(shop, p.customer_id, {ln.sku for ln in p.lines})
    money = lambda cents: format_money(cents, shop.ctx.currency)  # noqa: E731 - a short local formatter
    when = format_datetime(from_iso(p.occurred_at).astimezone(shop.ctx.zone))
    totals = [(_("Subtotal"), money(p.subtotal_cents))]
    if p.redeem_discount_cents:
        totals.append((_("Points discount ({points} points)").format(points=format_number(p.points_redeemed)),
                       money(-p.redeem_discount_cents)))
    if p.tax_cents:
        totals.append((_("Tax"), money(p.tax_cents)))
    totals.append((_("Total"), money(p.total_cents)))
    customer, card, points = None, None, []
    if p.customer_id is not None:
        c = shop.customers.get(p.customer_id)
        customer = c.name or _("Member")
        cards = [x.number for x in shop.customers.cards(c.id) if x.status == "active"]
        card = cards[0] if cards else None
        # A reprint (a later day, or after a return) shows today's balance, not the one right after this sale.
        sold_on = from_iso(p.occurred_at).astimezone(shop.ctx.zone).date()
        reprint = bool(p.returns) or sold_on != shop.ctx.now().astimezone(shop.ctx.zone).date()
        points = [(_("Earned"), format_number(p.points_earned)), (_("Redeemed"), format_number(p.points_redeemed)),
                  (_("Balance today") if reprint else _("Balance now"), format_number(c.points_balance))]
    store = p.store or shop.ctx.settings.get("default_store", "")
    if store == shop.ctx.shop_name:
        store = ""  # one shop, one name: no need to print it twice
    lines = [SlipLine(ln.name, ln.qty, money(ln.net_cents)) for ln in p.lines]
    lines += [SlipLine(_("returned: {product}").format(product=ln.name), ln.returned_qty, "")
              for ln in p.lines if ln.returned_qty]
    if refunded := sum(r.refund_cents for r in p.returns):
        totals.append((_("Refunded"), money(-refunded)))
    return Slip(shop_name=shop.ctx.shop_name, store=store, when=when, number=str(purchase_id),
                lines=lines, totals=totals, points=points, customer=customer, card_number=card,
                note=note or None, footer=_("Thank you!"), points_title=_("Points"), total_label=_("Total"),
                title=_("{shop} — slip {number}").format(shop=shop.ctx.shop_name, number=purchase_id))


def slip_pdf(shop: Any, purchase_id: int, paper: str = "80mm", note: str | None = None) -> bytes:
    """The slip of a purchase as PDF bytes for preview, printing or saving."""
    from receipts.slip import render_slip

    return render_slip(slip_for(shop, purchase_id, note), paper)


def slip_text(shop: Any, purchase_id: int, note: str | None = None, width: int = 42) -> str:
    """The slip as plain text, for the preview and for till printers that print text."""
    s = slip_for(shop, purchase_id, note)
    center = lambda t: t.center(width).rstrip()  # noqa: E731

    def pair(left: str, right: str) -> str:
        room = width - len(right) - 1
        if len(left) > room:  # a long product name keeps its words: the amount goes on the next line
            return left + "\n" + right.rjust(width)
        return left.ljust(room) + " " + right

    out = [center(s.shop_name)] + ([center(s.store)] if s.store else []) + [center(f"{s.when}  #{s.number}")]
    if s.customer:
        out.append(center(s.customer))
    out.append("")
    out += [pair(f"{ln.qty} x {ln.name}", ln.amount) for ln in s.lines]
    out.append("-" * width)
    out += [pair(label, value) for label, value in s.totals]
    if s.points:
        out += ["", s.points_title] + [pair(label, value) for label, value in s.points]
    if s.note:
        out += ["", center(s.note)]
    out += ["", center(s.footer)]
    return "\n".join(out)


def card_barcode_png(number: str) -> bytes:
    """The card number as a barcode image."""
    from receipts.barcodes import ean13_png

    return ean13_png(number)
