"""The owner's words for an email: subject, message, an optional picture and an optional A/B variant."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.mail import drafts
from loyalty_app.mail.drafts import Picture, Wording
from ui.quiet import quiet


class WordingEditor(QWidget):
    sig_changed = Signal()
    """The owner changed the subject, the message, the picture or the A/B split."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture: Picture | None = None
        self.subject_input = QLineEdit()
        self.subject_input.setAccessibleName("subject")
        self.subject_input.setPlaceholderText(_("Subject"))
        self.message_input = QPlainTextEdit()
        self.message_input.setAccessibleName("message")
        self.message_input.setPlaceholderText(_("Your message (a blank line starts a new paragraph)"))
        self.message_input.setMinimumHeight(140)
        self.message_input.setMaximumHeight(260)
        self.picture_button = QPushButton(_("Picture…"))
        self.picture_button.setAccessibleName("choose a picture of the product")
        self.clear_picture_button = QPushButton(_("No picture"))
        self.picture_label = QLabel(_("No picture"))
        self.split_box = QCheckBox(_("A/B split: a second subject or message for half the recipients, at random"))
        self.subject_b_input = QLineEdit()
        self.subject_b_input.setAccessibleName("subject of variant B")
        self.subject_b_input.setPlaceholderText(_("Variant B's subject (empty: the same as A)"))
        self.message_b_input = QPlainTextEdit()
        self.message_b_input.setAccessibleName("message of variant B")
        self.message_b_input.setPlaceholderText(_("Variant B's message (empty: the same as A)"))
        self.message_b_input.setMaximumHeight(140)
        self.problem_label = QLabel("")
        self.problem_label.setWordWrap(True)
        self.problem_label.setAccessibleName("what needs fixing before sending")

        form = QFormLayout()
        form.addRow(_("Subject"), self.subject_input)
        form.addRow(_("Message"), self.message_input)
        pic = QHBoxLayout()
        pic.addWidget(self.picture_label, 1)
        pic.addWidget(self.picture_button)
        pic.addWidget(self.clear_picture_button)
        form.addRow(_("Picture"), pic)
        self.variant_b = QWidget()
        fb = QFormLayout(self.variant_b)
        fb.setContentsMargins(0, 0, 0, 0)
        fb.addRow(_("B: subject"), self.subject_b_input)
        fb.addRow(_("B: message"), self.message_b_input)
        self.variant_b.setVisible(False)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addLayout(form)
        v.addWidget(self.split_box)
        v.addWidget(self.variant_b)
        v.addWidget(self.problem_label)

        for line in (self.subject_input, self.subject_b_input):
            line.textChanged.connect(self._on_text_changed)
        for box in (self.message_input, self.message_b_input):
            box.textChanged.connect(self._on_text_changed)
        self.split_box.toggled.connect(self._on_split_box_toggled)
        self.picture_button.clicked.connect(self._on_picture_button_clicked)
        self.clear_picture_button.clicked.connect(self._on_clear_picture_button_clicked)
        self._show_picture()

    def wording(self) -> Wording:
        """What the owner wrote, as it stands (variant B only while the split is ticked)."""
        split = self.split_box.isChecked()
        return Wording(self.subject_input.text(), self.message_input.toPlainText(),
                       self.subject_b_input.text() if split else "",
                       self.message_b_input.toPlainText() if split else "", self.picture)

    def set_wording(self, wording: Wording) -> None:
        """Show a kept draft (no sig_changed: nothing was edited)."""
        with quiet(self.subject_input, self.message_input, self.subject_b_input, self.message_b_input,
                   self.split_box):
            self.subject_input.setText(wording.subject)
            self.message_input.setPlainText(wording.message)
            self.subject_b_input.setText(wording.subject_b)
            self.message_b_input.setPlainText(wording.message_b)
            self.split_box.setChecked(wording.split)
            self.variant_b.setVisible(wording.split)
        self.picture = wording.picture
        self._show_picture()
        self.check()

    def choose_picture(self, path: str | Path) -> bool:
        """Take the picture at ``path``; a non-image or huge file is refused with one line, the old one kept."""
        try:
            self.picture = drafts.read_picture(path)
        except LoyaltyError as exc:
            self.problem_label.setText(str(exc))
            return False
        self._show_picture()
        self._changed()
        return True

    def choose_picture_bytes(self, name: str, data: bytes) -> bool:
        """Take a picture the owner pasted or dropped (same checks as a file)."""
        try:
            self.picture = drafts.picture_from_bytes(name, data)
        except LoyaltyError as exc:
            self.problem_label.setText(str(exc))
            return False
        self._show_picture()
        self._changed()
        return True

    def clear_picture(self) -> None:
        self.picture = None
        self._show_picture()
        self._changed()

    def check(self) -> str:
        """What must change before this can be sent ('' when it is fine), also shown under the fields."""
        try:
            drafts.check(self.wording())
            problem = ""
        except LoyaltyError as exc:
            problem = str(exc)
        self.problem_label.setText(problem)
        return problem

    def _show_picture(self) -> None:
        p = self.picture
        self.picture_label.setText(_("No picture") if p is None else f"{p.name} ({max(1, len(p.data) // 1024)} KB)")
        self.clear_picture_button.setEnabled(p is not None)

    def _changed(self) -> None:
        self.check()
        self.sig_changed.emit()

    def _on_text_changed(self, *_: object) -> None:
        self._changed()

    def _on_split_box_toggled(self, on: bool) -> None:
        self.variant_b.setVisible(on)
        self._changed()

    def _on_picture_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("A picture of the product"), "",
                                                    _("Pictures (*.png *.jpg *.jpeg *.gif *.webp)"))
        if path:
            self.choose_picture(path)

    def _on_clear_picture_button_clicked(self) -> None:
        self.clear_picture()
