"""Report charts drawn with reportlab's own graphics: horizontal bars for products, columns and lines over time."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

PALETTE = [colors.HexColor(c) for c in ("#2f6f4e", "#d08c2a", "#5b7fb8", "#b8475b", "#7a6bb0")]


@dataclass(frozen=True)
class PdfChart:
    title: str
    kind: str  # hbar (one bar per named item) | bar (columns over time) | line
    categories: list[str]
    series: list[tuple[str, list[int]]]
    scale: int = 1  # axis values are divided by this (100 for cents)
    prefix: str = ""  # put before axis values, e.g. '$'
    stacked: bool = False  # series are parts of one whole: draw them on top of each other


def _axis_format(chart: PdfChart) -> object:
    def fmt(v: float) -> str:
        value = v / chart.scale
        return f"{chart.prefix}{value:,.0f}"
    return fmt


def _top(chart: PdfChart) -> int:
    most = max((v for _, vals in chart.series for v in vals), default=0)
    return max(most, 1)


def _nice_step(span: float) -> int:
    """A round step (1, 2, 5, 10, 20, 50, ...) giving at most six grid lines; at least 1."""
    base = 1
    while True:
        for m in (1, 2, 5):
            if span / (base * m) <= 6:
                return base * m
        base *= 10


def _legend(chart: PdfChart, x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontSize = 7
    legend.boxAnchor = "nw"
    legend.deltax = 60
    legend.dxTextSpace = 4
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], name) for i, (name, _) in enumerate(chart.series)]
    return legend


def _short(label: str, n: int = 42) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def chart_drawing(chart: PdfChart, width: float) -> Drawing:
    """A Drawing of ``width`` points; empty charts say so instead of drawing empty axes."""
    if not chart.categories:
        d = Drawing(width, 14 * mm)
        d.add(String(0, 5 * mm, "No data in this period.", fontSize=9, fillColor=colors.grey))
        return d
    multi = len(chart.series) > 1
    if chart.kind == "hbar":
        height = max(40 * mm, (len(chart.categories) * 6 + 16) * mm * 0.8)
        d = Drawing(width, height)
        c = HorizontalBarChart()
        c.x, c.y = 70 * mm, 8 * mm
        c.width, c.height = width - 74 * mm, height - (18 if multi else 12) * mm
        # Best first at the top: reportlab draws the first category at the bottom.
        c.data = [list(reversed(vals)) for _, vals in chart.series]
        c.categoryAxis.categoryNames = [_short(n) for n in reversed(chart.categories)]
        c.categoryAxis.labels.fontSize = 7
        c.categoryAxis.labels.boxAnchor = "e"
        c.categoryAxis.labels.dx = -3
        if multi and chart.stacked:
            c.categoryAxis.style = "stacked"
    else:
        height = 62 * mm
        d = Drawing(width, height)
        c = VerticalBarChart() if chart.kind == "bar" else HorizontalLineChart()
        c.x, c.y = 16 * mm, 12 * mm
        c.width, c.height = width - 20 * mm, height - (22 if multi else 16) * mm
        c.data = [list(vals) for _, vals in chart.series]
        step = max(1, len(chart.categories) // 12)  # at most about twelve labels under the axis
        c.categoryAxis.categoryNames = [n if i % step == 0 else "" for i, n in enumerate(chart.categories)]
        c.categoryAxis.labels.fontSize = 7
        c.categoryAxis.labels.angle = 30 if len(chart.categories) > 8 else 0
        c.categoryAxis.labels.boxAnchor = "ne" if len(chart.categories) > 8 else "n"
        if multi and chart.stacked and chart.kind == "bar":
            c.categoryAxis.style = "stacked"
    c.valueAxis.valueMin = 0
    top = _top(chart) if not (multi and chart.stacked) else max(
        (sum(col) for col in zip(*(v for _, v in chart.series), strict=True)), default=1)
    step = _nice_step(max(top, 1) * 1.1 / chart.scale) * chart.scale
    c.valueAxis.valueStep = step
    c.valueAxis.valueMax = step * (int(max(top, 1) * 1.1 // step) + 1)
    c.valueAxis.labels.fontSize = 7
    c.valueAxis.labelTextFormat = _axis_format(chart)
    c.valueAxis.visibleGrid = True
    c.valueAxis.gridStrokeColor = colors.HexColor("#e4e7eb")
    for i in range(len(chart.series)):
        if chart.kind == "line":
            c.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
            c.lines[i].strokeWidth = 1.5
        else:
            c.bars[i].fillColor = PALETTE[i % len(PALETTE)]
            c.bars[i].strokeColor = None
    d.add(c)
    if multi:
        d.add(_legend(chart, c.x, height - 2 * mm))
    return d
