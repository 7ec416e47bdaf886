"""What the counter's panels show of a customer, every text already formatted (money in the shop's currency and
locale, dates in the shop's zone, translated), built by one function from the profile read on Enter; and times and
baskets as a cashier says them: '3 weeks ago', 'today', 'Basil olive oil 250 ml ×1'."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from loyalty_app.clock import from_iso
from loyalty_app.context import ShopContext
from loyalty_app.i18n import _, format_month, format_number, ngettext
from loyalty_app.lookup import CounterProfile, CustomerProfile, PurchaseLineView
from loyalty_app.money import format_money
from loyalty_app.phones import display_phone
from loyalty_app.points_rules import PointsProgram

REFILLS_SHOWN = 4  # refills due today the counter lists, most urgent first


@dataclass(frozen=True, slots=True)
class HintLine:
    """A refill due or a suggestion as the counter lists it: the product and the reason to read aloud."""

    sku: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class CounterView:
    """Every text the counter shows of the customer on Enter; ``profile`` for the history, ``program`` for the
    sale's redemption."""

    customer_id: int
    name: str
    balance: str
    worth: str
    details: str
    last_basket: str
    refills: tuple[HintLine, ...]
    suggestions: tuple[HintLine, ...]
    tags: str
    notes: str
    sale_name: str
    points_balance: int
    profile: CustomerProfile
    program: PointsProgram


def counter_view(found: CounterProfile, ctx: ShopContext) -> CounterView:
    """The counter's texts of a profile, for the shop's currency, region, zone and the language in use, now."""
    p = found.profile
    now = ctx.now()
    phones = ", ".join(display_phone(x, ctx.region) for x in p.phones)
    if p.points_balance > 0:
        worth = _("worth {amount}").format(amount=format_money(p.points_value_cents, ctx.currency))
    else:
        worth = _("owes points (a returned sale)") if p.points_balance < 0 else ""
    since = from_iso(p.member_since).astimezone(ctx.zone)
    last = from_iso(p.last_visit) if p.last_visit else None
    today = now.astimezone(ctx.zone).date().isoformat()
    return CounterView(
        customer_id=p.id,
        name=p.name or phones or _("Customer #{number}").format(number=p.id),
        balance=ngettext("{points} point", "{points} points", p.points_balance).format(
            points=format_number(p.points_balance)),
        worth=worth,
        details=_("{phones}   ·   member since {month}   ·   last visit {ago}").format(
            phones=phones, month=format_month(since.date()), ago=ago(last, now)),
        last_basket=(_("Last time: {basket}").format(basket=basket_text(p.last_basket)) if p.last_basket
                     else _("No purchases yet.")),
        refills=tuple(HintLine(r.sku, r.name, r.reason or _("due {day}").format(day=r.due_on))
                      for r in p.refill_due if r.due_on <= today)[:REFILLS_SHOWN],
        suggestions=tuple(HintLine(s.sku, s.name, s.reason) for s in p.suggestions),
        tags=", ".join(p.tags),
        notes=p.notes or "",
        sale_name=p.name or "member",
        points_balance=p.points_balance,
        profile=p,
        program=found.program,
    )


def ago(then: datetime | None, now: datetime) -> str:
    if then is None:
        return _("never")
    days = (now.date() - then.date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    if days < 14:
        return ngettext("{n} day ago", "{n} days ago", days).format(n=days)
    if days < 60:
        return ngettext("{n} week ago", "{n} weeks ago", days // 7).format(n=days // 7)
    if days < 730:
        return ngettext("{n} month ago", "{n} months ago", days // 30).format(n=days // 30)
    return ngettext("{n} year ago", "{n} years ago", days // 365).format(n=days // 365)


def basket_text(lines: Iterable[PurchaseLineView]) -> str:
    return ", ".join(f"{ln.name} ×{ln.qty}" for ln in lines)
