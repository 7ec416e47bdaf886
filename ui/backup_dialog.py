"""Backups for the owner: back up now (on a worker), restore one with the owner's PIN, folder and keep-count."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from loyalty_app import jobs
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import N_, _, format_number
from loyalty_app.shop import Shop
from ui.task_runner import Outcome, Task, TaskRunner, dialog_runner

HELP = N_("Backups are verified copies of the shop. Put them on a USB stick or in a synced folder so a lost or "
        "broken computer does not take the shop with it.")


def _backup_job(path: Path) -> Callable[[Callable[[], bool]], str]:
    def job(cancelled: Callable[[], bool]) -> str:
        return str(jobs.backup(path, cancelled=cancelled))  # a worker has its own connection
    return job


class BackupDialog(QDialog):
    sig_backed_up = Signal(str)
    """A backup was written and verified (its path)."""
    sig_restored = Signal(str)
    """The shop was replaced by a backup (its path): every screen should reload what it shows."""

    def __init__(self, shop: Shop, parent: QWidget | None = None, *, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.tasks = dialog_runner(self, tasks)
        self._task: Task | None = None
        self.setWindowTitle(_("Backups"))
        self.setMinimumWidth(560)
        self.folder_input = QLineEdit(str(shop.backups.folder_of()))
        self.folder_input.setAccessibleName("backup folder")
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._on_browse_clicked)
        self.keep_input = QSpinBox()
        self.keep_input.setRange(1, 999)
        self.keep_input.setValue(shop.backups.keep_of())
        self.keep_input.setAccessibleName("backups to keep")
        self.pin_input = QLineEdit()
        self.pin_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_input.setAccessibleName("owner PIN")
        self.save_button = QPushButton(_("Save settings"))
        self.save_button.clicked.connect(self.save_settings)
        self.backup_button = QPushButton(_("Back up now"))
        self.backup_button.clicked.connect(self.back_up_now)
        self.backup_list = QListWidget()
        self.backup_list.setAccessibleName("backups")
        self.restore_button = QPushButton(_("Restore selected…"))
        self.restore_button.clicked.connect(self._on_restore_clicked)
        restore_file = QPushButton(_("Restore from a file…"))
        restore_file.clicked.connect(self._on_restore_file_clicked)
        self.message = QLabel(_(HELP))
        self.message.setWordWrap(True)
        self.message.setAccessibleName("backup message")
        form = QFormLayout(self)
        form.addRow(_("Folder"), _row(self.folder_input, browse))
        form.addRow(_("Keep"), self.keep_input)
        form.addRow(_("Owner PIN"), self.pin_input)
        form.addRow(_row(self.save_button, self.backup_button))
        form.addRow(self.backup_list)
        form.addRow(_row(self.restore_button, restore_file))
        form.addRow(self.message)
        self.refresh()

    def refresh(self) -> None:
        self.backup_list.clear()
        for row in self.shop.backups.list_backups():
            item = QListWidgetItem(_("{file}   {size} kB").format(file=Path(row.file).name, size=format_number(max(1, row.bytes // 1024))))
            item.setData(256, row.file)  # Qt.UserRole
            self.backup_list.addItem(item)

    def save_settings(self) -> None:
        try:
            owner = self.shop.staff.verify_owner(self.pin_input.text())
            self.shop.backups.configure(folder=Path(self.folder_input.text().strip()),
                              keep=self.keep_input.value(), actor=owner)
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(_("Saved: new backups go to that folder."))
        self.refresh()

    def back_up_now(self) -> None:
        """Take a verified backup on a worker thread (its own connection); the result arrives as a signal."""
        self.backup_button.setEnabled(False)
        self.message.setText(_("Backing up…"))
        self._task = self.tasks.submit("backing up", _backup_job(self.shop.path), writes=True,
                                       on_done=self._on_task_done, on_failed=self._on_task_failed)

    def _on_task_done(self, outcome: Outcome) -> None:
        self._task = None
        self.backup_button.setEnabled(True)
        self.message.setText(_('Backed up to {value} (verified).').format(value=outcome.value))
        self.refresh()
        self.sig_backed_up.emit(str(outcome.value))

    def _on_task_failed(self, outcome: Outcome) -> None:
        self._task = None
        self.backup_button.setEnabled(True)
        self.message.setText(_('The backup failed: {error}').format(error=outcome.error))

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Backup folder"), self.folder_input.text())
        if folder:
            self.folder_input.setText(folder)

    def _on_restore_clicked(self) -> None:
        item = self.backup_list.currentItem()
        if item is None:
            self.message.setText(_("Choose a backup in the list first."))
            return
        self.restore(Path(item.data(256)))

    def _on_restore_file_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Restore a backup"), self.folder_input.text(),
                                              _("Loyalty Desk backups (*.sqlite);;All files (*)"))
        if name:
            self.restore(Path(name))

    def restore(self, candidate: Path) -> bool:
        """Replace the shop with ``candidate`` (owner PIN); the current file is backed up first."""
        try:
            owner = self.shop.staff.verify_owner(self.pin_input.text())
            # The file is swapped under the open connection: no background job may be writing through another.
            with self.tasks.exclusive("restoring a backup"):
                result = self.shop.backups.restore_into(candidate, owner.name, self.pin_input.text())
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(_('Restored from {name}. The file it replaced is kept as {safety_copy}.').format(name=candidate.name, safety_copy=result.safety_copy))
        self.refresh()
        self.sig_restored.emit(str(candidate))
        return True


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    h = QHBoxLayout(row)
    h.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        h.addWidget(w)
    return row
