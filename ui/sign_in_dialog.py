"""Signing in at the start of a shift (and switching cashier): a name and a PIN."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.shop import Shop


class SignInDialog(QDialog):
    def __init__(self, shop: Shop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.setWindowTitle(_("Sign in"))
        self.name_box = QComboBox()
        self.name_box.setAccessibleName("staff name")
        for s in shop.staff.list():
            if s.active:
                self.name_box.addItem(s.name)
        self.pin_input = QLineEdit()
        self.pin_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_input.setAccessibleName("PIN")
        self.error_label = QLabel("")
        self.error_label.setAccessibleName("sign-in error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.submit)
        form = QFormLayout(self)
        form.addRow(_("Who"), self.name_box)
        form.addRow(_("PIN"), self.pin_input)
        form.addRow(self.error_label)
        form.addRow(buttons)
        self.pin_input.setFocus()

    def submit(self) -> None:
        try:
            self.shop.staff.sign_in(self.name_box.currentText(), self.pin_input.text())
        except LoyaltyError as exc:
            self.error_label.setText(str(exc))
            self.pin_input.clear()
            return
        self.accept()
