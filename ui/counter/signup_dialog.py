"""Signing up a customer at the counter: a phone is enough; consent is explicit, an unticked box per type."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from ui.counter.consent_boxes import ConsentBoxes
from ui.theme import error_style


class SignupDialog(QDialog):
    def __init__(self, shop: Shop, phone: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.customer_id: int | None = None
        self.setWindowTitle(_("Sign up a customer"))
        self.phone_input = QLineEdit(phone)
        self.phone_input.setAccessibleName("phone")
        self.name_input = QLineEdit()
        self.name_input.setAccessibleName("name")
        self.email_input = QLineEdit()
        self.email_input.setAccessibleName("email")
        self.consent = ConsentBoxes(shop.ctx.shop_name)
        self.card_input = QLineEdit()
        self.card_input.setAccessibleName("card number")
        self.card_input.setPlaceholderText(_("optional: scan a new card"))
        self.error_label = QLabel("")
        self.error_label.setAccessibleName("sign-up error")
        self.error_label.setStyleSheet(error_style())
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign up (Enter)"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Phone *"), self.phone_input)
        form.addRow(_("Name"), self.name_input)
        form.addRow(_("Email"), self.email_input)
        form.addRow("", self.consent)
        form.addRow(_("Card"), self.card_input)
        form.addRow(self.error_label)
        form.addRow(buttons)
        (self.name_input if phone else self.phone_input).setFocus()

    def submit(self) -> None:
        try:
            customer = self.shop.customers.sign_up(
                self.phone_input.text(), name=self.name_input.text() or None,
                email=self.email_input.text().strip() or None, consent=self.consent.answers(),
                consent_source="counter", card=self.card_input.text().strip() or None)
        except LoyaltyError as exc:
            self.error_label.setText(str(exc))
            return
        self.customer_id = customer.id
        self.accept()
