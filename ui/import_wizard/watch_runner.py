"""The desktop app's watch folder: every few minutes, exports dropped in the owner's folder are imported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from loyalty_app import jobs
from loyalty_app.importers.watch_folder import FolderResult
from loyalty_app.shop import Shop
from ui.task_runner import Control, Outcome, Task, TaskRunner

INTERVAL_MS = 5 * 60 * 1000


class WatchFolderRunner(QObject):
    """Runs one import pass over the shop's watch folder on the window's task runner, on a timer, one at a time."""

    sig_done = Signal()
    """A pass ended; its FolderResults are in ``last_results``."""

    def __init__(self, shop: Shop, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shop, self.tasks = shop, tasks
        self.last_results: list[FolderResult] = []
        self.task: Task | None = None
        self.timer = tasks.every(INTERVAL_MS, self.tick)
        self.timer.start()

    def tick(self) -> bool:
        """Start a pass now if a folder is set and none is running; True when one was started."""
        folder = self.shop.imports.watch_folder()
        if self.task is not None or self.tasks.closed or not folder or not Path(folder).is_dir():
            return False
        db_path, clock = self.shop.path, self.shop.ctx.clock

        def job(_cancelled: Control) -> list[FolderResult]:
            return jobs.watch_folder_pass(db_path, Path(folder), clock=clock)  # its own connection
        self.task = self.tasks.submit("watch folder", job, writes=True, on_done=self._on_pass_ended,
                                      on_failed=self._on_pass_ended)
        return True

    def _on_pass_ended(self, outcome: Outcome) -> None:
        self.task = None
        # A missing or unreadable folder is tried again next time.
        self.last_results = outcome.value if isinstance(outcome.value, list) else []
        self.sig_done.emit()
