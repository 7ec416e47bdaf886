"""The import job for a QThreadPool worker: progress and the result come back as signals."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from loyalty_app import jobs
from loyalty_app.clock import Clock
from loyalty_app.errors import LoyaltyError
from loyalty_app.importers.options import ImportOptions, ImportSummary


class ImportSignals(QObject):
    sig_progress = Signal(int, int)
    """Bytes of the file done so far, and the file's size."""
    sig_finished = Signal()
    """The job ended (done, cancelled or dry run); its ImportSummary is the task's ``summary``.

    No Python object travels through this cross-thread signal: the result is read from the task instead.
    """
    sig_failed = Signal(str)
    """A message for the owner when the file could not be imported at all."""


class ImportTask:
    """Runs ``jobs.import_file`` with its own database connection; ``cancel()`` stops after the current batch.

    Started as ``pool.start(task.run)``. The signals object gets a Qt parent in the GUI thread, so when the
    worker drops the last Python reference to the task, Qt (not that worker thread) owns the QObject's end.
    """

    def __init__(self, db_path: Path, file: Path, options: ImportOptions, clock: Clock | None = None,
                 staff: str | None = None, parent: QObject | None = None) -> None:
        self.signals = ImportSignals(parent)
        self._db_path, self._file, self._options, self._clock = db_path, file, options, clock
        self._staff = staff  # recorded on the run and in the audit log
        self._cancel = threading.Event()
        self.summary: ImportSummary | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int) -> None:
        self.signals.sig_progress.emit(int(done), int(total))

    def _cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            summary = jobs.import_file(self._db_path, self._file, self._options, clock=self._clock, staff=self._staff,
                                       progress=self._progress, cancelled=self._cancelled)
        except LoyaltyError as exc:
            self.signals.sig_failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a worker must always report back to the window
            self.signals.sig_failed.emit(f"the import stopped: {type(exc).__name__}: {exc}")
            return
        self.summary = summary
        self.signals.sig_finished.emit()
