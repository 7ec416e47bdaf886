"""The desktop app's watch folder: every few minutes, exports dropped in the owner's folder are imported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from loyalty_app.clock import Clock
from loyalty_app.importers.presets import watch_folder
from loyalty_app.importers.watch_folder import watch_once
from loyalty_app.shop import Shop

INTERVAL_MS = 5 * 60 * 1000


class _Signals(QObject):
    sig_done = Signal(list)
    """The FolderResults of one pass (empty when nothing was waiting)."""


class _Pass(QRunnable):
    def __init__(self, db_path: Path, folder: Path, clock: Clock, signals: _Signals) -> None:
        super().__init__()
        self._args = (db_path, folder, clock)
        self._signals = signals

    def run(self) -> None:
        db_path, folder, clock = self._args
        try:
            results = watch_once(db_path, folder, clock=clock)
        except Exception:  # noqa: BLE001 - a missing or unreadable folder is tried again next time
            results = []
        self._signals.sig_done.emit(results)


class WatchFolderRunner(QObject):
    """Runs one import pass over the shop's watch folder on a timer, in the thread pool, one pass at a time."""

    def __init__(self, shop: Shop, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.signals = _Signals()
        self.signals.sig_done.connect(self._on_pass_done)
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> bool:
        """Start a pass now if a folder is set and none is running; True when one was started."""
        folder = watch_folder(self.shop)
        if self._busy or not folder or not Path(folder).is_dir():
            return False
        self._busy = True
        QThreadPool.globalInstance().start(_Pass(self.shop.path, Path(folder), self.shop.ctx.clock, self.signals))
        return True

    def _on_pass_done(self, _results: list[object]) -> None:
        self._busy = False
