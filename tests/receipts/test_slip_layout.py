"""The slip's layout as drawn: the rule under the lines clears the last line's descenders (issue 21)."""

from __future__ import annotations

import io

from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen import canvas

from receipts.slip import WIDTHS, Slip, SlipLine, _draw


class RecordingCanvas(canvas.Canvas):
    """A real canvas that also remembers where each string's baseline and each rule went."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), pagesize=(WIDTHS["80mm"], 1000))
        self.baselines: dict[str, float] = {}
        self.rules: list[float] = []

    def drawString(self, x, y, text, *args, **kwargs):  # noqa: N802 - reportlab's name
        self.baselines[text] = y
        return super().drawString(x, y, text, *args, **kwargs)

    def line(self, x1, y1, x2, y2):
        self.rules.append(y1)
        return super().line(x1, y1, x2, y2)


def test_the_rule_under_the_lines_clears_the_descenders() -> None:
    slip = Slip(shop_name="Olive & Vine", store="", when="03.12.2026 09:40", number="7",
                lines=[SlipLine("Arbequina 500 ml", 1, "27,00 €")], totals=[("Summe", "27,00 €")])
    c = RecordingCanvas()
    size = 9
    _draw(c, slip, WIDTHS["80mm"], 1000, 11, size, True)
    baseline = c.baselines["1 × Arbequina 500 ml"]
    descent = -getFont("Helvetica").face.descent / 1000 * size  # how far g, p and q reach below the baseline
    assert c.rules and c.rules[0] < baseline - descent - 1  # at least a point of white between them
    assert c.rules[0] > c.baselines["Summe"] + size  # and above the totals' capitals


class FontCanvas(RecordingCanvas):
    """Also remembers the font each string was drawn in."""

    def __init__(self) -> None:
        super().__init__()
        self.fonts: dict[str, str] = {}

    def drawString(self, x, y, text, *args, **kwargs):  # noqa: N802 - reportlab's name
        self.fonts[text] = self._fontname
        return super().drawString(x, y, text, *args, **kwargs)

    def drawRightString(self, x, y, text, *args, **kwargs):  # noqa: N802 - reportlab's name
        self.fonts[text] = self._fontname
        return super().drawRightString(x, y, text, *args, **kwargs)


def test_the_total_stays_bold_when_a_refund_is_printed_below_it() -> None:
    slip = Slip(shop_name="Olive & Vine", store="", when="03.12.2026 09:40", number="7",
                lines=[SlipLine("Arbequina 500 ml", 1, "27,00 €")],
                totals=[("Summe", "27,00 €"), ("Erstattet", "-8,50 €")], total_label="Summe")
    c = FontCanvas()
    _draw(c, slip, WIDTHS["80mm"], 1000, 11, 9, True)
    assert c.fonts["Summe"] == "Helvetica-Bold" and c.fonts["Erstattet"] == "Helvetica"
