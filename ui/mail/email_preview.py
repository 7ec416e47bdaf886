"""An email exactly as a customer gets it: the subject line, the HTML part (with its inline picture) and the
plain-text part."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from loyalty_app.i18n import _
from loyalty_app.mail.campaigns import Preview
from loyalty_app.mail.compose import PICTURE_CID


class EmailPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subject_line = QLineEdit()
        self.subject_line.setReadOnly(True)
        self.subject_line.setAccessibleName("preview: to and subject")
        self.preview_html = QTextBrowser()
        self.preview_html.setAccessibleName("preview: the email as HTML")
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        self.preview_text.setAccessibleName("preview: the email as plain text")
        self.parts = QTabWidget()
        self.parts.addTab(self.preview_html, _("HTML"))
        self.parts.addTab(self.preview_text, _("Plain text"))
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.subject_line)
        v.addWidget(self.parts, 1)

    def show_email(self, mail: Preview | None) -> None:
        """Show ``mail`` (None: nothing to show)."""
        if mail is None:
            self.subject_line.clear()
            self.preview_html.clear()
            self.preview_text.clear()
            return
        to = f"{mail.to_name} <{mail.to}>" if mail.to_name else (mail.to or _("a customer"))
        self.subject_line.setText(_("To {to}: {subject}").format(to=to, subject=mail.subject))
        self.subject_line.setCursorPosition(0)  # the start (who it is to) in view, not the end
        scroll = self.preview_text.verticalScrollBar().value()
        if mail.picture is not None:  # the HTML's cid: link, answered from the picture itself
            self.preview_html.document().addResource(QTextDocument.ResourceType.ImageResource,
                                                     QUrl(f"cid:{PICTURE_CID}"), QImage.fromData(mail.picture.data))
        self.preview_html.setHtml(mail.html)
        self.preview_text.setPlainText(mail.text)
        self.preview_text.verticalScrollBar().setValue(scroll)
