"""Background sync while the app runs: every few seconds, on a worker with its own connection."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from loyalty_app import jobs
from loyalty_app.disk_full import DISK_FULL, is_disk_full
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from loyalty_app.sync.views import SyncRound, SyncStatus
from ui.task_runner import Outcome, TaskRunner

INTERVAL_MS = 5000


def _sync_round(path: Path) -> SyncRound | str:
    """One round with its own connection: its counts and status, or a message (str) for the status bar."""
    try:
        return jobs.sync_round(path)
    except LoyaltyError as exc:
        return str(exc)
    except OSError as exc:  # the shared folder went away (USB stick, network drive), or filled up
        return DISK_FULL if is_disk_full(exc) else _("the shared folder is not reachable: {error}").format(error=exc)


def status_text(status: SyncStatus) -> str:
    """'Harbour: 0 changes not yet received, last seen 2026-11-22T20:40Z' for each other store."""
    parts = []
    for p in status.peers:
        seen = (p.last_seen or _("never")).replace("T", " ")[:16]
        parts.append(_("{store}: {count} changes not yet received, last seen {when}").format(
            store=p.store or p.node[:8], count=p.not_yet_received, when=seen)
            + (_(" — out of touch, redemptions capped") if p.stale else ""))
    if status.overdrafts:
        parts.append(_("{count} overdrawn balance(s) to review").format(count=len(status.overdrafts)))
    return " · ".join(parts) or _("No other store has connected yet")


class SyncRunner(QObject):
    """Background sync while the app runs: a round every few seconds on the window's task runner."""

    sig_status = Signal(str)
    """A line for the status bar after each sync round."""

    sig_synced = Signal()
    """Changes from other stores may have arrived: open screens refresh."""

    def __init__(self, shop: Shop, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shop, self.tasks = shop, tasks
        self.busy = False
        self.stopped = False
        self.timer = tasks.every(INTERVAL_MS, self.sync_soon)

    def start(self) -> None:
        self.stopped = False
        if self.shop.sync.configured and not self.tasks.closed:
            self.timer.start()
            self.sync_soon()

    def stop(self) -> None:
        """No more rounds; a round still running is the runner's to cancel or wait for."""
        self.stopped = True
        self.timer.stop()

    def sync_soon(self) -> None:
        if not self.busy and not self.stopped and not self.tasks.closed and self.shop.sync.configured:
            self.busy = True
            path = self.shop.path
            self.tasks.submit("sync round", lambda _cancelled: _sync_round(path), writes=True,
                              on_done=self._on_round_done, on_failed=self._on_round_done)

    def _on_round_done(self, outcome: Outcome) -> None:
        self.busy = False
        if self.stopped:
            return
        result = outcome.value if outcome.error == "" else outcome.error
        self.shop.ctx.reload_settings()
        if isinstance(result, SyncRound):
            self.sig_status.emit(status_text(result.status))
            if result.received:
                self.sig_synced.emit()
        else:
            self.sig_status.emit(_("Sync: {result}").format(result=result))
