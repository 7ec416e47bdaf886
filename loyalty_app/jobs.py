"""Entry points of the background jobs the app runs: plain functions that open their own connection to the
shop at ``path`` (so they are safe on a worker thread), take a progress callback and a cancel flag, and return
what the window or the command line should tell the owner."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import db as dbpkg
from loyalty_app import backups
from loyalty_app.backups import RestoreResult
from loyalty_app.clock import Clock
from loyalty_app.context import Staff
from loyalty_app.errors import LoyaltyError, ShopUnavailable
from loyalty_app.importers.options import ImportOptions, ImportSummary
from loyalty_app.importers.watch_folder import FolderResult
from loyalty_app.mail import sender
from loyalty_app.mail.campaigns import AnnouncePlan
from loyalty_app.mail.drafts import Wording
from loyalty_app.mail.outbox import QueueResult
from loyalty_app.mail.reminders import RefillPlan
from loyalty_app.mail.sender import DeliveryReport
from loyalty_app.points_rules import PointsProgram
from loyalty_app.product_import import ImportSummary as ProductImportSummary
from loyalty_app.program_impact import Impact
from loyalty_app.reports.model import ReportSheet
from loyalty_app.shop import open_shop
from loyalty_app.suggestions.results import RebuildResult
from loyalty_app.sync.views import SyncRound

Cancelled = Callable[[], bool]
Progress = Callable[[int, int], None]


def _never() -> bool:
    return False


@dataclass(frozen=True)
class StartupReport:
    """What the start-up job found: a damaged file (the message for the owner), or the day's chores done."""

    damaged: str | None = None
    expired_points: int = 0
    backup: Path | None = None
    problem: str | None = None


def startup(path: Path, cancelled: Cancelled = _never) -> StartupReport:
    """At start, off the GUI thread: the quick check of the file; then, only on a sound file, the day's points
    expiry, the daily backup, a rebuild of stale suggestion statistics and the day's counter hints."""
    try:
        shop = open_shop(path)
    except LoyaltyError as exc:
        return StartupReport(problem=str(exc))
    try:
        damage = shop.quick_check()
        if damage:  # no backup of a damaged file (it would fail, and must not push good ones out)
            return StartupReport(damaged=damage)
        if cancelled():
            return StartupReport()
        expired = shop.points.expire_if_due_today() or {}
        backup = None if cancelled() else shop.backups.daily_backup_if_due()
        status = shop.suggestions.status()
        if not cancelled() and (status.built_at is None or status.stale):  # e.g. after a big import
            shop.suggestions.rebuild(cancel=cancelled)
        if not cancelled():  # the counter then reads each customer's refill dates and suggestions of the day
            shop.lookup.prepare_hints(cancelled)
        return StartupReport(expired_points=int(expired.get("points", 0)), backup=backup)
    except LoyaltyError as exc:
        return StartupReport(problem=str(exc))
    finally:
        shop.close()


# -- suggestions ------------------------------------------------------------------------------------------------
def rebuild_suggestions(path: Path | str, progress: Progress | None = None,
                        cancelled: Cancelled | None = None) -> RebuildResult:
    """The full statistics rebuild (first use, then weekly or after a big import)."""
    shop = open_shop(path)
    try:
        return shop.suggestions.rebuild(progress, cancelled)
    finally:
        shop.close()


# -- mail -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MailRun:
    """What a send job did: the decisions it queued, then the delivery of the outbox."""

    queued: QueueResult
    delivery: DeliveryReport


def deliver_mail(path: Path | str, *, progress: sender.Progress | None = None, cancelled: Cancelled | None = None,
                 clock: Clock | None = None, sleep: Callable[[float], None] | None = None,
                 max_attempts: int = sender.MAX_ATTEMPTS,
                 base_delay: float = sender.BASE_DELAY_SECONDS) -> DeliveryReport:
    """Send every queued email."""
    shop = open_shop(path, clock=clock)
    try:
        extra: dict[str, Any] = {} if sleep is None else {"sleep": sleep}
        return shop.mail.deliver(progress=progress, cancel=cancelled, max_attempts=max_attempts,
                                 base_delay=base_delay, **extra)
    finally:
        shop.close()


def announce_and_deliver(path: Path | str, code: str, actor: Staff, exclude: Iterable[int] = (), *,
                         progress: sender.Progress | None = None, cancelled: Cancelled | None = None,
                         clock: Clock | None = None, wording: Wording | None = None) -> MailRun:
    """Queue the product's announcement (in the owner's words), then deliver the outbox; returns both summaries."""
    shop = open_shop(path, clock=clock)
    try:
        queued = shop.mail.announce(code, actor, exclude, wording)
        report = shop.mail.deliver(progress=progress, cancel=cancelled)
        return MailRun(queued, report)
    finally:
        shop.close()


def refill_and_deliver(path: Path | str, actor: Staff, *, progress: sender.Progress | None = None,
                       cancelled: Cancelled | None = None, clock: Clock | None = None,
                       wording: Wording | None = None) -> MailRun:
    """Queue this cycle's refill reminders (in these words; None: the kept draft), then deliver the outbox."""
    shop = open_shop(path, clock=clock)
    try:
        queued = shop.mail.send_refill(actor, wording=wording)
        report = shop.mail.deliver(progress=progress, cancel=cancelled)
        return MailRun(queued, report)
    finally:
        shop.close()


