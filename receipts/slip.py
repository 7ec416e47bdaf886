"""The sale slip as a PDF: 80 mm and 58 mm till rolls, A4 and Letter. Knows nothing of the shop."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

WIDTHS = {"80mm": 80 * mm, "58mm": 58 * mm, "A4": A4[0], "Letter": LETTER[0]}


@dataclass(frozen=True)
class SlipLine:
    name: str
    qty: int
    amount: str  # already formatted money, e.g. "$29.00"


@dataclass(frozen=True)
class Slip:
    shop_name: str
    store: str
    when: str
    number: str
    lines: list[SlipLine]
    totals: list[tuple[str, str]]  # ("Subtotal", "$41.00"), ("Points discount", "-$5.00"), ("Total", "$36.00")
    points: list[tuple[str, str]] = field(default_factory=list)  # ("Earned", "36"), ("New balance", "120")
    customer: str | None = None
    card_number: str | None = None  # 13-digit EAN card number, drawn as a barcode
    note: str | None = None  # one refill or suggestion line
    footer: str = "Thank you!"
    points_title: str = "Points"  # the heading of the points lines, in the shop's language
    title: str = ""  # the PDF's title; "" reads "<shop> — slip <number>"
    total_label: str = ""  # the totals row printed bold; "" is the last one


def render_slip(slip: Slip, paper: str = "80mm") -> bytes:
    """The slip as PDF bytes on ``paper`` (80mm, 58mm, A4 or Letter)."""
    if paper not in WIDTHS:
        raise ValueError(f"unknown paper {paper}; use one of {', '.join(WIDTHS)}")
    roll = paper.endswith("mm")
    width = WIDTHS[paper]
    margin = 4 * mm if roll else 20 * mm
    size = 8 if paper == "58mm" else 9
    if roll:  # a roll is cut where the slip ends: draw once to measure, then at the exact length
        used = _draw(canvas.Canvas(io.BytesIO(), pagesize=(width, 2000 * mm)), slip, width, 2000 * mm, margin,
                     size, roll)
        height = used + 2 * margin
    else:
        height = A4[1] if paper == "A4" else LETTER[1]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    _draw(c, slip, width, height, margin, size, roll)
    c.showPage()
    c.save()
    return buf.getvalue()


def _draw(c: canvas.Canvas, slip: Slip, width: float, height: float, margin: float, size: int,
          roll: bool) -> float:
    """Draw the slip from the top; returns the height used."""
    lead = size * 1.35
    c.setTitle(slip.title or f"{slip.shop_name} — slip {slip.number}")
    y = height - margin - size
    inner = width - 2 * margin

    def text(s: str, bold: bool = False, align: str = "left", big: bool = False) -> None:
        nonlocal y
        font, fsize = ("Helvetica-Bold" if bold else "Helvetica"), (size + 3 if big else size)
        c.setFont(font, fsize)
        for part in _wrap(c, s, font, fsize, inner):
            if align == "center":
                c.drawCentredString(width / 2, y, part)
            else:
                c.drawString(margin, y, part)
            y -= lead

    def pair(left: str, right: str, bold: bool = False) -> None:
        nonlocal y
        font = "Helvetica-Bold" if bold else "Helvetica"
        c.setFont(font, size)
        right_w = c.stringWidth(right, font, size)
        for i, part in enumerate(_wrap(c, left, font, size, inner - right_w - 3 * mm)):
            c.drawString(margin, y, part)
            if i == 0:
                c.drawRightString(width - margin, y, right)
            y -= lead

    text(slip.shop_name, bold=True, align="center", big=True)
    if slip.store:
        text(slip.store, align="center")
    text(f"{slip.when}   #{slip.number}", align="center")
    if slip.customer:
        text(slip.customer, align="center")
    y -= lead / 2
    for line in slip.lines:
        pair(f"{line.qty} × {line.name}", line.amount)
    rule = y + lead - size * 0.4  # below the last line's descenders (g, p, q), not through them
    c.line(margin, rule, width - margin, rule)
    y -= 3
    for label, value in slip.totals:
        pair(label, value, bold=label == (slip.total_label or slip.totals[-1][0]))
    if slip.points:
        y -= lead / 2
        text(slip.points_title, bold=True)
        for label, value in slip.points:
            pair(label, value)
    if slip.note:
        y -= lead / 2
        text(slip.note, align="center")
    if slip.card_number and slip.card_number.isdigit() and len(slip.card_number) == 13:
        bar = createBarcodeDrawing("EAN13", value=slip.card_number[:12], barHeight=14 * mm,
                                   barWidth=0.33 * mm if roll else 0.4 * mm, humanReadable=True)
        renderPDF.draw(bar, c, (width - bar.width) / 2, y - bar.height)
        y -= bar.height + lead
    text(slip.footer, align="center")
    return height - y - lead


def _wrap(c: canvas.Canvas, s: str, font: str, size: float, width: float) -> list[str]:
    words, lines, current = s.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if c.stringWidth(trial, font, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    return [*lines, current] if current or not lines else lines
