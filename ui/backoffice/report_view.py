"""One report on screen: period and store pickers, headline figures, a chart, its tables, CSV and PDF export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from loyalty_app import jobs
from loyalty_app.context import Staff
from loyalty_app.disk_full import file_problem
from loyalty_app.i18n import N_, _
from loyalty_app.reports.export import format_value, page_size_for, sheet_csv, sheet_pdf
from loyalty_app.reports.model import ReportSheet
from loyalty_app.shop import Shop
from ui.backoffice.report_chart import RENDER_HINT, build_chart
from ui.backoffice.report_table_model import SORT_ROLE, ReportTableModel
from ui.task_runner import Outcome, Task, TaskRunner
from ui.theme import muted_style

PRESETS = [N_("This month"), N_("Last month"), N_("Last 30 days"), N_("Last 90 days"), N_("This year"),
           N_("Last 12 months"), N_("Custom")]


def preset_range(name: str, today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    if name == "Last month":
        end = first - timedelta(days=1)
        return end.replace(day=1), end
    if name == "Last 30 days":
        return today - timedelta(days=29), today
    if name == "Last 90 days":
        return today - timedelta(days=89), today
    if name == "This year":
        return today.replace(month=1, day=1), today
    if name == "Last 12 months":
        return date(today.year - 1 + (today.month == 12), today.month % 12 + 1, 1), today
    return first, today


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReportView(QWidget):
    sig_loaded = Signal(object)
    """A report finished computing (the ReportSheet)."""
    sig_failed = Signal(str)
    """A report could not be computed or exported (the message)."""
    sig_exported = Signal(str)
    """A file was written (its path)."""

    def __init__(self, shop: Shop, owner: Staff, tasks: TaskRunner, kind: str, title: str) -> None:
        super().__init__()
        self.shop, self.owner, self.tasks, self.kind = shop, owner, tasks, kind
        self.sheet: ReportSheet | None = None
        self._task: Task | None = None
        self._export_task: Task | None = None
        self.setAccessibleName(f"{title} report")
        today = shop.reports.today()
        self.preset = QComboBox()
        for name in PRESETS:
            self.preset.addItem(_(name), name)
        self.start_edit, self.end_edit = QDateEdit(_qdate(today.replace(day=1))), QDateEdit(_qdate(today))
        for e in (self.start_edit, self.end_edit):
            e.setCalendarPopup(True)
            e.setDisplayFormat("dd MMM yyyy")
        self.store = QComboBox()
        self.store.addItems([_("All stores"), *shop.reports.stores()])
        for control, name in ((self.preset, "period"), (self.start_edit, "from"), (self.end_edit, "to"),
                              (self.store, "store")):
            control.setAccessibleName(name)
        self.refresh_button = QPushButton(_("Show"))
        self.csv_button, self.pdf_button = QPushButton(_("Export CSV…")), QPushButton(_("Export PDF…"))
        for b in (self.csv_button, self.pdf_button):
            b.setEnabled(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # computing: an indeterminate bar
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.hide()
        bar = QHBoxLayout()
        if kind == "emails":  # campaigns are shop-wide
            self.store.setEnabled(False)
        if kind == "refill":  # refills look ahead from today; no period to pick
            bar.addWidget(QLabel(_("Due in the next 14 days, all stores")))
        else:
            for w in (QLabel(_("Period")), self.preset, QLabel(_("from")), self.start_edit, QLabel(_("to")), self.end_edit,
                      QLabel(_("Store")), self.store):
                bar.addWidget(w)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.busy)
        bar.addWidget(self.cancel_button)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.pdf_button)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.figures = QGridLayout()
        fig_box = QFrame()
        fig_box.setFrameShape(QFrame.Shape.StyledPanel)
        fig_box.setLayout(self.figures)
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(RENDER_HINT)
        self.chart_view.setMinimumHeight(260)
        self.tables = QTabWidget()
        self.models: list[ReportTableModel] = []
        self.views: list[QTableView] = []
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(muted_style())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart_view)
        split.addWidget(self.tables)
        split.setSizes([340, 320])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.heading)
        layout.addWidget(fig_box)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)
        self.preset.currentIndexChanged.connect(lambda _i: self._on_preset_changed(str(self.preset.currentData())))
        self.start_edit.dateChanged.connect(self._on_date_edited)
        self.end_edit.dateChanged.connect(self._on_date_edited)
        self.refresh_button.clicked.connect(self.refresh)
        self.cancel_button.clicked.connect(self.cancel)
        if kind == "points":  # earned and redeemed by month: a year shows the trend
            self.preset.setCurrentIndex(self.preset.findData("Last 12 months"))
        self.csv_button.clicked.connect(self._on_csv_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_clicked)

    # -- intent ------------------------------------------------------------------------------------------------
    def set_period(self, start: date, end: date, store: str | None = None) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("Custom"))
        self.preset.blockSignals(False)
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))
        self.store.setCurrentText(store or _("All stores"))

    def refresh(self) -> None:
        """Compute the report on a worker thread with its own connection; the screen stays responsive."""
        if self._task is not None:
            self._task.cancel()
        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        store = None if self.store.currentIndex() == 0 else self.store.currentText()
        path, clock, kind, owner = self.shop.path, self.shop.ctx.clock, self.kind, self.owner
        self._task = self.tasks.submit(
            f"{self.kind} report", lambda cancelled: jobs.report_sheet(path, clock, kind, start, end, store, owner,
                                                                       cancelled),
            on_done=self._on_task_done, on_failed=self._on_task_failed)
        self._busy(True)

    def cancel(self) -> None:
        """Stop waiting for the report being computed (its result, if it still comes, is dropped)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._busy(False)

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.refresh_button.setEnabled(not busy)

    def export_csv(self, path: Path) -> None:
        assert self.sheet is not None
        try:
            path.write_text(sheet_csv(self.sheet), encoding="utf-8-sig", newline="")
        except OSError as exc:
            self.sig_failed.emit(_("could not write {path}: {problem}").format(path=path, problem=file_problem(exc)))
            return
        self.sig_exported.emit(str(path))

    def export_pdf(self, path: Path) -> None:
        """The PDF is drawn on a worker thread (long tables take a moment), then written."""
        assert self.sheet is not None
        sheet, size = self.sheet, page_size_for(self.shop.ctx.region)
        self._export_task = self.tasks.submit("report PDF", lambda _cancelled: (path, sheet_pdf(sheet, size)),
                                              on_done=self._on_pdf_done, on_failed=self._on_pdf_failed)

    # -- slots -------------------------------------------------------------------------------------------------
    def _on_preset_changed(self, name: str) -> None:
        if name == "Custom":
            return
        start, end = preset_range(name, self.shop.reports.today())
        for e, d in ((self.start_edit, start), (self.end_edit, end)):
            e.blockSignals(True)
            e.setDate(_qdate(d))
            e.blockSignals(False)

    def _on_date_edited(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("Custom"))
        self.preset.blockSignals(False)

    def _on_task_done(self, outcome: Outcome) -> None:
        task = outcome.task
        sheet: ReportSheet | None = outcome.value
        if task is not self._task or sheet is None:
            return  # a newer request replaced this one
        self._task = None
        self._busy(False)
        self.show_sheet(sheet)
        self.sig_loaded.emit(sheet)

    def _on_task_failed(self, outcome: Outcome) -> None:
        task, message = outcome.task, outcome.error
        if task is not self._task:
            return
        self._task = None
        self._busy(False)
        self.heading.setText(_('Could not show the report: {message}').format(message=message))
        self.sig_failed.emit(message)

    def _on_pdf_done(self, outcome: Outcome) -> None:
        self._export_task = None
        path, data = outcome.value
        try:
            path.write_bytes(data)
        except OSError as exc:
            self.sig_failed.emit(_("could not write {path}: {problem}").format(path=path, problem=file_problem(exc)))
            return
        self.sig_exported.emit(str(path))

    def _on_pdf_failed(self, outcome: Outcome) -> None:
        self._export_task = None
        self.sig_failed.emit(outcome.error)

    def _on_csv_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Export CSV"), self._default_name("csv"), _("CSV files (*.csv)"))
        if name:
            self.export_csv(Path(name))

    def _on_pdf_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Export PDF"), self._default_name("pdf"), _("PDF files (*.pdf)"))
        if name:
            self.export_pdf(Path(name))

    def _default_name(self, ext: str) -> str:
        return f"{self.kind}-{_pydate(self.start_edit.date())}-{_pydate(self.end_edit.date())}.{ext}"

    # -- drawing -----------------------------------------------------------------------------------------------
    def show_sheet(self, sheet: ReportSheet) -> None:
        self.sheet = sheet
        self.heading.setText(f"{sheet.title} · {sheet.store_label} · {sheet.period_label}")
        while self.figures.count():
            item = self.figures.takeAt(0)
            if item is not None and (old := item.widget()) is not None:
                old.deleteLater()
        for i, f in enumerate(sheet.figures):
            value = QLabel(format_value(f.kind, f.value, sheet.currency))
            value.setStyleSheet("font-size: 18px; font-weight: 600;")
            value.setAccessibleName(f.label)
            label = QLabel(f.label)
            label.setStyleSheet(muted_style())
            self.figures.addWidget(value, 0, i)
            self.figures.addWidget(label, 1, i)
        has_chart = bool(sheet.charts and sheet.charts[0].categories)
        if has_chart:
            self.chart_view.setChart(build_chart(sheet.charts[0], sheet.key, sheet.currency))
        self.chart_view.setVisible(has_chart)  # no empty axes: the table says why there is nothing
        self.tables.clear()
        self.models, self.views = [], []
        for t in sheet.tables:
            model = ReportTableModel(sheet.currency)
            model.set_table(t)
            proxy = QSortFilterProxyModel(self)
            proxy.setSourceModel(model)
            proxy.setSortRole(SORT_ROLE)
            view = QTableView()
            view.setModel(proxy)
            view.setAccessibleName(t.title)
            view.setSortingEnabled(True)
            view.setAlternatingRowColors(True)
            view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the report's own order until a header is clicked
            view.verticalHeader().hide()
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setMinimumSectionSize(90)
            # The name column takes the spare width, so numbers sit close to their labels.
            wide = next((i for i, c in enumerate(t.columns) if c.key == "name"),
                        next((i for i, c in enumerate(t.columns) if c.kind == "text"), 0))
            header.setSectionResizeMode(wide, QHeaderView.ResizeMode.Stretch)
            page: QWidget = view
            if not t.rows:
                page = QLabel(t.empty_text)
                page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tables.addTab(page, f"{t.title} ({len(t.rows)})")
            self.models.append(model)
            self.views.append(view)
        self.note.setText(" ".join(sheet.notes))
        for b in (self.csv_button, self.pdf_button):
            b.setEnabled(True)
