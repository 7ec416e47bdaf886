"""The one owner of the window's background work: it starts each job on its own thread pool (one writing job
at a time), brings progress and results back to the GUI thread, and cancels and waits for whatever still runs
when the window closes, so no job outlives the connection it writes through."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from loyalty_app.disk_full import DISK_FULL, is_disk_full
from loyalty_app.errors import LoyaltyError

JobFn = Callable[[Callable[[], bool]], Any]
"""A job: ``fn(cancelled)``, a plain function that checks ``cancelled()`` between steps."""


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

    def __init__(self, fn: JobFn, name: str = "job", *, writer: threading.Lock | None = None) -> None:
        super().__init__()
        self.fn, self.name, self._writer = fn, name, writer
        self.signals = _Signals()
        self._cancel = threading.Event()
        self.ended = threading.Event()
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
            if self._writer is not None:
                with self._writer:  # one writing job at a time: the next waits here, off the GUI thread
                    result = self.fn(self._cancel.is_set)
            else:
                result = self.fn(self._cancel.is_set)
        except LoyaltyError as exc:
            self.signals.sig_failed.emit(Outcome(self, error=str(exc)))
        except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
            error = DISK_FULL if is_disk_full(exc) else f"something went wrong: {exc}"
            self.signals.sig_failed.emit(Outcome(self, error=error))
        else:
            self.signals.sig_done.emit(Outcome(self, result))
        finally:
            self.ended.set()


class TaskRunner(QObject):
    """Starts, tracks and, at exit, cancels and waits for every background job of one window."""

    sig_busy = Signal(str)
    """The names of the jobs now running, joined for a status line ("" when idle)."""

    def __init__(self, parent: QObject | None = None, threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._writer = threading.Lock()
        self._running: list[Task] = []
        self.closed = False

    def submit(self, name: str, fn: JobFn, *, writes: bool = False,
               on_done: Callable[[Outcome], None] | None = None,
               on_failed: Callable[[Outcome], None] | None = None,
               on_progress: Callable[[int, int], None] | None = None) -> Task:
        """Run ``fn(cancelled)`` in the background; the callbacks run on the GUI thread. ``writes``: the job
        writes the shop, so it waits for any other writing job to end first."""
        task = Task(fn, name, writer=self._writer if writes else None)
        if on_done is not None:
            task.signals.sig_done.connect(on_done)
        if on_failed is not None:
            task.signals.sig_failed.connect(on_failed)
        if on_progress is not None:
            task.signals.sig_progress.connect(on_progress)
        task.signals.sig_done.connect(self._on_task_ended)
        task.signals.sig_failed.connect(self._on_task_ended)
        return self.start(task)

    def start(self, task: Task) -> Task:
        """Run a task built elsewhere (its signals already connected)."""
        if self.closed:
            raise RuntimeError("the window is closing: no new background job")
        self._running.append(task)
        self.sig_busy.emit(self.busy_text())
        self.pool.start(task)
        return task

    def running(self) -> list[Task]:
        return [t for t in self._running if not t.ended.is_set()]

    def busy_text(self) -> str:
        return ", ".join(t.name for t in self.running())

    def _on_task_ended(self, outcome: Outcome) -> None:
        if outcome.task in self._running:
            self._running.remove(outcome.task)
        self.sig_busy.emit(self.busy_text())

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until every started job has ended (True), or the timeout passed (False)."""
        return bool(self.pool.waitForDone(timeout_ms))

    def shutdown(self, timeout_ms: int = -1) -> bool:
        """At exit: no new jobs, ask every running one to stop at its next check, and wait for them."""
        self.closed = True
        for task in self._running:
            task.cancel()
        done = self.wait(timeout_ms)
        self._running = [t for t in self._running if not t.ended.is_set()]
        return done
