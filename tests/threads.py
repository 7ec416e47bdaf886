"""What a test may leave running: nothing. Used by the autouse fixture in conftest and by tests that close a
window mid-job."""

from __future__ import annotations

import os
import sys
import threading

LONG_LIVED: set[threading.Thread] = set(threading.enumerate())
"""The interpreter's own threads (the main thread, pytest-xdist's channel), allowed by identity."""


def _still_running(thread: threading.Thread) -> bool:
    """A Python thread that has not ended. A thread Python did not start (a Qt pool thread that ran a job) stays
    listed as a "dummy" for ever, so for those the operating system says whether it still exists."""
    if not isinstance(thread, threading._DummyThread):  # noqa: SLF001 - the stdlib's own marker
        return thread.is_alive()
    return thread.native_id is None or os.path.exists(f"/proc/self/task/{thread.native_id}")


def threads_left_behind(before: set[threading.Thread]) -> list[str]:
    """What is still running that was not before: new threads, a busy Qt pool, a task runner with a job."""
    left = [f"thread {t.name!r} is still running" for t in threading.enumerate()
            if t not in before and t not in LONG_LIVED and _still_running(t)]
    if "PySide6.QtCore" in sys.modules:  # a test without Qt never loads it
        from PySide6.QtCore import QThreadPool

        if n := QThreadPool.globalInstance().activeThreadCount():
            left.append(f"{n} job(s) still running on Qt's global thread pool")
    if "ui.task_runner" in sys.modules:
        from ui.task_runner import TaskRunner

        left += [f"a task runner still runs: {r.busy_text()}" for r in TaskRunner.made() if not r.idle()]
    return left
