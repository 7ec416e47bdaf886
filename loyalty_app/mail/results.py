"""Did it work: per campaign, the share of recipients vs. the control group who bought within N days (the lift)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from db import mail_queries as mq
from loyalty_app.mail.deps import MailDeps


@dataclass(frozen=True)
class CampaignResult:
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
    unsubscribes: int = 0  # customers who unsubscribed through this campaign's emails

    @staticmethod
    def _pct(n: int, d: int) -> float | None:
        return round(100.0 * n / d, 1) if d else None

    @property
    def recipient_rate(self) -> float | None:
        return self._pct(self.recipients_converted, self.recipients)

    @property
    def control_rate(self) -> float | None:
        return self._pct(self.control_converted, self.control)

    @property
    def lift_points(self) -> float | None:
        """Percentage points more recipients than control bought (None until both groups have members)."""
        if self.recipient_rate is None or self.control_rate is None:
            return None
        return round(self.recipient_rate - self.control_rate, 1)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "recipient_rate_pct": self.recipient_rate, "control_rate_pct": self.control_rate,
                "lift_points": self.lift_points}


def campaign_results(shop: MailDeps, window_days: int | None = None) -> list[CampaignResult]:
    """Every campaign with sends and, for each group, how many bought the product (or came back) in the window."""
    days = window_days if window_days is not None else int(shop.ctx.settings.get("mail_results_days", "30"))
    db = shop.ctx.db
    out = []
    for c in mq.list_campaigns(db):
        product = c["product_id"] if c["kind"] == "announce" else None
        conv = mq.campaign_conversions(db, c["id"], days, product)
        mail, control = conv.get("mail", {}), conv.get("control", {})
        out.append(CampaignResult(
            c["id"], c["kind"], c["title"], c["sku"], c["created_at"], c["emails"], c["sent"], c["failed"],
            c["queued"], days, mail.get("members", 0), mail.get("converted", 0), control.get("members", 0),
            control.get("converted", 0), c["unsubscribes"]))
    return out
