"""Runs a mail job (queue + deliver) on the thread pool, reporting progress; Cancel stops between emails."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from loyalty_app.errors import LoyaltyError

Job = Callable[..., dict[str, Any]]


class SendSignals(QObject):
    sig_progress = Signal(int, int, str)
    """Emails done, emails in the batch, the last one's outcome (throttled to ~20 per second)."""
    sig_finished = Signal(object)
    """The job's summary: queued, control, capped and the delivery report."""
    sig_failed = Signal(str)
    """A message for the owner when the job could not run."""


class SendTask(QRunnable):
    """``job(progress=..., cancel=...)`` on a pool thread; the job opens its own connection to the shop."""

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.signals = SendSignals()
        self._cancel = threading.Event()
        self._last_emit = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int, text: str) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_emit > 0.05:
            self._last_emit = now
            self.signals.sig_progress.emit(done, total, text)

    def run(self) -> None:
        try:
            result = self.job(progress=self._progress, cancelled=self._cancel.is_set)
        except LoyaltyError as exc:
            self.signals.sig_failed.emit(str(exc))
        except Exception:  # noqa: BLE001 - a worker must always report back to the screen
            self.signals.sig_failed.emit("sending stopped unexpectedly:\n" + traceback.format_exc(limit=3))
        else:
            self.signals.sig_finished.emit(result)
