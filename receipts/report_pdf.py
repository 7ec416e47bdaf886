"""Owner reports as PDF: title, shop, period, headline figures, charts and tables, 'Page 1 of 3' on each page."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from receipts.charts import PdfChart, chart_drawing

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#2f6f4e")
STRIPE = colors.HexColor("#f2f5f3")


@dataclass(frozen=True)
class PdfTable:
    title: str
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # right-align these columns
    empty_text: str = "Nothing to show."


@dataclass(frozen=True)
class PdfReport:
    title: str
    shop_name: str
    period: str
    store: str
    generated: str
    figures: list[tuple[str, str]]
    tables: list[PdfTable]
    charts: list[PdfChart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    page_size: str = "A4"  # A4 | Letter
    page_label: str = "Page {page} of {total}"  # the footer's page numbers, in the shop's language
    printed_label: str = "printed {when}"


class _NumberedCanvas(pdfcanvas.Canvas):
    """Keeps every page until the end so each footer can say 'Page n of N'."""

    def __init__(self, *args: Any, footer_left: str = "", page_label: str = "Page {page} of {total}",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._footer_left = footer_left
        self._page_label = page_label

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        width, _ = self._pagesize
        self.setFont("Helvetica", 8)
        self.setFillColor(MUTED)
        self.drawString(18 * mm, 10 * mm, self._footer_left)
        self.drawRightString(width - 18 * mm, 10 * mm, self._page_label.format(page=self._pageNumber, total=total))


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], alignment=0, fontSize=20, leading=24, textColor=INK,
                                spaceAfter=2),
        "sub": ParagraphStyle("s", parent=base["Normal"], fontSize=10, leading=13, textColor=MUTED),
        "h2": ParagraphStyle("h", parent=base["Heading2"], fontSize=13, leading=16, textColor=ACCENT,
                             spaceBefore=10, spaceAfter=4),
        "cell": ParagraphStyle("c", parent=base["Normal"], fontSize=8.5, leading=10.5, textColor=INK),
        "note": ParagraphStyle("n", parent=base["Normal"], fontSize=8, leading=10, textColor=MUTED),
        "fig_label": ParagraphStyle("fl", parent=base["Normal"], fontSize=8, leading=10, textColor=MUTED),
        "fig_value": ParagraphStyle("fv", parent=base["Normal"], fontName="Helvetica-Bold", fontSize=14,
                                    leading=17, textColor=INK),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _figures(figs: list[tuple[str, str]], width: float, st: dict[str, ParagraphStyle]) -> Table:
    per_row = (len(figs) if len(figs) <= 5 else (len(figs) + 1) // 2) or 1
    cells: list[Any] = [[Paragraph(_esc(v), st["fig_value"]), Paragraph(_esc(label), st["fig_label"])]
                        for label, v in figs]
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [[]] * (per_row - len(rows[-1]))
    t = Table(rows, colWidths=[width / per_row] * per_row)
    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#d0d7de")),
                           ("BACKGROUND", (0, 0), (-1, -1), STRIPE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return t


def _widths(t: PdfTable, width: float) -> list[float]:
    """Each column as wide as its longest entry (headers may wrap at spaces); spare width goes to text columns,
    and when the table is too wide the text columns with spaces give way (they wrap; codes and numbers never do)."""
    pad = 14.0

    def w(text: str, font: str = "Helvetica") -> float:
        return float(stringWidth(text, font, 8.5))
    need = []
    for i, head in enumerate(t.headers):
        body = max((w(r[i]) for r in t.rows), default=0.0)
        # A header may wrap, but not word by word when a little more width keeps it on one or two lines.
        words = max(w(word, "Helvetica-Bold") for word in head.split() or [""])
        head_w = max(words, min(w(head, "Helvetica-Bold"), 20 * mm))
        need.append(max(body, head_w) + pad)
    text_cols = [i for i, num in enumerate(t.numeric) if not num]
    spare = width - sum(need)
    if not text_cols:
        return [n + spare / len(need) for n in need] if spare > 0 else need
    text_need = sum(need[i] for i in text_cols)
    if spare >= 0:
        return [n + (spare * n / text_need if i in text_cols else 0) for i, n in enumerate(need)]
    # Only text that breaks at spaces gives way (a SKU cut in two is misread), unless that cannot make the table
    # fit the page: then every text column does.
    spaced = [i for i in text_cols if any(" " in r[i].strip() for r in t.rows)]
    fits = width - (sum(need) - sum(need[i] for i in spaced)) >= 20 * mm * len(spaced)
    give = spaced if spaced and fits else text_cols
    give_need = sum(need[i] for i in give)
    room = max(width - (sum(need) - give_need), 20 * mm * len(give))
    return [n * room / give_need if i in give else n for i, n in enumerate(need)]


def _table(t: PdfTable, width: float, st: dict[str, ParagraphStyle]) -> Table | Paragraph:
    if not t.rows:
        return Paragraph(_esc(t.empty_text), st["sub"])
    widths = _widths(t, width)
    right = ParagraphStyle("r", parent=st["cell"], alignment=2)
    head = ParagraphStyle("hd", parent=st["cell"], fontName="Helvetica-Bold", textColor=colors.white)
    head_r = ParagraphStyle("hdr", parent=head, alignment=2)
    data = [[Paragraph(_esc(h), head_r if num else head) for h, num in zip(t.headers, t.numeric, strict=True)]]
    for row in t.rows:
        data.append([Paragraph(_esc(v), right if num else st["cell"]) for v, num in zip(row, t.numeric, strict=True)])
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [("BACKGROUND", (0, 0), (-1, 0), ACCENT), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.HexColor("#d0d7de")),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    style += [("BACKGROUND", (0, i), (-1, i), STRIPE) for i in range(2, len(data), 2)]
    table.setStyle(TableStyle(style))
    return table


def report_pdf(report: PdfReport) -> bytes:
    """The report as PDF bytes."""
    buf = io.BytesIO()
    size = LETTER if report.page_size.lower() == "letter" else A4
    doc = SimpleDocTemplate(buf, pagesize=size, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"{report.title} — {report.shop_name}",
                            author=report.shop_name, subject=report.period)
    st = _styles()
    width = size[0] - 36 * mm
    story: list[Any] = [
        Paragraph(_esc(report.title), st["title"]),
        Paragraph(f"<b>{_esc(report.shop_name)}</b> · {_esc(report.store)} · {_esc(report.period)}", st["sub"]),
        Spacer(1, 6 * mm),
    ]
    if report.figures:
        story += [_figures(report.figures, width, st), Spacer(1, 4 * mm)]
    for chart in report.charts:
        story.append(KeepTogether([Paragraph(_esc(chart.title), st["h2"]), chart_drawing(chart, width)]))
    for t in report.tables:
        story += [CondPageBreak(40 * mm), Paragraph(_esc(t.title), st["h2"]), _table(t, width, st)]
    if report.notes:
        story.append(Spacer(1, 5 * mm))
        story += [Paragraph(_esc(n), st["note"]) for n in report.notes]
    printed = report.printed_label.format(when=report.generated)
    footer = f"{report.shop_name} · {report.title} · {report.period} · {printed}"

    def make_canvas(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, footer_left=footer, page_label=report.page_label, **kwargs)

    doc.build(story, canvasmaker=make_canvas)
    return buf.getvalue()
