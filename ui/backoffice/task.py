"""Back-office screens start their tasks here (on the shared pool, until each screen is handed the window's
TaskRunner)."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool

from ui.task_runner import Outcome, Task

__all__ = ["Outcome", "Task", "finished", "start"]


# Started tasks stay referenced until their result has been handled, so Python never frees a running one.
_alive: set[Task] = set()


def start(task: Task) -> Task:
    _alive.add(task)
    QThreadPool.globalInstance().start(task)
    return task


def finished(task: Task) -> None:
    """Call from the slot that handled the task's result."""
    _alive.discard(task)
