"""Consent per type of email: what each type means, a customer's three answers, and reading `TYPE=yes|no`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from db import customers_queries as cq
from loyalty_app.context import ShopContext
from loyalty_app.errors import ValidationError
from loyalty_app.i18n import N_, _

CONSENT_TYPES = ("announcements", "refills", "news")
LABELS = {"announcements": N_("new products"), "refills": N_("refill reminders"),
          "news": N_("news (welcome, we miss you)")}
# Which type each marketing email is: only those who agreed to that type receive it.
KIND_TYPE = {"announce": "announcements", "refill": "refills", "welcome": "news", "winback": "news"}
_ANSWERS = {"yes": True, "no": False}


@dataclass(frozen=True, slots=True)
class EmailConsent:
    """A customer's answer for each type of email (the profile JSON's ``consent``)."""

    announcements: bool = False
    refills: bool = False
    news: bool = False

    @classmethod
    def of(cls, row: Mapping[str, object]) -> EmailConsent:
        return cls(*(bool(row.get(f"consent_{t}")) for t in CONSENT_TYPES))

    @classmethod
    def every(cls, granted: bool) -> EmailConsent:
        return cls(granted, granted, granted)

    def granted(self, consent_type: str) -> bool:
        return bool(getattr(self, consent_type))

    @property
    def any(self) -> bool:
        return self.announcements or self.refills or self.news

    def changed(self, answers: Mapping[str, bool]) -> EmailConsent:
        return EmailConsent(*(answers.get(t, self.granted(t)) for t in CONSENT_TYPES))


def parse_consent(items: Iterable[str]) -> dict[str, bool]:
    """`announcements=no`, `refills=yes`, `news=no`, `all=yes` (repeatable) as {type: granted}; one clear line
    for a type or an answer the shop does not know."""
    out: dict[str, bool] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip().lower(), value.strip().lower()
        if not sep:
            raise ValidationError(f"--consent needs TYPE=yes|no (e.g. announcements=no), not '{item}'")
        if name != "all" and name not in CONSENT_TYPES:
            raise ValidationError(f"unknown consent type '{name}': use announcements, refills, news or all")
        if value not in _ANSWERS:
            raise ValidationError(f"consent {name}={value or '?'}: the answer is yes or no")
        for t in CONSENT_TYPES if name == "all" else (name,):
            out[t] = _ANSWERS[value]
    return out


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """Who recorded a type's current answer, when and where (counter, command line, unsubscribe email, ...)."""

    consent_type: str
    granted: bool
    at: str
    source: str
    staff: str | None

    def describe(self) -> str:
        where = _("{source} by {staff}").format(source=self.source, staff=self.staff) if self.staff else self.source
        return (_("yes, {day} ({where})") if self.granted else _("no, {day} ({where})")).format(
            day=self.at[:10], where=where)


def consent_records(ctx: ShopContext, customer_id: int) -> dict[str, ConsentRecord]:
    """Each type's latest recorded answer (types never answered are absent)."""
    rows = cq.latest_consent_by_type(ctx.db, customer_id, CONSENT_TYPES)
    return {t: ConsentRecord(t, bool(r["granted"]), r["at"], r["source"], r["staff"]) for t, r in rows.items()}
