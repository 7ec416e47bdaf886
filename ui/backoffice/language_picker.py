"""The shop's language in the back office: a list of the shipped languages, saved as soon as one is picked."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from loyalty_app.context import Staff
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import LANGUAGES, _
from loyalty_app.shop import Shop


class LanguagePicker(QWidget):
    """Language: [Deutsch ▾] — slips, cards, reports and emails switch at once, the window at its next start."""

    def __init__(self, shop: Shop, owner: Staff) -> None:
        super().__init__()
        self.shop, self.owner = shop, owner
        self.combo = QComboBox()
        self.combo.setAccessibleName("language")
        for code, name in LANGUAGES.items():
            self.combo.addItem(name, code)
        self.combo.setCurrentIndex(self.combo.findData(shop.ctx.language))
        self.message = QLabel("")
        self.message.setAccessibleName("language message")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Language")))
        layout.addWidget(self.combo)
        layout.addWidget(self.message)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)

    def choose(self, code: str) -> None:
        """Pick a language as the owner would in the list."""
        self.combo.setCurrentIndex(self.combo.findData(code))

    def _on_combo_changed(self) -> None:
        try:
            self.shop.set_language(str(self.combo.currentData()), actor=self.owner)
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(_("Saved: slips, cards, reports and emails now; the window from its next start."))
