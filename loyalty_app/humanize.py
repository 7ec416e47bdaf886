"""Times and amounts as a cashier says them: '3 weeks ago', 'today', 'Basil olive oil 250 ml ×1'."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from loyalty_app.lookup import PurchaseLineView


def ago(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "never"
    days = (now.date() - then.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def basket_text(lines: Iterable[PurchaseLineView]) -> str:
    return ", ".join(f"{ln.name} ×{ln.qty}" for ln in lines)
