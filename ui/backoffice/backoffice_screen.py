"""The Back office tab: asks for the owner's PIN, then shows Products, Program, Staff, Reports and Cards."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.context import Staff
from loyalty_app.errors import PermissionDenied
from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from ui.task_runner import TaskRunner
from ui.theme import error_style, muted_style


class BackOfficeScreen(QWidget):
    sig_unlocked = Signal(str)
    """The owner's PIN was accepted (the owner's name)."""

    def __init__(self, shop: Shop, tasks: TaskRunner) -> None:
        super().__init__()
        self.shop, self.tasks = shop, tasks
        self.owner: Staff | None = None
        self.stack = QStackedWidget()
        self.lock_page = QWidget()
        self.pin_input = QLineEdit()
        self.pin_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_input.setPlaceholderText(_("Owner PIN"))
        self.pin_input.setAccessibleName("owner PIN")
        self.pin_input.setMaximumWidth(220)
        self.unlock_button = QPushButton(_("Open the back office"))
        self.message = QLabel()
        self.message.setStyleSheet(error_style())
        box = QVBoxLayout(self.lock_page)
        box.addStretch(1)
        title = QLabel(_("Back office"))
        title.setStyleSheet("font-size: 20px; font-weight: 600;")
        hint = QLabel(_("Products, points program, staff, reports and cards are for the owner. Enter the owner's PIN."))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.pin_input)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        for w in (title, hint, self.message):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(title)
        box.addWidget(hint)
        box.addLayout(row)
        box.addWidget(self.message)
        box.addStretch(2)
        self.tabs: QTabWidget | None = None
        self._page: QWidget | None = None
        self.stack.addWidget(self.lock_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.pin_input.returnPressed.connect(self._on_unlock_button_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)

    def unlock(self, pin: str) -> bool:
        """Open the back office with an owner's PIN; a wrong or cashier's PIN says so and stays locked."""
        try:
            owner = self.shop.staff.verify_owner(pin)
        except PermissionDenied as exc:
            text = str(exc)
            self.message.setText(text[:1].upper() + text[1:])
            self.pin_input.clear()
            return False
        self.owner = owner
        self.message.clear()
        self.pin_input.clear()
        self._build(owner)
        self.sig_unlocked.emit(owner.name)
        return True

    def open_for(self, actor: Staff | None) -> bool:
        """The tab is shown: an owner signed in at the counter (with their PIN) is not asked for it again; anyone
        else sees the PIN box."""
        if self.owner is not None:
            return True
        if actor is None or not actor.is_owner:
            return False
        self.owner = actor
        self.message.clear()
        self._build(actor)
        self.sig_unlocked.emit(actor.name)
        return True

    def staff_changed(self, actor: Staff | None) -> None:
        """Someone else signed in at the counter: the owner's screens close unless it is that owner again."""
        if self.owner is not None and (actor is None or actor.id != self.owner.id):
            self.lock()

    def lock(self) -> None:
        """Close the owner's screens (e.g. before handing the counter back to a cashier)."""
        self.owner = None
        if self._page is not None:
            self.stack.removeWidget(self._page)
            self._page.deleteLater()
            self._page, self.tabs = None, None
        self.stack.setCurrentWidget(self.lock_page)

    def _build(self, owner: Staff) -> None:
        from ui.backoffice.cards_screen import CardsScreen
        from ui.backoffice.language_picker import LanguagePicker
        from ui.backoffice.products_screen import ProductsScreen
        from ui.backoffice.program_screen import ProgramScreen
        from ui.backoffice.reports_screen import ReportsScreen
        from ui.backoffice.staff_screen import StaffScreen

        page = QWidget()
        self.tabs = QTabWidget()
        self.products = ProductsScreen(self.shop, owner, self.tasks)
        self.program = ProgramScreen(self.shop, owner, self.tasks)
        self.staff = StaffScreen(self.shop, owner)
        self.reports = ReportsScreen(self.shop, owner, self.tasks)
        self.cards = CardsScreen(self.shop, owner, self.tasks)
        for w, title in ((self.reports, _("Reports")), (self.products, _("Products")),
                         (self.program, _("Points program")), (self.staff, _("Staff")), (self.cards, _("Cards"))):
            self.tabs.addTab(w, title)
        top = QHBoxLayout()
        who = QLabel(_('Signed in as owner: {name}').format(name=owner.name))
        who.setStyleSheet(muted_style())
        self.lock_button = QPushButton(_("Lock"))
        self.lock_button.clicked.connect(self.lock)
        top.addWidget(who)
        top.addStretch(1)
        self.language = LanguagePicker(self.shop, owner)
        top.addWidget(self.language)
        top.addWidget(self.lock_button)
        box = QVBoxLayout(page)
        box.addLayout(top)
        box.addWidget(self.tabs)
        self._page = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    def _on_unlock_button_clicked(self) -> None:
        self.unlock(self.pin_input.text().strip())
