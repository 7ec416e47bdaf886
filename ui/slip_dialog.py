"""The slip after a sale: preview, print through the system printer dialog, or save the PDF."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QImage, QKeyEvent, QPainter, QPixmap, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from loyalty_app.slips import PAPERS, card_barcode_png, slip_for, slip_note, slip_pdf, slip_text


class SlipDialog(QDialog):
    sig_next_customer = Signal(str)
    """Someone typed or scanned while the slip showed (the first character): the next lookup has begun."""

    def __init__(self, shop: Shop, purchase_id: int, note: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The refill/suggestion line is worked out once; every paper size then prints the same slip.
        if note is None:
            bought = shop.sales.purchase(purchase_id)
            note = slip_note(shop, bought.customer_id, {ln.sku for ln in bought.lines})
        self.note = note
        self.shop, self.purchase_id = shop, purchase_id
        self.setWindowTitle(_('Slip #{purchase_id}').format(purchase_id=purchase_id))
        self.preview = QPlainTextEdit(slip_text(shop, purchase_id, self.note))
        self.preview.setReadOnly(True)
        self.preview.setFont(QFont("Monospace"))
        self.preview.setAccessibleName("slip preview")
        self.barcode = QLabel()
        card = slip_for(shop, purchase_id, self.note).card_number
        self.barcode_image = QImage.fromData(card_barcode_png(card)) if card else None
        if self.barcode_image is not None:
            self.barcode.setPixmap(QPixmap.fromImage(self.barcode_image).scaledToWidth(260))
        self.paper = QComboBox()
        self.paper.addItems(list(PAPERS))
        self.paper.setAccessibleName("paper")
        self.paper.setToolTip(_("Paper for Save PDF: 80 mm or 58 mm roll, A4 or Letter"))
        print_button = QPushButton(_("Print… (Ctrl+P)"))
        print_button.setShortcut("Ctrl+P")
        print_button.setToolTip(_("Print the slip on a printer you pick (Enter or Ctrl+P)"))
        print_button.setDefault(True)
        self.print_button = print_button
        print_button.clicked.connect(lambda: self.print_slip())
        save_button = QPushButton(_("Save PDF… (Ctrl+S)"))
        save_button.setShortcut("Ctrl+S")
        save_button.setToolTip(_("Save the slip as a PDF for the chosen paper (Ctrl+S)"))
        save_button.clicked.connect(self._on_save_clicked)
        close = QPushButton(_("Close (Esc)"))
        close.setToolTip(_("Close the slip; the counter is ready for the next customer (Esc)"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for w in (self.paper, print_button, save_button, close):
            buttons.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.barcode)
        layout.addLayout(buttons)
        self.resize(420, 560)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        # The next customer's card scanned while the slip shows is a lookup; it must not end on Enter = Print.
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            self.reject()
            self.sig_next_customer.emit(text)
            return
        super().keyPressEvent(event)

    def pdf_bytes(self) -> bytes:
        return slip_pdf(self.shop, self.purchase_id, self.paper.currentText(), self.note)

    def save_to(self, path: str) -> None:
        with open(path, "wb") as fh:
            fh.write(self.pdf_bytes())

    def _on_save_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save slip"), _('slip-{purchase_id}.pdf').format(purchase_id=self.purchase_id), _("PDF (*.pdf)"))
        if path:
            self.save_to(path)

    def print_slip(self, printer: QPrinter | None = None) -> None:
        """Print the text slip and the card barcode on the chosen printer (the printer is faked in tests)."""
        if printer is None:
            printer = QPrinter()
            if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
                return
        doc = QTextDocument()
        doc.setDefaultFont(QFont("Monospace", 9))
        doc.setPlainText(self.preview.toPlainText())
        painter = QPainter(printer)
        doc.drawContents(painter)
        if self.barcode_image is not None:
            y = int(doc.size().height()) + 10
            painter.drawImage(0, y, self.barcode_image.scaledToWidth(240))
        painter.end()
