"""Words a cashier can read aloud: '~6 weeks', '7 weeks ago', 'yesterday'."""

from __future__ import annotations


def duration(days: float) -> str:
    d = max(1, int(round(days)))
    if d == 1:
        return "1 day"
    if d < 14:
        return f"{d} days"
    if d < 63:
        return f"{int(round(d / 7))} weeks"
    months = int(round(d / 30.44))
    return "1 month" if months == 1 else f"{months} months"


def ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{duration(days)} ago"
