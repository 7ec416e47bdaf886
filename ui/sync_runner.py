"""Background sync while the app runs: every few seconds, on a worker with its own connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from loyalty_app import jobs
from loyalty_app.errors import LoyaltyError

INTERVAL_MS = 5000


class _Bridge(QObject):
    sig_done = Signal(object)
    """A sync round ended: its status dict, or an error message (str)."""


class _SyncTask(QRunnable):
    def __init__(self, path: Path, bridge: _Bridge) -> None:
        super().__init__()
        self.path, self.bridge = path, bridge

    def run(self) -> None:
        try:
            result: Any = jobs.sync_round(self.path)
        except LoyaltyError as exc:
            result = str(exc)
        except OSError as exc:  # the shared folder went away (USB stick, network drive)
            result = f"the shared folder is not reachable: {exc}"
        self.bridge.sig_done.emit(result)


def status_text(status: dict[str, Any]) -> str:
    """'Harbour: 0 changes not yet received, last seen 2026-11-22T20:40Z' for each other store."""
    parts = []
    for p in status.get("peers", []):
        seen = (p["last_seen"] or "never").replace("T", " ")[:16]
        parts.append(f"{p['store'] or p['node'][:8]}: {p['not_yet_received']} changes not yet received, "
                     f"last seen {seen}{' — out of touch, redemptions capped' if p['stale'] else ''}")
    if status.get("overdrafts"):
        parts.append(f"{len(status['overdrafts'])} overdrawn balance(s) to review")
    return " · ".join(parts) or "No other store has connected yet"


class SyncRunner(QObject):
    sig_status = Signal(str)
    """A line for the status bar after each sync round."""

    sig_synced = Signal()
    """Changes from other stores may have arrived: open screens refresh."""

    def __init__(self, shop: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.busy = False
        self.stopped = False
        self.bridge = _Bridge()
        self.bridge.sig_done.connect(self._on_bridge_done)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.sync_soon)

    def start(self) -> None:
        self.stopped = False
        if self.shop.sync.configured:
            self.timer.start()
            self.sync_soon()

    def stop(self) -> None:
        """No more rounds; a round still running reports to nobody (its own connection closes itself)."""
        self.stopped = True
        self.timer.stop()

    def sync_soon(self) -> None:
        if not self.busy and not self.stopped and self.shop.sync.configured:
            self.busy = True
            QThreadPool.globalInstance().start(_SyncTask(self.shop.path, self.bridge))

    def _on_bridge_done(self, result: object) -> None:
        self.busy = False
        if self.stopped:
            return
        self.shop.ctx.reload_settings()
        if isinstance(result, dict):
            self.sig_status.emit(status_text(result))
            if result.get("received"):
                self.sig_synced.emit()
        else:
            self.sig_status.emit(f"Sync: {result}")
