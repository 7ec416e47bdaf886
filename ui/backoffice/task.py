"""Running a plain function on the thread pool and getting its result back on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from loyalty_app.errors import LoyaltyError


@dataclass(frozen=True)
class Outcome:
    """What a task's signal carries: the task and its value, or the owner-readable reason it failed."""

    task: Task
    value: Any = None
    error: str = ""


class _Signals(QObject):
    sig_done = Signal(object)
    """The Outcome of a task that finished."""
    sig_failed = Signal(object)
    """The Outcome of a task whose function raised (``error`` says why)."""
    sig_progress = Signal(int, int)
    """Done so far and the total (from ``Task.progress``, called by the function)."""


class Task(QRunnable):
    """``fn(cancelled)`` on a worker thread; ``cancel()`` asks it to stop at its next check.

    Connect the signals to methods of a widget so results arrive on the GUI thread.
    """

    def __init__(self, fn: Callable[[Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)  # the owner keeps a reference until the result arrives

    def progress(self, done: int, total: int) -> None:
        """For the function to report how far it is (safe from the worker thread)."""
        self.signals.sig_progress.emit(done, total)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self.fn(self._cancel.is_set)
        except LoyaltyError as exc:
            self.signals.sig_failed.emit(Outcome(self, error=str(exc)))
        except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
            self.signals.sig_failed.emit(Outcome(self, error=f"something went wrong: {exc}"))
        else:
            self.signals.sig_done.emit(Outcome(self, result))


# Started tasks stay referenced until their result has been handled, so Python never frees a running one.
_alive: set[Task] = set()


def start(task: Task) -> Task:
    _alive.add(task)
    QThreadPool.globalInstance().start(task)
    return task


def finished(task: Task) -> None:
    """Call from the slot that handled the task's result."""
    _alive.discard(task)
