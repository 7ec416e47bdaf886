"""Words a cashier can read aloud, in the shop's language: '~6 weeks', '7 weeks ago', 'yesterday'."""

from __future__ import annotations

from loyalty_app.i18n import N_, _, ngettext

# The basis of a refill rhythm, as the reason names it (the rhythm keeps the English key).
BASIS = {"own rhythm": N_("own rhythm"), "product interval": N_("product interval"),
         "other buyers": N_("other buyers")}


def duration(days: float) -> str:
    d = max(1, int(round(days)))
    if d < 14:
        return ngettext("{n} day", "{n} days", d).format(n=d)
    if d < 63:
        weeks = int(round(d / 7))
        return ngettext("{n} week", "{n} weeks", weeks).format(n=weeks)
    months = int(round(d / 30.44))
    return ngettext("{n} month", "{n} months", months).format(n=months)


def ago(days: int) -> str:
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return _("{duration} ago").format(duration=duration(days))


def basis(name: str) -> str:
    return _(BASIS[name]) if name in BASIS else name
