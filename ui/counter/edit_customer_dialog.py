"""Editing a customer: phones, cards, email and consent, notes and tags, merging a duplicate (with the owner's PIN)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _, format_number
from loyalty_app.phones import display_phone
from loyalty_app.shop import Shop
from ui.counter.consent_boxes import ConsentBoxes
from ui.theme import error_style


class EditCustomerDialog(QDialog):
    def __init__(self, shop: Shop, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.customer_id = customer_id
        self.setWindowTitle(_("Edit customer"))
        c = shop.customers.get(customer_id)
        self.name_input = QLineEdit(c.name or "")
        self.name_input.setAccessibleName("name")
        self.email_input = QLineEdit(c.email or "")
        self.email_input.setAccessibleName("email")
        self.consent = ConsentBoxes(shop.ctx.shop_name)
        self.consent.show_consent(c.consent, shop.customers.consent_records(customer_id))
        self.phones_label = QLabel()
        self.phone_input = QLineEdit()
        self.phone_input.setAccessibleName("phone to add or remove")
        self.card_input = QLineEdit()
        self.card_input.setAccessibleName("card number")
        self.merge_input = QLineEdit()
        self.merge_input.setAccessibleName("duplicate to merge")
        self.merge_input.setPlaceholderText(_("the duplicate's phone, card or name"))
        self.owner_pin = QLineEdit()
        self.owner_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.owner_pin.setAccessibleName("owner PIN")
        self.adjust_spin = QSpinBox()
        self.adjust_spin.setRange(-1_000_000, 1_000_000)
        self.adjust_spin.setAccessibleName("points to add or take away")
        self.adjust_reason = QLineEdit()
        self.adjust_reason.setAccessibleName("reason for the points change")
        self.adjust_reason.setPlaceholderText(_("reason, e.g. goodwill for a broken bottle"))
        self.message = QLabel("")
        self.message.setAccessibleName("edit message")
        self.message.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name_input)
        form.addRow(_("Email"), self.email_input)
        form.addRow("", self.consent)
        self._add_notes_rows(form)
        form.addRow(_("Phones"), self.phones_label)
        form.addRow(_("Phone"), self._row(self.phone_input, (_("&Add"), _("Add this phone (Alt+A)"), self._on_add_phone),
                                       (_("Re&move"), _("Remove this phone (Alt+M)"), self._on_remove_phone)))
        form.addRow(_("Card"), self._row(self.card_input, (_("A&ttach"), _("Attach the scanned card (Alt+T)"), self._on_attach_card),
                                      (_("Report &lost"), _("Report this card lost (Alt+L)"), self._on_card_lost),
                                      (_("Issue &new"), _("Issue a new card number (Alt+N)"), self._on_issue_card)))
        form.addRow(_("Merge"), self._row(self.merge_input, ))
        adjust = QHBoxLayout()
        adjust.addWidget(self.adjust_spin)
        adjust.addWidget(self.adjust_reason, 1)
        form.addRow(_("Adjust points"), adjust)
        form.addRow(_("Owner PIN"), self._row(
            self.owner_pin, (_("Mer&ge duplicate in"), _("Merge the duplicate into this customer; owner's PIN (Alt+G)"),
                             self._on_merge),
            (_("A&djust points"), _("Add or take away points with a reason; owner's PIN (Alt+D)"), self._on_adjust)))
        save = QPushButton(_("Save (Enter)"))
        save.setToolTip(_("Save name, email and consent, and close (Enter)"))
        save.setDefault(True)
        save.clicked.connect(self._on_save)
        form.addRow(self.message)
        form.addRow(save)
        self._refresh()

    # -- notes and tags ----------------------------------------------------------------------------------
    def _add_notes_rows(self, form: QFormLayout) -> None:
        self.notes_input = QLineEdit(self.shop.notes.notes(self.customer_id) or "")
        self.notes_input.setAccessibleName("notes")
        self.notes_input.setPlaceholderText(_("what the counter should know, e.g. prefers the unfiltered oil"))
        self.tags_input = QLineEdit(", ".join(self.shop.notes.tags(self.customer_id)))
        self.tags_input.setAccessibleName("tags")
        self.tags_input.setPlaceholderText(_("separated by commas, e.g. vip, nut allergy"))
        form.addRow(_("Notes"), self.notes_input)
        form.addRow(_("Tags"), self.tags_input)

    def _save_notes(self) -> None:
        self.shop.notes.save(self.customer_id, self.notes_input.text(), self.tags_input.text())

    def _row(self, edit: QLineEdit, *buttons: tuple[str, str, Any]) -> QWidget:
        w = QWidget()
        h = QHBoxLayout(w)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(edit, 1)
        for text, tip, slot in buttons:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            h.addWidget(b)
        return w

    def _refresh(self) -> None:
        phones = self.shop.customers.phones(self.customer_id)
        cards = self.shop.customers.cards(self.customer_id)
        region = self.shop.ctx.region
        self.phones_label.setText(", ".join(display_phone(p, region) for p in phones) + (_("   cards: ") + ", ".join(
            f"{c.number}{_(' (lost)') if c.status == 'lost' else ''}" for c in cards) if cards else ""))

    def _try(self, action: Any, done: str) -> bool:
        try:
            action()
        except LoyaltyError as exc:
            self.message.setStyleSheet(error_style())
            self.message.setText(str(exc))
            return False
        self.message.setStyleSheet("")
        self.message.setText(done)
        self._refresh()
        return True

    def _on_add_phone(self) -> None:
        self._try(lambda: self.shop.customers.add_phone(self.customer_id, self.phone_input.text()), _("Phone added."))

    def _on_remove_phone(self) -> None:
        self._try(lambda: self.shop.customers.remove_phone(self.customer_id, self.phone_input.text()),
                  _("Phone removed."))

    def _on_attach_card(self) -> None:
        self._try(lambda: self.shop.customers.attach_card(self.customer_id, self.card_input.text()), _("Card attached."))

    def _on_issue_card(self) -> None:
        self._try(lambda: self.card_input.setText(self.shop.customers.attach_card(self.customer_id)),
                  _("New card number issued."))

    def _on_card_lost(self) -> None:
        self._try(lambda: self.shop.customers.report_card_lost(self.card_input.text()), _("Card reported lost."))

    def _on_merge(self) -> None:
        def merge() -> None:
            owner = self.shop.staff.verify_owner(self.owner_pin.text())
            dup = self.shop.lookup.find_one(self.merge_input.text())
            self.shop.customers.merge(self.customer_id, dup.id, actor=owner)
        self._try(merge, _("Merged: phones, cards, history and points moved here."))
        self.owner_pin.clear()

    def _on_adjust(self) -> None:
        def adjust() -> None:
            owner = self.shop.staff.verify_owner(self.owner_pin.text())
            self.shop.points.adjust(self.customer_id, self.adjust_spin.value(), self.adjust_reason.text(),
                                    actor=owner)
        if self._try(adjust, _("Points changed by {points}.").format(points=("+" if self.adjust_spin.value() > 0 else "")
                                                                            + format_number(self.adjust_spin.value()))):
            self.adjust_spin.setValue(0)
            self.adjust_reason.clear()
        self.owner_pin.clear()

    def _on_save(self) -> None:
        def save() -> None:
            self.shop.customers.edit(self.customer_id, name=self.name_input.text(), email=self.email_input.text())
            self.shop.customers.set_consent(self.customer_id, self.consent.answers(), "counter")

        def save_all() -> None:
            with self.shop.ctx.write():  # a refused tag or email saves nothing of the form
                save()
                self._save_notes()
        if self._try(save_all, _("Saved.")):
            self.accept()
