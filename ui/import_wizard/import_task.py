"""The import job on a QThreadPool worker: progress and the result come back as signals."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from loyalty_app.clock import Clock
from loyalty_app.errors import LoyaltyError
from loyalty_app.importers.engine import ImportOptions, run_import

# Tasks are kept alive here until they end, so closing the wizard mid-import never frees a running task.
_LIVE: set[ImportTask] = set()


class ImportSignals(QObject):
    sig_progress = Signal(int, int)
    """Bytes of the file done so far, and the file's size."""
    sig_finished = Signal(object)
    """The ImportSummary when the job ends (done, cancelled or dry run)."""
    sig_failed = Signal(str)
    """A message for the owner when the file could not be imported at all."""


class ImportTask(QRunnable):
    """Runs ``run_import`` with its own database connection; ``cancel()`` stops after the current batch."""

    def __init__(self, db_path: Path, file: Path, options: ImportOptions, clock: Clock | None = None,
                 staff: str | None = None) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = ImportSignals()
        self._db_path, self._file, self._options, self._clock = db_path, file, options, clock
        self._staff = staff  # recorded on the run and in the audit log
        self._cancel = threading.Event()
        _LIVE.add(self)

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            self._run()
        finally:
            _LIVE.discard(self)

    def _run(self) -> None:
        try:
            summary = run_import(self._db_path, self._file, self._options, clock=self._clock, staff=self._staff,
                                 progress=self.signals.sig_progress.emit, cancelled=self._cancel.is_set)
        except LoyaltyError as exc:
            self.signals.sig_failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a worker must always report back to the window
            self.signals.sig_failed.emit(f"the import stopped: {type(exc).__name__}: {exc}")
            return
        self.signals.sig_finished.emit(summary)