def scheduled_mail(path: Path | str, actor: Staff, *, progress: sender.Progress | None = None,
                   cancelled: Cancelled | None = None, clock: Clock | None = None) -> MailRun:
    """What the owner's schedule calls for now: the refill reminders, the switched-on automations (welcome,
    we miss you), each when due; then deliver the outbox."""
    shop = open_shop(path, clock=clock)
    try:
        queued = shop.mail.send_refill(actor) if shop.mail.refill_run_is_due() else QueueResult()
        if shop.mail.automations_run_is_due():
            more = shop.mail.run_automations(actor)
            queued.queued += more.queued
            queued.control += more.control
        report = shop.mail.deliver(progress=progress, cancel=cancelled)
        return MailRun(queued, report)
    finally:
        shop.close()


def plan_announcement(path: Path | str, code: str, *, progress: sender.Progress | None = None,
                      cancelled: Cancelled | None = None, clock: Clock | None = None) -> AnnouncePlan:
    """The proposed audience (big shops take a moment)."""
    shop = open_shop(path, clock=clock)
    try:
        return shop.mail.plan_announcement(code)
    finally:
        shop.close()


def plan_refill(path: Path | str, *, progress: sender.Progress | None = None, cancelled: Cancelled | None = None,
                clock: Clock | None = None) -> RefillPlan:
    """Who is due for a refill reminder now (reads everyone's rhythms)."""
    shop = open_shop(path, clock=clock)
    try:
        return shop.mail.plan_refill()
    finally:
        shop.close()


# -- imports ----------------------------------------------------------------------------------------------------
def import_file(path: Path | str, file: Path | str, options: ImportOptions | None = None, *,
                progress: Progress | None = None, cancelled: Cancelled | None = None,
                clock: Clock | None = None, staff: str | None = None) -> ImportSummary:
    """Import one POS export; ``staff`` names who the import is recorded as."""
    shop = open_shop(path, clock=clock)
    try:
        if staff:
            shop.ctx.actor = shop.staff.identify(staff)
        return shop.imports.import_file(file, options, progress=progress, cancelled=cancelled)
    finally:
        shop.close()


def watch_folder_pass(path: Path | str, folder: Path | str, options: ImportOptions | None = None, *,
                      clock: Clock | None = None, progress: Progress | None = None,
                      cancelled: Cancelled | None = None) -> list[FolderResult]:
    """One pass over the owner's watch folder (the desktop app's timer)."""
    shop = open_shop(path, clock=clock)
    try:
        return [] if cancelled and cancelled() else shop.imports.scan_folder(folder, options)
    finally:
        shop.close()


def import_products(path: Path | str, text: str, actor: Staff, *, clock: Clock | None = None,
                    progress: Progress | None = None, cancelled: Cancelled | None = None) -> ProductImportSummary:
    """A product list from CSV text (owner)."""
    shop = open_shop(path, clock=clock, migrate=False)
    try:
        return shop.product_import.import_products(text, actor=actor, progress=progress, cancelled=cancelled)
    finally:
        shop.close()


# -- sync, backups, reports, the points program -----------------------------------------------------------------
def sync_round(path: Path | str, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> SyncRound:
    """One exchange of change records with the other stores; its status."""
    shop = open_shop(path)
    try:
        return shop.sync.sync_now()
    finally:
        shop.close()


def backup(path: Path | str, progress: Progress | None = None, cancelled: Cancelled | None = None) -> Path:
    """A verified backup into the shop's backup folder (old ones pruned)."""
    shop = open_shop(path)
    try:
        return shop.backups.backup_now()
    finally:
        shop.close()


def restore_backup(path: Path, candidate: Path, owner_name: str, pin: str) -> RestoreResult:
    """Replace the shop at ``path`` with a backup (owner PIN); see ``BackupService.restore_into``. A shop file
    that is missing or damaged is the case restoring is for: it is set aside (never deleted, never backed up
    through SQLite, which would fail on it) and the PIN is checked against the backup's own staff."""
    if not path.exists():
        return backups.restore_over_damaged(path, candidate, owner_name, pin)
    try:
        shop = open_shop(path)
    except ShopUnavailable as exc:
        if isinstance(exc.__cause__, dbpkg.DatabaseCorrupt | dbpkg.NotADatabase):
            return backups.restore_over_damaged(path, candidate, owner_name, pin)
        raise
    try:
        return shop.backups.restore_into(candidate, owner_name, pin)
    finally:
        shop.close()


def report_sheet(path: Path | str, clock: Clock, kind: str, start: date, end: date, store: str | None,
                 actor: Staff, cancelled: Cancelled | None = None) -> ReportSheet | None:
    """An owner's report; None when cancelled before it finished."""
    shop = open_shop(path, clock=clock, migrate=False)
    try:
        if cancelled and cancelled():
            return None
        return shop.reports.sheet(kind, shop.reports.period(start, end, store), actor=actor)
    finally:
        shop.close()


def assess_program_change(path: Path | str, program: PointsProgram, *, clock: Clock | None = None,
                          cancelled: Cancelled | None = None) -> list[Impact]:
    """What a new points program would do to points already earned (read on a big shop's whole ledger)."""
    shop = open_shop(path, clock=clock, migrate=False)
    try:
        return shop.points.assess_change(program)
    finally:
        shop.close()
