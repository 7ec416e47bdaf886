"""Pulling from the shop's POS while the app runs: every few minutes, in the window's task runner, its state
in the status bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow

from loyalty_app.i18n import _, ngettext
from loyalty_app.pos.model import PullSummary
from loyalty_app.shop import Shop, open_shop
from ui.task_runner import Outcome, Task, TaskRunner

INTERVAL_MS = 3 * 60 * 1000


def pull_job(path: Path, cancelled: Any) -> list[PullSummary]:
    """On the worker, with its own connection: one pull of every connection."""
    shop = open_shop(path)
    try:
        return shop.pos.pull(cancelled=cancelled)
    finally:
        shop.close()


def status_text(results: list[PullSummary]) -> str:
    """'Square (till): up to 2026-11-02 12:00, 3 new sales, 1 return' or the connection's one-line error."""
    parts = []
    for r in results:
        name = f"{r.kind.capitalize()} ({r.connection})"
        if r.status == "failed":
            parts.append(f"{name}: {r.error}")
            continue
        new = r.sales_applied + r.sales_reapplied
        up_to = (r.watermark or _("nothing yet")).replace("T", " ")[:16]
        parts.append(_("{name}: up to {when}").format(name=name, when=up_to) + ", "
                     + ngettext("{n} new sale", "{n} new sales", new).format(n=new) + ", "
                     + ngettext("{n} return", "{n} returns", r.returns_applied).format(n=r.returns_applied)
                     + (", " + _("{n} rejected").format(n=r.rejected) if r.rejected else ""))
    return " · ".join(parts)


class PosPuller(QObject):
    sig_status = Signal(str)
    """A line for the status bar after each pull."""

    sig_pulled = Signal()
    """Sales from the POS may have arrived: open screens refresh."""

    def __init__(self, shop: Shop, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shop, self.tasks = shop, tasks
        self.task: Task | None = None
        self.busy = False  # set and cleared on the GUI thread, so a pull asked right after one ends starts
        self.label: QLabel | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.pull_now)

    def start(self) -> None:
        if self.shop.pos.status():
            self.timer.start()
            self.pull_now()

    def stop(self) -> None:
        self.timer.stop()

    def pull_now(self) -> Task | None:
        """One pull in the background, unless one is still running."""
        if self.tasks.closed or self.busy:
            return None
        path = self.shop.path
        self.busy = True
        self.task = self.tasks.submit("POS pull", lambda cancelled: pull_job(path, cancelled), writes=True,
                                      on_done=self._on_task_done, on_failed=self._on_task_failed)
        return self.task

    def _on_task_done(self, outcome: Outcome) -> None:
        self.busy = False
        self.sig_status.emit(status_text(outcome.value))
        self.sig_pulled.emit()

    def _on_task_failed(self, outcome: Outcome) -> None:
        self.busy = False
        self.sig_status.emit(_("POS: {error}").format(error=outcome.error))


def install(window: QMainWindow, shop: Shop, tasks: TaskRunner) -> PosPuller:
    """The POS status line, a 'Pull from the POS now' action, and the timer (only when a POS is connected)."""
    label = QLabel("")
    label.setAccessibleName("POS connection")
    window.statusBar().addWidget(label, 1)
    puller = PosPuller(shop, tasks, window)
    puller.sig_status.connect(label.setText)
    action = QAction(_("Pull from the POS now"), window)
    action.triggered.connect(puller.pull_now)
    menu = getattr(window, "shop_menu", None)
    if menu is not None:
        menu.addAction(action)
    puller.label = label
    puller.start()
    return puller
