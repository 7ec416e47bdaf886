"""A customer's data on request (owner): export everything held about them to a file, or erase it."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from loyalty_app.disk_full import file_problem
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from loyalty_app.views import plain


class PrivacyDialog(QDialog):
    sig_erased = Signal(int)
    """A customer's personal data was erased (their id): screens showing them should reload."""

    def __init__(self, shop: Shop, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.customer_id = customer_id
        customer = shop.customers.get(customer_id)
        self.setWindowTitle(_("Customer's data"))
        self.name_label = QLabel(customer.name or _("Customer #{number}").format(number=customer_id))
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)  # a name is text, never markup
        self.pin_input = QLineEdit()
        self.pin_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_input.setAccessibleName("owner PIN")
        self.export_button = QPushButton(_("Export to a file…"))
        self.export_button.clicked.connect(self._on_export_clicked)
        self.confirm_erase = QCheckBox(_("I understand erasing cannot be undone (their sales stay, anonymous)"))
        self.erase_button = QPushButton(_("Erase personal data"))
        self.erase_button.setEnabled(False)
        self.confirm_erase.toggled.connect(self.erase_button.setEnabled)
        self.erase_button.clicked.connect(self.erase)
        self.message = QLabel(_("Export gives everything the shop holds about this person."))
        self.message.setWordWrap(True)
        self.message.setAccessibleName("privacy message")
        buttons = QWidget()
        h = QHBoxLayout(buttons)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.export_button)
        h.addWidget(self.erase_button)
        form = QFormLayout(self)
        form.addRow(_("Customer"), self.name_label)
        form.addRow(_("Owner PIN"), self.pin_input)
        form.addRow(self.confirm_erase)
        form.addRow(buttons)
        form.addRow(self.message)

    def _on_export_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Export the customer's data"),
                                              _('customer-{customer_id}.json').format(customer_id=self.customer_id), _("JSON (*.json)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> bool:
        """Write everything held about the customer to ``path`` as JSON (owner PIN)."""
        try:
            owner = self.shop.staff.verify_owner(self.pin_input.text())
            data = self.shop.privacy.export_customer(self.customer_id, actor=owner)
            path.write_text(json.dumps(plain(data), indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        except OSError as exc:
            self.message.setText(_('Could not write {path}: {file_problem}').format(path=path, file_problem=file_problem(exc)))
            return False
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(_('Exported to {path}.').format(path=path))
        return True

    def erase(self) -> bool:
        """Remove the customer's personal data (owner PIN); their sales stay, anonymous."""
        try:
            owner = self.shop.staff.verify_owner(self.pin_input.text())
            self.shop.privacy.erase_customer(self.customer_id, actor=owner)
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(_("Erased: the name, contact details and cards are gone; the sales stay, anonymous."))
        self.erase_button.setEnabled(False)
        self.confirm_erase.setEnabled(False)
        self.sig_erased.emit(self.customer_id)
        return True
