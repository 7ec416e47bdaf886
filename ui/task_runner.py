"""The one owner of the window's background work: it starts each job on its own thread pool (one writing job
at a time), brings progress and results back to the GUI thread, runs the window's periodic jobs, and cancels and
waits for whatever still runs when the window closes, so no job outlives the connection it writes through."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QDialog

from loyalty_app.disk_full import DISK_FULL, is_disk_full
from loyalty_app.errors import LoyaltyError, ShopUnavailable

PROGRESS_EVERY_S = 0.05
"""Progress reaches the screen at most ~20 times a second (and always for the last step)."""


class Control:
    """What a job is handed: call it to ask "was I cancelled?", and report how far it is through it."""

    def __init__(self, task: Task) -> None:
        self._task = task

    def __call__(self) -> bool:
        return self._task.cancelled

    def progress(self, done: int, total: int, text: str = "") -> None:
        """Safe from the worker thread; throttled, so a job may call it for every row."""
        self._task.progress(done, total, text)


JobFn = Callable[[Control], Any]
"""A job: ``fn(cancelled)``, a plain function that checks ``cancelled()`` between steps (and may report
``cancelled.progress(done, total, text)``)."""
Progress = Callable[[int, int, str], None]


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
    sig_progress = Signal(int, int, str)
    """Done so far, the total and what was last done (from ``Control.progress``, called by the function)."""


class Task(QRunnable):
    """``fn(cancelled)`` on a worker thread; ``cancel()`` asks it to stop at its next check.

    The runner hands the outcome to the task's callbacks on the GUI thread, unless the runner was shut down.
    """

    def __init__(self, fn: JobFn, name: str = "job", *, writer: threading.Lock | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__()
        self.fn, self.name, self._writer = fn, name, writer
        # The signals belong to the runner (a Qt parent on the GUI thread), so the last Python reference to the
        # task, dropped on a worker, never destroys a GUI-thread object there.
        self.signals = _Signals(parent)
        self.on_done: Callable[[Outcome], None] | None = None
        self.on_failed: Callable[[Outcome], None] | None = None
        self._cancel = threading.Event()
        self.ended = threading.Event()
        self._last_progress = 0.0
        self.setAutoDelete(False)  # the runner keeps a reference until the result arrives

    @property
    def writes(self) -> bool:
        return self._writer is not None

    def progress(self, done: int, total: int, text: str = "") -> None:
        """For the function to report how far it is (safe from the worker thread)."""
        now = time.monotonic()
        if done >= total or now - self._last_progress >= PROGRESS_EVERY_S:
            self._last_progress = now
            self.signals.sig_progress.emit(int(done), int(total), text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            if self._writer is not None:
                with self._writer:  # one writing job at a time: the next waits here, off the GUI thread
                    result = self.fn(Control(self))
            else:
                result = self.fn(Control(self))
        except LoyaltyError as exc:
            self.signals.sig_failed.emit(Outcome(self, error=str(exc)))
        except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
            error = DISK_FULL if is_disk_full(exc) else f"something went wrong: {exc}"
            self.signals.sig_failed.emit(Outcome(self, error=error))
        else:
            self.signals.sig_done.emit(Outcome(self, result))
        finally:
            self.ended.set()


_runners: weakref.WeakSet[TaskRunner] = weakref.WeakSet()


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
        self._handled: list[Task] = []  # kept until their worker has surely left run(), then let go
        self._timers: list[QTimer] = []
        self.closed = False
        _runners.add(self)

    @staticmethod
    def made() -> list[TaskRunner]:
        """Every runner still alive (the tests check that each one is idle when a test ends)."""
        return list(_runners)

    def submit(self, name: str, fn: JobFn, *, writes: bool = False,
               on_done: Callable[[Outcome], None] | None = None,
               on_failed: Callable[[Outcome], None] | None = None,
               on_progress: Progress | None = None) -> Task:
        """Run ``fn(cancelled)`` in the background; the callbacks run on the GUI thread. ``writes``: the job
        writes the shop, so it waits for any other writing job to end first."""
        if self.closed:
            raise RuntimeError("the window is closing: no new background job")
        self._handled = [t for t in self._handled if not t.ended.is_set()]
        task = Task(fn, name, writer=self._writer if writes else None, parent=self)
        task.on_done, task.on_failed = on_done, on_failed
        if on_progress is not None:
            task.signals.sig_progress.connect(on_progress)
        task.signals.sig_done.connect(self._on_task_done)
        task.signals.sig_failed.connect(self._on_task_failed)
        self._running.append(task)
        self.sig_busy.emit(self.busy_text())
        self.pool.start(task)
        return task

    def every(self, interval_ms: int, tick: Callable[[], object]) -> QTimer:
        """A periodic job's timer: ``tick()`` on the GUI thread every ``interval_ms`` (it submits the round when
        one is due), stopped for good at shutdown. The caller starts it."""
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(tick)
        self._timers.append(timer)
        return timer

    def running(self) -> list[Task]:
        """The jobs started and not yet ended."""
        return [t for t in self._running if not t.ended.is_set()]

    def idle(self) -> bool:
        return not self.running()

    def busy_text(self) -> str:
        return ", ".join(t.name for t in self.running())

    @contextmanager
    def exclusive(self, what: str) -> Iterator[None]:
        """For a write the GUI thread must make itself (a restore swaps the open file): no writing job runs
        meanwhile. Refused in one line while one does, rather than freezing the window until it ends."""
        if not self._writer.acquire(blocking=False):
            busy = ", ".join(t.name for t in self.running() if t.writes) or "a background job"
            raise ShopUnavailable(f"{what} has to wait: {busy} is still writing the shop; try again when it ends")
        try:
            yield
        finally:
            self._writer.release()

    def _on_task_done(self, outcome: Outcome) -> None:
        self._ended(outcome, outcome.task.on_done)

    def _on_task_failed(self, outcome: Outcome) -> None:
        self._ended(outcome, outcome.task.on_failed)

    def _ended(self, outcome: Outcome, callback: Callable[[Outcome], None] | None) -> None:
        task = outcome.task
        if task in self._running:
            self._running.remove(task)
            self._handled.append(task)
        task.signals.deleteLater()  # after this slot: Qt ends it on the GUI thread
        if self.closed:
            return  # the window is going: whatever asked for the result is no longer listening
        self.sig_busy.emit(self.busy_text())
        screen = getattr(callback, "__self__", None)
        if isinstance(screen, QObject) and not shiboken6.isValid(screen):
            return  # the screen that asked was closed meanwhile (the back office locked during a report)
        if callback is not None:
            callback(outcome)

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until every started job has ended and the pool's threads are gone (True), or the timeout."""
        return bool(self.pool.waitForDone(timeout_ms))

    def shutdown(self, timeout_ms: int = -1) -> bool:
        """At exit: no new jobs or rounds, ask every running job to stop at its next check, and wait for them."""
        self.closed = True
        for timer in self._timers:
            timer.stop()
        for task in self._running:
            task.cancel()
        done = self.wait(timeout_ms)
        self._running = [t for t in self._running if not t.ended.is_set()]
        if done:
            self._handled.clear()
        return done


class _ShutDownOnClose(QObject):
    """Shuts a dialog's own runner down when the dialog is closed or finished (accepted or rejected)."""

    def __init__(self, dialog: QDialog, runner: TaskRunner) -> None:
        super().__init__(dialog)
        self.runner = runner
        dialog.finished.connect(self._on_dialog_finished)
        dialog.installEventFilter(self)

    def _on_dialog_finished(self, _result: int) -> None:
        self.runner.shutdown()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Close:
            self.runner.shutdown()
        return False


def dialog_runner(dialog: QDialog, tasks: TaskRunner | None) -> TaskRunner:
    """The window's runner for a dialog; opened on its own, the dialog gets one of its own, cancelled and waited
    for when the dialog closes."""
    if tasks is not None:
        return tasks
    runner = TaskRunner(dialog)
    _ShutDownOnClose(dialog, runner)
    return runner
