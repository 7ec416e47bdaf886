"""The Reports screen: one view per report, each with its period, store, chart, table and exports."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from loyalty_app.context import Staff
from loyalty_app.reports import available_reports
from loyalty_app.shop import Shop
from ui.backoffice.report_view import ReportView
from ui.task_runner import TaskRunner


class ReportsScreen(QWidget):
    def __init__(self, shop: Shop, owner: Staff, tasks: TaskRunner) -> None:
        super().__init__()
        self.views: dict[str, ReportView] = {}
        self.tabs = QTabWidget()
        for kind, title in available_reports().items():
            view = ReportView(shop, owner, tasks, kind, title)
            self.views[kind] = view
            self.tabs.addTab(view, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._shown: set[str] = set()

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        self._on_tabs_current_changed(self.tabs.currentIndex())

    def _on_tabs_current_changed(self, index: int) -> None:
        """A report is computed the first time its tab is shown, not all at once."""
        kind = list(self.views)[index]
        if kind not in self._shown:
            self._shown.add(kind)
            self.views[kind].refresh()
