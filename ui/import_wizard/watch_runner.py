"""The desktop app's watch folder: every few minutes, exports dropped in the owner's folder are imported."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from loyalty_app import jobs
from loyalty_app.clock import Clock
from loyalty_app.importers.watch_folder import FolderResult
from loyalty_app.shop import Shop

INTERVAL_MS = 5 * 60 * 1000
POLL_MS = 200


class _Pass:
    """One pass on a pool thread with its own connection; plain Python, so no QObject is touched off the GUI
    thread: the runner polls ``done`` from its own timer."""

    def __init__(self, db_path: Path, folder: Path, clock: Clock) -> None:
        self.args = (db_path, folder, clock)
        self.results: list[FolderResult] = []
        self.done = threading.Event()

    def run(self) -> None:
        db_path, folder, clock = self.args
        try:
            self.results = jobs.watch_folder_pass(db_path, folder, clock=clock)
        except Exception:  # noqa: BLE001 - a missing or unreadable folder is tried again next time
            self.results = []
        finally:
            self.done.set()


class WatchFolderRunner(QObject):
    """Runs one import pass over the shop's watch folder on a timer, in the thread pool, one pass at a time."""

    sig_done = Signal()
    """A pass ended; its FolderResults are in ``last_results``."""

    def __init__(self, shop: Shop, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.last_results: list[FolderResult] = []
        self._pass: _Pass | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll_timeout)

    def tick(self) -> bool:
        """Start a pass now if a folder is set and none is running; True when one was started."""
        folder = self.shop.imports.watch_folder()
        if self._pass is not None or not folder or not Path(folder).is_dir():
            return False
        job = self._pass = _Pass(self.shop.path, Path(folder), self.shop.ctx.clock)
        QThreadPool.globalInstance().start(job.run)
        self._poll.start()
        return True

    def _on_poll_timeout(self) -> None:
        job = self._pass
        if job is None or not job.done.is_set():
            return
        self._poll.stop()
        self._pass = None
        self.last_results = job.results
        self.sig_done.emit()
