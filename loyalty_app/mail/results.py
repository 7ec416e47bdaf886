"""Did it work: per campaign (and per A/B variant), the share of recipients vs. the control group who bought
within N days, revenue per recipient vs. per control customer, and the lift with its 95% interval."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from db import mail_draft_queries as dq
from db import mail_queries as mq
from loyalty_app import i18n
from loyalty_app.i18n import N_
from loyalty_app.mail.deps import MailDeps
from loyalty_app.mail.lift import Lift, welch

# The campaigns the shop runs itself, named in the shop's language when shown (the row keeps the English name);
# an announcement is named by its product.
KIND_TITLES = {"refill": N_("Refill reminders"), "welcome": N_("Welcome emails"), "winback": N_("We miss you")}


def title_of(kind: str, stored: str) -> str:
    return i18n._(KIND_TITLES[kind]) if kind in KIND_TITLES else stored


def _pct(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


@dataclass(frozen=True)
class VariantResult:
    """One variant of an A/B split: its recipients against the whole control group."""

    variant: str  # A | B
    subject: str | None  # the subject its recipients got
    recipients: int
    recipients_converted: int
    recipient_rate_pct: float | None
    revenue: Lift


@dataclass(frozen=True)
class CampaignResult:
    """One campaign: its emails, who bought within the window in each group, the lift in percentage points
    and in revenue per customer with its 95% interval (``revenue.verdict`` says "too few to tell" when the
    interval spans zero), and each variant's own result under an A/B split."""

    campaign_id: int
    kind: str
    title: str
    sku: str | None
    created_at: str
    emails: int
    sent: int
    failed: int
    queued: int
    window_days: int
    recipients: int
    recipients_converted: int
    control: int
    control_converted: int
    recipient_rate_pct: float | None
    control_rate_pct: float | None
    lift_points: float | None  # percentage points more recipients than control bought
    revenue: Lift
    variants: list[VariantResult] = field(default_factory=list)  # empty without an A/B split
    unsubscribes: int = 0  # customers who unsubscribed through this campaign's emails

    @property
    def recipient_rate(self) -> float | None:
        return self.recipient_rate_pct

    @property
    def control_rate(self) -> float | None:
        return self.control_rate_pct


def _variants(members: Sequence[tuple[str, str | None, bool, int]], control: list[int],
              subjects: dict[str, str]) -> list[VariantResult]:
    out = []
    for name in sorted({v for g, v, _, _ in members if g == "mail" and v}):
        mine = [(conv, cents) for g, v, conv, cents in members if g == "mail" and v == name]
        bought = sum(1 for conv, _ in mine if conv)
        out.append(VariantResult(name, subjects.get(name), len(mine), bought, _pct(bought, len(mine)),
                                 welch([c for _, c in mine], control)))
    return out


def campaign_results(shop: MailDeps, window_days: int | None = None) -> list[CampaignResult]:
    """Every campaign with sends and, for each group, how many bought the product (or came back) in the window
    and what they spent on it (or on anything)."""
    days = window_days if window_days is not None else int(shop.ctx.settings.get("mail_results_days", "30"))
    db = shop.ctx.db
    out = []
    for c in mq.list_campaigns(db):
        product = c["product_id"] if c["kind"] == "announce" else None
        members = [(r["grp"], r["variant"], bool(r["converted"]), int(r["revenue_cents"]))
                   for r in dq.campaign_members(db, c["id"], days, product)]
        mail = [(conv, cents) for g, _, conv, cents in members if g == "mail"]
        control = [(conv, cents) for g, _, conv, cents in members if g == "control"]
        n_mail, n_control = len(mail), len(control)
        mail_bought = sum(1 for conv, _ in mail if conv)
        control_bought = sum(1 for conv, _ in control if conv)
        r_rate, c_rate = _pct(mail_bought, n_mail), _pct(control_bought, n_control)
        lift = None if r_rate is None or c_rate is None else round(r_rate - c_rate, 1)
        control_cents = [cents for _, cents in control]
        variants = _variants(members, control_cents, dq.variant_subjects(db, c["id"]))
        out.append(CampaignResult(
            c["id"], c["kind"], title_of(c["kind"], c["title"]), c["sku"], c["created_at"], c["emails"], c["sent"], c["failed"],
            c["queued"], days, n_mail, mail_bought, n_control, control_bought, r_rate, c_rate, lift,
            welch([cents for _, cents in mail], control_cents), variants,
            c["unsubscribes"]))
    return out
