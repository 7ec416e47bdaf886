"""The import wizard's window and its pages: choose a file, (map columns), preview, import."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from loyalty_app import jobs
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _, ngettext
from loyalty_app.importers.inspect import FileInfo, inspect_file
from loyalty_app.importers.options import ImportOptions, ImportSummary, read_report
from loyalty_app.shop import Shop
from ui.import_wizard.mapping_page import MappingPage
from ui.task_runner import Control, Outcome, Progress, Task, TaskRunner, dialog_runner

PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, PAGE_IMPORT = range(4)
PROBLEMS_SHOWN = 50  # rows listed in the wizard; the report file has them all


def describe(s: ImportSummary, *, dry_run: bool) -> str:
    counts = {"lines": s.lines_imported, "duplicates": s.duplicates, "rejected": s.rejected, "skipped": s.skipped,
              "warnings": s.warnings, "created": s.customers_created, "linked": s.customers_linked,
              "products": s.products_created}
    text = (_("{lines} new lines would be imported; {duplicates} already imported; {rejected} rejected; "
              "{skipped} skipped; {warnings} warnings.") if dry_run else
            _("{lines} new lines imported; {duplicates} already imported; {rejected} rejected; {skipped} skipped; "
              "{warnings} warnings.")).format(**counts) + "\n" + _(
        "Customers: {created} new, {linked} linked. New products (flagged for review): {products}.").format(**counts)
    if s.status == "cancelled":
        text = _("Cancelled: what was imported before stays, and importing the file again finishes it.") + "\n" + text
    if s.report and not dry_run:
        text += "\n" + _("Rows not imported are listed in {file}.").format(file=s.report)
    return text


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Choose an export"))
        self.setSubTitle(_("A sales or customer export from Square, Shopify or Loyverse, or any CSV from a till."))
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("export file")
        self.path_edit.textChanged.connect(self._on_path_edit_text_changed)
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._on_browse_clicked)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(_("File"), row)
        self.format_label = QLabel("")
        self.format_label.setWordWrap(True)
        form.addRow(_("Format"), self.format_label)
        self.dates_combo = QComboBox()
        self.dates_combo.addItems([_("As the file's dates show, else the shop's country's way"),
                                   _("Day first (31/12/2025)"), _("Month first (12/31/2025)")])
        form.addRow(_("Dates"), self.dates_combo)
        self.points_check = QCheckBox(_("Award points on these sales (untick for old history)"))
        self.points_check.setChecked(True)
        form.addRow("", self.points_check)

    def _on_browse_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Choose an export"), "", _("CSV files (*.csv *.txt *.tsv)"))
        if name:
            self.path_edit.setText(name)

    def _on_path_edit_text_changed(self, text: str) -> None:
        self._wizard.info = None
        path = Path(text.strip())
        if text.strip() and path.is_file():
            try:
                self._wizard.info = inspect_file(path)
                self.format_label.setText(self._wizard.info.format_name)
            except (LoyaltyError, OSError) as exc:
                self.format_label.setText(_('cannot read it: {exc}').format(exc=exc))
        else:
            self.format_label.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self._wizard.info is not None

    def nextId(self) -> int:  # noqa: N802
        info = self._wizard.info
        return PAGE_MAPPING if info is not None and info.format is None else PAGE_PREVIEW


class RunPage(QWizardPage):
    """Runs the job on the task runner: a dry run on the preview page, the real import on the last page."""

    def __init__(self, wizard: ImportWizard, *, dry_run: bool) -> None:
        super().__init__()
        self._wizard = wizard
        self.dry_run = dry_run
        self.setTitle(_("What will happen") if dry_run else _("Importing"))
        layout = QVBoxLayout(self)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.cancel_button = QPushButton(_("Cancel import"))
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.cancel_button.setVisible(not dry_run)
        self.problems_title = QLabel("")
        self.problems_list = QListWidget()  # row by row: which row, and why it is not imported as it is
        self.problems_list.setAccessibleName("rows not imported")
        self.problems_title.setBuddy(self.problems_list)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems_list, 1)
        layout.addWidget(self.cancel_button)
        self._show_problems(None)
        self.task: Task | None = None
        self.summary: ImportSummary | None = None
        if not dry_run:
            self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802
        self.summary = None
        self.progress.setValue(0)
        self.status_label.setText(_("Checking the file…") if self.dry_run else _("Importing…"))
        self._show_problems(None)
        self.cancel_button.setEnabled(True)
        self.task = self._wizard.start(self.dry_run, on_done=self._on_task_finished, on_failed=self._on_task_failed,
                                       on_progress=self._on_task_progress)

    def _on_task_progress(self, done: int, total: int, _text: str) -> None:
        self.progress.setValue(1000 * done // max(total, 1))

    def _on_task_finished(self, outcome: Outcome) -> None:
        summary: ImportSummary = outcome.value
        self.summary = summary
        self.task = None
        self.progress.setValue(1000)
        self.cancel_button.setEnabled(False)
        self.status_label.setText(describe(summary, dry_run=self.dry_run))
        self._show_problems(summary.report)
        if not self.dry_run:
            self._wizard.sig_imported.emit(summary)
        self.completeChanged.emit()

    def _show_problems(self, report: str | None) -> None:
        self.problems_list.clear()
        lines, total = read_report(report, PROBLEMS_SHOWN) if report and Path(report).is_file() else ([], 0)
        for ln in lines:
            self.problems_list.addItem(_("Row {row}: {level} — {reason}").format(row=ln.row, level=ln.level,
                                                                                 reason=ln.reason))
        if total > len(lines):
            self.problems_list.addItem(_("… and {count} more, listed in {report}").format(
                count=total - len(lines), report=report))
        title = (ngettext("{n} row will not be imported as it is:", "{n} rows will not be imported as they are:", total)
                 if self.dry_run else
                 ngettext("{n} row was not imported as it was:", "{n} rows were not imported as they were:", total))
        self.problems_title.setText(title.format(n=total) if total else "")
        self.problems_title.setVisible(bool(total))
        self.problems_list.setVisible(bool(total))

    def _on_task_failed(self, outcome: Outcome) -> None:
        self.task = None
        self.cancel_button.setEnabled(False)
        self.status_label.setText(_('Nothing was imported: {error}').format(error=outcome.error))

    def _on_cancel_button_clicked(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(_("Stopping after the current batch…"))

    def isComplete(self) -> bool:  # noqa: N802
        return self.summary is not None


class ImportWizard(QWizard):
    sig_imported = Signal(object)
    """An import finished (its ImportSummary): screens showing customers or sales may refresh."""

    def __init__(self, shop: Shop, parent: QWidget | None = None, *, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.info: FileInfo | None = None
        self.tasks = dialog_runner(self, tasks)
        self.batch_lines = 5000
        self.setWindowTitle(_("Import sales or customers"))
        self.setMinimumSize(760, 560)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = RunPage(self, dry_run=True)
        self.import_page = RunPage(self, dry_run=False)
        for pid, page in ((PAGE_FILE, self.file_page), (PAGE_MAPPING, self.mapping_page),
                          (PAGE_PREVIEW, self.preview_page), (PAGE_IMPORT, self.import_page)):
            self.setPage(pid, page)
        self.mapping_page.setCommitPage(False)
        self.preview_page.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        self.preview_page.setCommitPage(True)

    def day_first(self) -> bool | None:
        return {0: None, 1: True, 2: False}[self.file_page.dates_combo.currentIndex()]

    def import_options(self, dry_run: bool) -> ImportOptions:
        assert self.info is not None
        generic = self.info.format is None
        report = (Path(tempfile.gettempdir()) / f"{self.info.path.stem}-preview-report.csv") if dry_run else None
        return ImportOptions(format="generic" if generic else self.info.format or "auto",
                             mapping=self.mapping_page.mapping() if generic else {}, day_first=self.day_first(),
                             dry_run=dry_run, award_points=self.file_page.points_check.isChecked(), report=report,
                             batch_lines=self.batch_lines)

    def start(self, dry_run: bool, on_done: Callable[[Outcome], None], on_failed: Callable[[Outcome], None],
              on_progress: Progress) -> Task:
        """The dry run or the import on the runner, with its own connection; Cancel stops after a batch."""
        assert self.info is not None
        actor = self.shop.ctx.actor
        db_path, file, options, clock = self.shop.path, self.info.path, self.import_options(dry_run), self.shop.ctx.clock
        staff = actor.name if actor else None  # recorded on the run and in the audit log

        def job(cancelled: Control) -> ImportSummary:
            return jobs.import_file(db_path, file, options, clock=clock, staff=staff, progress=cancelled.progress,
                                    cancelled=cancelled)
        return self.tasks.submit("checking the file" if dry_run else f"importing {file.name}", job,
                                 writes=not dry_run, on_done=on_done, on_failed=on_failed, on_progress=on_progress)

    def reject(self) -> None:
        for page in (self.preview_page, self.import_page):
            if page.task is not None:
                page.task.cancel()
        super().reject()
