"""Signing in at the start of a shift (and switching cashier): a name and a PIN.

Nobody is picked in advance: whoever steps up picks their own name (click, or type its first letters), then the
PIN. A PIN alone does not say who it is (two people may choose the same four digits, and every wrong PIN would
count against everyone's lock-out), and a name picked in advance turned the owner's PIN into "wrong PIN" for
whoever happened to be first in the list.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from ui.theme import error_style


class SignInDialog(QDialog):
    def __init__(self, shop: Shop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.setWindowTitle(_("Sign in"))
        self.name_box = QComboBox()
        self.name_box.setAccessibleName("staff name")
        self.name_box.setToolTip(_("Pick your name (or type its first letters), then Tab to the PIN"))
        for s in shop.staff.list():
            if s.active:
                self.name_box.addItem(s.name)
        self.name_box.setPlaceholderText(_("Pick your name"))
        self.name_box.setCurrentIndex(-1)
        self.pin_input = QLineEdit()
        self.pin_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_input.setAccessibleName("PIN")
        self.error_label = QLabel("")
        self.error_label.setAccessibleName("sign-in error")
        self.error_label.setStyleSheet(error_style())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Sign in"))
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setToolTip(_("Close without signing in (Esc); the counter stays as it was"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("&Who"), self.name_box)
        form.addRow(_("&PIN"), self.pin_input)
        form.addRow(self.error_label)
        form.addRow(buttons)
        self.name_box.setFocus()  # type the name's first letters, Tab, the PIN, Enter

    def submit(self) -> None:
        name = self.name_box.currentText()
        if self.name_box.currentIndex() < 0 or not name:
            self.error_label.setText(_("Pick your name first, then type your PIN"))
            self.name_box.setFocus()
            return
        try:
            self.shop.staff.sign_in(name, self.pin_input.text())
        except LoyaltyError as exc:
            text = str(exc)
            self.error_label.setText(_("{error} (signing in as {name})").format(error=f"{text[:1].upper()}{text[1:]}",
                                                                            name=name))
            self.pin_input.clear()
            self.pin_input.setFocus()
            return
        self.accept()
