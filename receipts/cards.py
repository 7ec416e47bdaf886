"""Loyalty cards as PDF: one credit-card-size card (85.6 × 54 mm), or sheets of ten on A4 or Letter."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas

CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 5
GREEN = colors.HexColor("#2f6f4e")


@dataclass(frozen=True)
class CardFace:
    shop_name: str
    customer_name: str
    card_number: str  # 13 digits (EAN-13)
    caption: str = "Loyalty card"
    hint: str = "Show this card at the till to collect and spend your points."
    member: str = "Loyalty member"  # printed when the customer gave no name


def _fit(c: pdfcanvas.Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits in ``width``."""
    while size > 6 and c.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw_card(c: pdfcanvas.Canvas, card: CardFace, x: float, y: float, border: bool) -> None:
    if border:
        c.setStrokeColor(colors.HexColor("#b0b7bf"))
        c.setLineWidth(0.4)
        c.setDash(2, 2)
        c.roundRect(x, y, CARD_W, CARD_H, 3 * mm, stroke=1, fill=0)
        c.setDash()
    # A coloured band with the shop's name across the top.
    c.setFillColor(GREEN)
    c.rect(x, y + CARD_H - 14 * mm, CARD_W, 14 * mm, stroke=0, fill=1)
    c.setFillColor(colors.white)
    name_size = _fit(c, card.shop_name, "Helvetica-Bold", 14, CARD_W - 10 * mm)
    c.setFont("Helvetica-Bold", name_size)
    c.drawString(x + 5 * mm, y + CARD_H - 9.5 * mm, card.shop_name)
    c.setFont("Helvetica", 7)
    c.drawRightString(x + CARD_W - 5 * mm, y + CARD_H - 12.5 * mm, card.caption)
    c.setFillColor(colors.HexColor("#1f2933"))
    who = card.customer_name or card.member
    c.setFont("Helvetica-Bold", _fit(c, who, "Helvetica-Bold", 11, CARD_W - 10 * mm))
    c.drawString(x + 5 * mm, y + CARD_H - 20 * mm, who)
    c.setFont("Helvetica", 6.5)
    c.setFillColor(colors.HexColor("#616e7c"))
    c.drawString(x + 5 * mm, y + CARD_H - 24.5 * mm, card.hint)
    # EAN-13 with its digits underneath; the quiet zone left and right is kept clear for scanners.
    bar = createBarcodeDrawing("EAN13", value=card.card_number[:12], barHeight=16 * mm, barWidth=0.33 * mm,
                               humanReadable=True, fontSize=8, quiet=True)
    bx = x + (CARD_W - bar.width) / 2
    renderPDF.draw(bar, c, bx, y + 4 * mm)


def card_pdf(card: CardFace) -> bytes:
    """One card on a page of its own size (for card printers)."""
    buf = io.BytesIO()
    c = pdfcanvas.Canvas(buf, pagesize=(CARD_W, CARD_H))
    c.setTitle(f"Loyalty card {card.card_number}")
    c.setAuthor(card.shop_name)
    _draw_card(c, card, 0, 0, border=False)
    c.showPage()
    c.save()
    return buf.getvalue()


def card_sheet_pdf(cards: list[CardFace], page_size: str = "A4") -> bytes:
    """Ten cards a page (two columns of five) with dashed cut lines, centred on A4 or Letter."""
    size = LETTER if page_size.lower() == "letter" else A4
    buf = io.BytesIO()
    c = pdfcanvas.Canvas(buf, pagesize=size)
    c.setTitle(f"Loyalty cards ({len(cards)})")
    left = (size[0] - COLUMNS * CARD_W) / 2
    bottom = (size[1] - ROWS * CARD_H) / 2
    per_page = COLUMNS * ROWS
    for i, card in enumerate(cards):
        slot = i % per_page
        if i and slot == 0:
            c.showPage()
        col, row = slot % COLUMNS, slot // COLUMNS
        _draw_card(c, card, left + col * CARD_W, bottom + (ROWS - 1 - row) * CARD_H, border=True)
    c.showPage()
    c.save()
    return buf.getvalue()
