"""The three email consent checkboxes (new products, refill reminders, news), each with who recorded it and when."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

from loyalty_app.consent_types import CONSENT_TYPES, ConsentRecord, EmailConsent
from loyalty_app.i18n import N_, _

CONSENT_TEXT = N_("Yes, {shop} may email me about (each is optional; I can unsubscribe at any time):")
BOX_TEXT = {"announcements": N_("new products"), "refills": N_("refill reminders when my favourites are due"),
            "news": N_("news: a welcome, and a note when we have not seen me for a while")}


class ConsentBoxes(QWidget):
    """One unticked box per type of email; ``answers()`` is what the customer agreed to."""

    def __init__(self, shop_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(_(CONSENT_TEXT).format(shop=shop_name))
        intro.setWordWrap(True)
        grid.addWidget(intro, 0, 0, 1, 2)
        self.boxes: dict[str, QCheckBox] = {}
        self.recorded: dict[str, QLabel] = {}
        for row, t in enumerate(CONSENT_TYPES, start=1):
            box = QCheckBox(_(BOX_TEXT[t]))
            box.setAccessibleName(f"email consent: {t}")
            note = QLabel("")
            note.setAccessibleName(f"{t} consent recorded")
            grid.addWidget(box, row, 0)
            grid.addWidget(note, row, 1)
            self.boxes[t], self.recorded[t] = box, note

    def answers(self) -> dict[str, bool]:
        return {t: box.isChecked() for t, box in self.boxes.items()}

    def show_consent(self, consent: EmailConsent, records: dict[str, ConsentRecord]) -> None:
        """Tick what the customer agreed to and say who recorded each answer, and when."""
        for t, box in self.boxes.items():
            box.setChecked(consent.granted(t))
            r = records.get(t)
            self.recorded[t].setText(r.describe() if r else _("never asked"))
