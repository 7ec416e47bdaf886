"""Times and amounts as a cashier says them: '3 weeks ago', 'today', 'Basil olive oil 250 ml ×1'."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from loyalty_app.i18n import _, ngettext
from loyalty_app.lookup import PurchaseLineView


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
