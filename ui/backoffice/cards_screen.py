"""The Cards screen: print one customer's loyalty card, or a sheet of ten-a-page cards for recent sign-ups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.context import Staff
from loyalty_app.disk_full import file_problem
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _, ngettext
from loyalty_app.phones import display_phone
from loyalty_app.shop import Shop, open_shop
from ui.task_runner import Control, Outcome, Task, TaskRunner


class CardsScreen(QWidget):
    sig_printed = Signal(str)
    """A card PDF was written (its path)."""

    def __init__(self, shop: Shop, owner: Staff, tasks: TaskRunner) -> None:
        super().__init__()
        self.shop, self.owner, self.tasks = shop, owner, tasks
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Phone, card number, name or email"))
        self.find_button = QPushButton(_("Find"))
        self.results = QListWidget()
        self.print_button = QPushButton(_("Print card…"))
        self.print_button.setEnabled(False)
        one = QGroupBox(_("One card (a customer without a card gets a new number)"))
        box = QVBoxLayout(one)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.find_button)
        box.addLayout(row)
        box.addWidget(self.results, 1)
        box.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignRight)
        self.count = QSpinBox()
        self.count.setRange(1, 500)
        self.count.setValue(10)
        self.sheet_button = QPushButton(_("Print sheet…"))
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.hide()
        self._sheet_task: Task | None = None
        for w, name in ((self.search, "find customer for a card"), (self.results, "matching customers"),
                        (self.count, "number of cards on the sheets")):
            w.setAccessibleName(name)
        batch = QGroupBox(_("A batch: sheets of ten cards on A4 or Letter"))
        brow = QHBoxLayout(batch)
        brow.addWidget(QLabel(_("Cards for the")))
        brow.addWidget(self.count)
        brow.addWidget(QLabel(_("most recent sign-ups who have no card yet")))
        brow.addStretch(1)
        brow.addWidget(self.progress)
        brow.addWidget(self.cancel_button)
        brow.addWidget(self.sheet_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(one, 1)
        layout.addWidget(batch)
        layout.addWidget(self.message)
        self.search.returnPressed.connect(self._on_find_button_clicked)
        self.find_button.clicked.connect(self._on_find_button_clicked)
        self.results.currentItemChanged.connect(
            lambda cur, _prev: self.print_button.setEnabled(cur is not None))
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.sheet_button.clicked.connect(self._on_sheet_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

    # -- intent ------------------------------------------------------------------------------------------------
    def lookup(self, text: str) -> int:
        """List the customers matching a phone, card number, name or email; how many were found."""
        self.results.clear()
        try:
            found = self.shop.lookup.find(text).matches if text.strip() else []
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return 0
        for c in found:
            cards = [k.number for k in self.shop.customers.cards(c.id) if k.status == "active"]
            phones = [display_phone(p, self.shop.ctx.region) for p in self.shop.customers.phones(c.id)]
            card = _("card {number}").format(number=cards[-1]) if cards else _("no card yet")
            item = QListWidgetItem(f"{c.name or _('No name')} · {', '.join(phones) or _('no phone')} · {card}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        self.message.setText("" if found else _("No customer matches '{text}'.").format(text=text))
        return len(found)

    def print_selected_to(self, path: Path) -> str | None:
        item = self.results.currentItem()
        if item is None:
            return None
        try:
            number, pdf = self.shop.cards.print_card(int(item.data(Qt.ItemDataRole.UserRole)), self.owner)
            path.write_bytes(pdf)
        except (LoyaltyError, OSError) as exc:
            self.message.setText(_('Card not printed: {exc}').format(exc=exc))
            return None
        self.message.setText(_('Card {number} written to {path}.').format(number=number, path=path))
        self.sig_printed.emit(str(path))
        return number

    def print_sheet_to(self, path: Path, count: int) -> None:
        """Issue and lay out the cards on a worker thread with its own connection."""
        db_path, clock, owner = self.shop.path, self.shop.ctx.clock, self.owner

        def job(cancelled: Control) -> tuple[Path, bytes | None, int]:
            shop = open_shop(db_path, clock=clock, migrate=False)
            try:
                ids = shop.cards.customers_without_card(count)
                if not ids:
                    raise LoyaltyError(_("every customer already has a card"))
                pdf = shop.cards.print_sheet(ids, owner, progress=cancelled.progress, cancelled=cancelled)
                return path, pdf, len(ids)
            finally:
                shop.close()
        self._busy(True)
        self.message.setText(_("Preparing the cards…"))
        self._sheet_task = self.tasks.submit("printing cards", job, writes=True, on_done=self._on_sheet_done,
                                             on_failed=self._on_sheet_failed, on_progress=self._on_sheet_progress)

    def _busy(self, busy: bool) -> None:
        self.sheet_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress.setRange(0, 0)

    # -- slots -------------------------------------------------------------------------------------------------
    def _on_find_button_clicked(self) -> None:
        self.lookup(self.search.text())

    def _on_print_button_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the card"), _("loyalty-card.pdf"), _("PDF files (*.pdf)"))
        if name:
            self.print_selected_to(Path(name))

    def _on_sheet_button_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the sheet"), _("loyalty-cards.pdf"), _("PDF files (*.pdf)"))
        if name:
            self.print_sheet_to(Path(name), self.count.value())

    def _on_sheet_progress(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_cancel_button_clicked(self) -> None:
        if self._sheet_task is not None:
            self._sheet_task.cancel()

    def _on_sheet_done(self, outcome: Outcome) -> None:
        result: tuple[Path, bytes | None, int] = outcome.value
        self._sheet_task = None
        self._busy(False)
        path, pdf, n = result
        if pdf is None:
            self.message.setText(_("Cancelled: no sheet was written (cards already issued stay with their customers)."))
            return
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            self.message.setText(_('Could not write {path}: {file_problem}').format(path=path, file_problem=file_problem(exc)))
            return
        pages = (n + 9) // 10
        self.message.setText((ngettext("{n} card", "{n} cards", n) + " " + ngettext("on {pages} page written to {path}.",
                                                                         "on {pages} pages written to {path}.", pages)
             ).format(n=n, pages=pages, path=path))
        self.sig_printed.emit(str(path))

    def _on_sheet_failed(self, outcome: Outcome) -> None:
        self._sheet_task = None
        self._busy(False)
        self.message.setText(_('No sheet printed: {error}').format(error=outcome.error))
