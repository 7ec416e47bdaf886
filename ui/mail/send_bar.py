"""The send bar under an email: Send, a progress bar and Cancel for a queue-and-deliver job, and its summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from loyalty_app import jobs
from loyalty_app.i18n import _
from ui.task_runner import Control, JobFn, Outcome, Task, TaskRunner


def mail_job(job: Callable[..., Any]) -> JobFn:
    """A mail job (``job(progress=..., cancelled=...)``, its own connection) as the task runner calls it."""
    def run(cancelled: Control) -> Any:
        return job(progress=cancelled.progress, cancelled=cancelled)
    return run


class SendBar(QWidget):
    sig_finished = Signal(object)
    """A send job finished (its jobs.MailRun)."""
    sig_failed = Signal()
    """A send job failed (its reason is shown)."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.task: Task | None = None
        self.send_button = QPushButton(_("Send"))
        self.send_button.setEnabled(False)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.send_button)
        row.addWidget(self.cancel_button)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addLayout(row)
        v.addWidget(self.status_label)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)

    def start(self, job: Any, text: str) -> None:
        """Run a queue-and-deliver job (``job(progress=..., cancel=...)``) with the progress bar and Cancel."""
        self.send_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.status_label.setText(text)
        self.task = self.tasks.submit("sending emails", mail_job(job), writes=True,
                                      on_done=self._on_task_finished, on_failed=self._on_task_failed,
                                      on_progress=self._on_task_progress)

    def _on_cancel_clicked(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status_label.setText(_("Cancelling after the current email…"))

    def _on_task_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status_label.setText(_("{done} of {total}: {text}").format(done=done, total=total, text=text))

    def _done(self) -> None:
        self.cancel_button.setEnabled(False)
        self.task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1)

    def _on_task_finished(self, outcome: Outcome) -> None:
        result: jobs.MailRun = outcome.value
        self._done()
        d = result.delivery
        text = (f"Queued {len(result.queued.queued)} (control {len(result.queued.control)}). "
                f"Sent {d.sent}, failed {d.failed}, still queued {d.remaining}.")
        if d.cancelled:
            text += " Cancelled: the rest stay queued."
        if d.error:
            text += f" {d.error}"
        self.status_label.setText(text)
        self.sig_finished.emit(result)

    def _on_task_failed(self, outcome: Outcome) -> None:
        self._done()
        self.status_label.setText(outcome.error)
        self.send_button.setEnabled(True)
        self.sig_failed.emit()
