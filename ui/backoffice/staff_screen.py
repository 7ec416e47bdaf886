"""The Staff screen: cashiers and owners, adding them, setting PINs, deactivating (wrong PINs lock a name)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.context import Staff
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from loyalty_app.staff import StaffMember
from ui.backoffice.text_table_model import ROW_ROLE, TextTableModel
from ui.theme import muted_style


def _pin_edit(placeholder: str) -> QLineEdit:
    e = QLineEdit()
    e.setEchoMode(QLineEdit.EchoMode.Password)
    e.setPlaceholderText(placeholder)
    e.setMaxLength(12)
    return e


class StaffScreen(QWidget):
    def __init__(self, shop: Shop, owner: Staff) -> None:
        super().__init__()
        self.shop, self.owner = shop, owner
        self.model = TextTableModel([_("Name"), _("Role"), _("Status")])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Name they sign in with"))
        self.role = QComboBox()
        for role in ("cashier", "owner"):
            self.role.addItem(_(role), role)
        self.pin, self.pin_again = _pin_edit(_("4 to 12 digits")), _pin_edit(_("the same again"))
        self.add_button = QPushButton(_("Add staff member"))
        add_box = QGroupBox(_("Add someone"))
        form = QFormLayout(add_box)
        for w in (self.name, self.role, self.pin, self.pin_again):
            w.setMinimumWidth(220)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Role"), self.role)
        form.addRow(_("PIN"), self.pin)
        form.addRow(_("PIN again"), self.pin_again)
        form.addRow("", self.add_button)
        self.new_pin = _pin_edit(_("new PIN for the selected person"))
        self.pin_button = QPushButton(_("Set PIN"))
        self.active_button = QPushButton(_("Deactivate"))
        self.new_pin.setMinimumWidth(220)
        self.table.setAccessibleName("staff")
        self.new_pin.setAccessibleName("new PIN for the selected person")
        sel_box = QGroupBox(_("Selected person"))
        sel = QVBoxLayout(sel_box)
        row = QHBoxLayout()
        row.addWidget(self.new_pin)
        row.addWidget(self.pin_button)
        row.addStretch(1)
        sel.addLayout(row)
        sel.addWidget(self.active_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.message = QLabel()
        self.message.setWordWrap(True)
        note = QLabel(_("Five wrong PINs in a row lock that name for a minute."))
        note.setStyleSheet(muted_style())
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addWidget(note)
        right = QVBoxLayout()
        right.addWidget(sel_box)
        right.addWidget(add_box)
        right.addWidget(self.message)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.pin_button.clicked.connect(self._on_pin_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.reload()

    def reload(self) -> None:
        people = self.shop.staff.list()
        self.model.set_rows([[p.name, _(p.role).capitalize(), _("Active") if p.active else _("Inactive")]
                             for p in people], people)
        self._on_selection_changed()

    def selected(self) -> StaffMember | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def select(self, name: str) -> None:
        for r, p in enumerate(self.model.payloads):
            if p.name == name:
                self.table.selectRow(r)

    def _do(self, action: str, fn: object) -> bool:
        try:
            fn()  # type: ignore[operator]
        except LoyaltyError as exc:
            self.message.setText(f"{action}: {exc}")
            return False
        return True

    def _on_add_button_clicked(self) -> None:
        name, pin = self.name.text().strip(), self.pin.text()
        if pin != self.pin_again.text():
            self.message.setText(_("The two PINs are not the same."))
            return
        if self._do(_("Not added"), lambda: self.shop.staff.add(name, str(self.role.currentData()), pin,
                                                             actor=self.owner)):
            for e in (self.name, self.pin, self.pin_again):
                e.clear()
            self.reload()
            self.select(name)
            self.message.setText(_("{name} can now sign in as {role}.").format(name=name, role=self.role.currentText()))

    def _on_pin_button_clicked(self) -> None:
        p = self.selected()
        if p is None:
            return
        name = p.name
        if self._do(_("PIN not changed"), lambda: self.shop.staff.set_pin(name, self.new_pin.text(), actor=self.owner)):
            self.new_pin.clear()
            self.message.setText(_("{name}'s PIN was changed.").format(name=name))

    def _on_active_button_clicked(self) -> None:
        p = self.selected()
        if p is None:
            return
        name, active = p.name, not p.active
        if self._do(_("Not changed"), lambda: self.shop.staff.set_active(name, active, actor=self.owner)):
            self.reload()
            self.select(name)
            self.message.setText((_("{name} is now active.") if active else _("{name} is now inactive.")).format(name=name))

    def _on_selection_changed(self, *_args: object) -> None:
        p = self.selected()
        for w in (self.new_pin, self.pin_button, self.active_button):
            w.setEnabled(p is not None)
        self.active_button.setText(_("Activate") if p is not None and not p.active else _("Deactivate"))
