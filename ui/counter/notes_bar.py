"""The loaded customer's tags and notes at the counter: shown with the profile, changed in place, Enter saves."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from loyalty_app.counter_view import CounterView
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from ui.theme import error_style


class NotesBar(QWidget):
    sig_saved = Signal(int)
    """This customer's notes or tags were saved here."""

    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop
        self.customer_id: int | None = None
        self.tags_input = QLineEdit()
        self.tags_input.setAccessibleName("tags")
        self.tags_input.setPlaceholderText(_("Tags, e.g. vip, nut allergy"))
        self.tags_input.setToolTip(_("Tags separated by commas; Enter saves"))
        self.notes_input = QLineEdit()
        self.notes_input.setAccessibleName("notes")
        self.notes_input.setPlaceholderText(_("Notes for the counter, e.g. prefers the unfiltered oil"))
        self.notes_input.setToolTip(_("What the next cashier should know; Enter saves"))
        self.message = QLabel("")
        self.message.setAccessibleName("notes message")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(_("Tags")))
        row.addWidget(self.tags_input, 2)
        row.addWidget(QLabel(_("Notes")))
        row.addWidget(self.notes_input, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.tags_input.returnPressed.connect(self.save)
        self.notes_input.returnPressed.connect(self.save)
        self.clear()

    def clear(self) -> None:
        self.customer_id = None
        for edit in (self.tags_input, self.notes_input):
            edit.clear()
            edit.setEnabled(False)
        self._say("")

    def show_view(self, view: CounterView) -> None:
        if view.customer_id != self.customer_id:
            self._say("")
        self.customer_id = view.customer_id
        self.tags_input.setText(view.tags)
        self.notes_input.setText(view.notes)
        for edit in (self.tags_input, self.notes_input):
            edit.setEnabled(True)
            edit.setCursorPosition(0)

    def save(self) -> bool:
        """Save both fields as typed (tags cleaned and de-duplicated); a refusal says why and saves nothing."""
        if self.customer_id is None:
            return False
        try:
            notes, tags = self.shop.notes.save(self.customer_id, self.notes_input.text(), self.tags_input.text())
        except LoyaltyError as exc:
            self._say(str(exc), error=True)
            return False
        self.tags_input.setText(", ".join(tags))
        self.notes_input.setText(notes or "")
        self._say(_("Notes and tags saved."))
        self.sig_saved.emit(self.customer_id)
        return True

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(error_style() if error else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))
