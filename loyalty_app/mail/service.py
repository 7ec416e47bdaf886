"""The email feature as one service: announcements, refill reminders, the outbox and its delivery, consent and
suppression, the shop mailbox, and each campaign's results. The composition root builds it; screens and the
command line call it."""

from __future__ import annotations

import imaplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from loyalty_app.context import Staff
from loyalty_app.mail import automations, campaigns, consent, drafts, imap, outbox, reminders, results, sender
from loyalty_app.mail import settings as mail_settings
from loyalty_app.mail.deps import MailDeps


@dataclass(frozen=True)
class MailService(MailDeps):
    """Every mail operation of one open shop (owner-only ones check the actor)."""

    # -- settings ---------------------------------------------------------------------------------------------
    def settings(self) -> mail_settings.MailSettings:
        return mail_settings.load(self.ctx.settings)

    def save_settings(self, actor: Staff | None, **values: str | int | None) -> mail_settings.MailSettings:
        return mail_settings.save(self.ctx, actor, **values)

    # -- announcing a product ---------------------------------------------------------------------------------
    def plan_announcement(self, code: str | int, exclude: Iterable[int] = ()) -> campaigns.AnnouncePlan:
        return campaigns.plan_announcement(self, code, exclude)

    def announce(self, code: str | int, actor: Staff | None = None, exclude: Iterable[int] = (),
                 wording: drafts.Wording | None = None) -> outbox.QueueResult:
        return campaigns.announce(self, code, actor, exclude, wording)

    def preview(self, code: str | int, customer_id: int | None, wording: drafts.Wording | None = None,
                variant: str | None = None) -> campaigns.Preview:
        return campaigns.preview(self, code, customer_id, wording, variant)

    # -- the owner's words: drafts kept per product and for the refill reminder -------------------------------
    def draft(self, kind: str, code: str | int | None = None) -> drafts.Draft | None:
        """The kept draft of a product's announcement (kind 'announce') or of the refill reminder ('refill')."""
        return drafts.load(self.ctx, kind, self._product_id(kind, code))

    def save_draft(self, kind: str, code: str | int | None, wording: drafts.Wording,
                   actor: Staff | None = None) -> drafts.Draft:
        return drafts.save(self.ctx, kind, self._product_id(kind, code), wording, actor)

    def default_subject(self, code: str | int | None) -> str:
        """The subject the template would give a product's announcement, or (None) the refill reminder: the
        owner's starting point, in the shop's language."""
        if code is None:
            return reminders.default_subject(self)
        return campaigns.default_subject(self, campaigns.product_for(self, code))

    def _product_id(self, kind: str, code: str | int | None) -> int | None:
        if kind == "refill":
            return None
        if code is None:
            raise ValueError("an announcement's draft belongs to a product")
        return campaigns.product_for(self, code).id

    # -- refill reminders -------------------------------------------------------------------------------------
    def plan_refill(self, today: date | None = None) -> reminders.RefillPlan:
        return reminders.plan_refill(self, today)

    def send_refill(self, actor: Staff | None = None, today: date | None = None,
                    wording: drafts.Wording | None = None) -> outbox.QueueResult:
        return reminders.send_refill(self, actor, today, wording)

    def preview_refill(self, row: reminders.RefillRow | None, wording: drafts.Wording | None = None,
                       variant: str | None = None) -> campaigns.Preview:
        return reminders.preview_refill(self, row, wording, variant)

    def refill_run_is_due(self, today: date | None = None) -> bool:
        return reminders.run_is_due(self, today)

    # -- the gentle automations (welcome, we miss you) --------------------------------------------------------
    def plan_automations(self) -> automations.AutomationPlan:
        return automations.plan_automations(self)

    def run_automations(self, actor: Staff | None = None) -> outbox.QueueResult:
        return automations.run_automations(self, actor)

    def automations_run_is_due(self, today: date | None = None) -> bool:
        return automations.run_is_due(self, today)

    # -- the outbox and its delivery --------------------------------------------------------------------------
    def outbox(self, status: str | None = None, limit: int = 1000) -> list[outbox.OutboxEmail]:
        return outbox.list_outbox(self.ctx, status, limit)

    def outbox_counts(self) -> dict[str, int]:
        return outbox.outbox_counts(self.ctx)

    def retry_failed(self, actor: Staff | None = None) -> int:
        return outbox.retry_failed(self.ctx, actor)

    def deliver(self, *, progress: sender.Progress | None = None, cancel: sender.Cancel | None = None,
                sleep: Callable[[float], None] = time.sleep, max_attempts: int = sender.MAX_ATTEMPTS,
                base_delay: float = sender.BASE_DELAY_SECONDS) -> sender.DeliveryReport:
        return sender.deliver_queued(self, progress=progress, cancel=cancel, sleep=sleep,
                                     max_attempts=max_attempts, base_delay=base_delay)

    def send_test(self, address: str, actor: Staff | None = None) -> str:
        return sender.send_test(self, address, actor)

    # -- consent, suppression and the shop mailbox ------------------------------------------------------------
    def contactable(self, consent_type: str = "announcements") -> dict[int, consent.Contact]:
        return consent.contactable(self.ctx, consent_type)

    def suppress(self, email: str, reason: str, source: str, detail: str | None = None,
                 actor: Staff | None = None) -> consent.Suppressed:
        return consent.suppress(self, email, reason, source, detail, actor)

    def unsubscribe(self, email: str, source: str = "command line", actor: Staff | None = None) -> consent.Suppressed:
        return consent.unsubscribe(self, email, source, actor)

    def unsubscribe_token(self, token: str, source: str = "unsubscribe link",
                          everything: bool = False) -> consent.Suppressed:
        return consent.unsubscribe_token(self, token, source, everything)

    def apply_message(self, msg: EmailMessage) -> list[consent.Suppressed]:
        return imap.apply_message(self, msg)

    def check_mailbox(self, factory: Callable[[str, int], imaplib.IMAP4] = imaplib.IMAP4_SSL,
                      ) -> list[consent.Suppressed]:
        return imap.check_mailbox(self, factory)

    # -- did it work ------------------------------------------------------------------------------------------
    def campaign_results(self, window_days: int | None = None) -> list[results.CampaignResult]:
        return results.campaign_results(self, window_days)
