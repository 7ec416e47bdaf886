"""Delivering the outbox: one SMTP session, retries with backoff on temporary failures, the server's reason on
permanent ones, each email marked sent in its own commit right after the server accepted it."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from db import mail_draft_queries as dq
from db import mail_queries as mq
from loyalty_app.consent_types import KIND_TYPE
from loyalty_app.context import Staff
from loyalty_app.mail import lease
from loyalty_app.mail import settings as mail_settings
from loyalty_app.mail.compose import with_picture
from loyalty_app.mail.deps import MailDeps
from loyalty_app.mail.smtp import MailServerError, classify, connect, explain

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
MAX_ATTEMPTS = 4
BASE_DELAY_SECONDS = 2.0


@dataclass
class DeliveryReport:
    total: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    remaining: int = 0
    cancelled: bool = False
    error: str | None = None


def _no_progress(done: int, total: int, text: str) -> None:
    return None


def _never() -> bool:
    return False


class _Batch:
    def __init__(self, shop: MailDeps, progress: Progress, cancel: Cancel, sleep: Callable[[float], None],
                 max_attempts: int) -> None:
        self.shop = shop
        self.ms = mail_settings.load(shop.ctx.settings)
        self.progress, self.cancel, self.sleep, self.max_attempts = progress, cancel, sleep, max_attempts
        self.conn: smtplib.SMTP | None = None
        self.report = DeliveryReport()

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                self.conn.close()
            self.conn = None

    def wait(self, seconds: float) -> None:
        """Back off, in short steps so Cancel is honoured promptly."""
        end = time.monotonic() + seconds
        while not self.cancel():
            left = end - time.monotonic()
            if left <= 0:
                return
            self.sleep(min(left, 0.25))

    def _record(self, oid: int, status: str, error: str) -> None:
        with self.shop.ctx.write():
            mq.mark_attempt(self.shop.ctx.db, oid, status, error, self.shop.ctx.now_iso())

    def send_one(self, row: dict[str, Any]) -> str:
        """'sent' | 'failed' | 'retry' | 'connection' | 'fatal' | 'skipped' for one queued email."""
        ctx = self.shop.ctx
        if row["customer_id"] is not None and not mq.is_still_contactable(
                ctx.db, row["customer_id"], row["to_address"], KIND_TYPE[row["kind"]]):
            with ctx.write():
                mq.cancel_queued_kinds(ctx.db, row["customer_id"], [row["kind"]],
                                       "consent withdrawn or address changed", ctx.now_iso())
            return "skipped"
        try:
            if self.conn is None:
                self.conn = connect(self.ms)
            # A str (7-bit, from compose) lets smtplib turn line ends into CRLF as SMTP requires.
            self.conn.sendmail(self.ms.from_address, [row["to_address"]], _with_picture(ctx, row))
        except (smtplib.SMTPException, OSError, MailServerError) as exc:
            kind, reason = classify(exc)
            if kind in ("connection", "fatal"):
                if kind == "connection":
                    self.close()
                self.report.error = explain(exc, self.ms)
                return kind
            attempts = row["attempts"] + 1
            if kind == "permanent":
                self._record(row["id"], "failed", reason)
                return "failed"
            if attempts >= self.max_attempts:
                self._record(row["id"], "failed", f"gave up after {attempts} attempts: {reason}")
                return "failed"
            self._record(row["id"], "queued", reason)
            return "retry"
        # The server has accepted the message: record it at once. A crash before this commit is the only way
        # a message can be sent twice (see README, "the duplicate window").
        with ctx.write():
            mq.mark_sent(ctx.db, row["id"], ctx.now_iso())
        return "sent"


def _with_picture(ctx: Any, row: dict[str, Any]) -> str:
    """The stored message, with its picture (kept once, not in every stored email) put in."""
    data = dq.get_picture_data(ctx.db, row["picture_id"]) if row.get("picture_id") else None
    return row["message"] if data is None else with_picture(row["message"], data)


def deliver_queued(shop: MailDeps, *, progress: Progress | None = None, cancel: Cancel | None = None,
                   sleep: Callable[[float], None] = time.sleep, max_attempts: int = MAX_ATTEMPTS,
                   base_delay: float = BASE_DELAY_SECONDS) -> DeliveryReport:
    """Deliver the queued emails; returns when each is sent or failed, or the server cannot be used."""
    batch = _Batch(shop, progress or _no_progress, cancel or _never, sleep, max_attempts)
    report = batch.report
    if not batch.ms.configured:
        report.error = "sending is not set up: loyalty mail setup --host H --port N --from ADDRESS"
        return report
    other = lease.acquire(shop.ctx)
    if other is not None:
        report.error = f"another sender ({other}) is delivering the outbox; it will send these too"
        report.remaining = len(mq.list_queued_ids(shop.ctx.db))
        return report
    pending = mq.list_queued_ids(shop.ctx.db)
    report.total = len(pending)
    done, backoff, connection_failures = 0, base_delay, 0
    renewed = time.monotonic()
    try:
        while pending and not report.cancelled:
            retry: list[int] = []
            for i, oid in enumerate(pending):
                if batch.cancel():
                    report.cancelled = True
                    break
                row = mq.get_outbox(shop.ctx.db, oid)
                if row is None or row["status"] != "queued":
                    continue
                if time.monotonic() - renewed > lease.LEASE_SECONDS / 4:
                    lease.acquire(shop.ctx)
                    renewed = time.monotonic()
                outcome = batch.send_one(row)
                if outcome == "connection":
                    connection_failures += 1
                    if connection_failures >= max_attempts:
                        return report
                    retry.extend(pending[i:])  # the server is away: back off and go on from this email
                    break
                if outcome == "fatal":
                    return report  # wrong password, TLS refused...: everything stays queued
                connection_failures = 0 if outcome == "sent" else connection_failures
                if outcome == "retry":
                    retry.append(oid)
                    report.retried += 1
                    continue
                done += 1
                report.sent += outcome == "sent"
                report.failed += outcome == "failed"
                report.skipped += outcome == "skipped"
                batch.progress(done, report.total, f"{row['to_address']}: {outcome}")
            if retry and not report.cancelled:
                batch.wait(backoff)
                backoff *= 2
                report.cancelled = batch.cancel()
            pending = retry
    finally:
        batch.close()
        lease.release(shop.ctx)
        report.remaining = len(mq.list_queued_ids(shop.ctx.db))
    if report.error and report.remaining == 0:
        report.error = None  # a blip the retries got over
    return report


def send_test(shop: MailDeps, address: str, actor: Staff | None = None) -> str:
    """Owner-only: send one test email now; raises MailServerError saying plainly what went wrong."""
    shop.ctx.require_owner(actor, "sending a test email")
    ms = mail_settings.load(shop.ctx.settings)
    if not ms.configured:
        raise MailServerError("sending is not set up: loyalty mail setup --host H --port N --from ADDRESS")
    msg = EmailMessage()
    msg["From"] = f"{ms.from_name} <{ms.from_address}>"
    msg["To"] = address
    msg["Subject"] = f"Test email from {ms.from_name}"
    msg["Date"] = format_datetime(shop.ctx.now())
    msg["Message-ID"] = make_msgid(domain=ms.from_address.partition("@")[2] or "localhost")
    msg.set_content(f"This is a test email from Loyalty Desk at {ms.from_name}. Sending works.\n")
    try:
        conn = connect(ms)
        try:
            conn.send_message(msg)
        finally:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()
    except (smtplib.SMTPException, OSError, MailServerError) as exc:
        raise MailServerError(explain(exc, ms)) from exc
    return f"test email sent to {address} through {ms.host}:{ms.port}"
