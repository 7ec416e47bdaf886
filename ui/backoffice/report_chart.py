"""A report's chart as a QtCharts chart: horizontal bars for products, columns over time, stacked when split."""

from __future__ import annotations

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter

from loyalty_app.money import minor_digits
from loyalty_app.reports.model import ReportChart
from ui.theme import is_dark

COLOURS = ["#2f6f4e", "#d08c2a", "#5b7fb8", "#b8475b"]
HORIZONTAL = ("popular", "refill")  # reports whose bars are named items: read best horizontally


def build_chart(chart: ReportChart, report_key: str, currency: str) -> QChart:
    q = QChart()
    if is_dark():  # QtCharts draws on white by default: on a dark desktop its dark theme, bars in our colours
        q.setTheme(QChart.ChartTheme.ChartThemeDark)
    q.setTitle(chart.title)
    # Every pixel to the plot: with ten named bars QtCharts drops each label that would touch its neighbour.
    q.setMargins(QMargins(2, 2, 2, 2))
    q.layout().setContentsMargins(0, 0, 0, 0)
    q.setBackgroundRoundness(0)
    q.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    q.legend().setVisible(len(chart.series) > 1)
    q.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    horizontal = report_key in HORIZONTAL
    stacked = len(chart.series) > 1 and chart.stacked
    series: QAbstractBarSeries
    if horizontal:
        series = QHorizontalStackedBarSeries() if stacked else QHorizontalBarSeries()
    else:
        series = QStackedBarSeries() if stacked else QBarSeries()
    # Money is drawn in whole currency units: the chart is a picture, the table keeps the exact cents.
    scale = 10 ** minor_digits(currency) if chart.value_kind == "money" else 1
    cats = list(reversed(chart.categories)) if horizontal else chart.categories
    top = 0.0
    for i, s in enumerate(chart.series):
        bar_set = QBarSet(s.name)
        bar_set.setColor(QColor(COLOURS[i % len(COLOURS)]))
        values = list(reversed(s.values)) if horizontal else s.values
        for v in values:
            bar_set.append(v / scale)
        series.append(bar_set)
    if chart.series:
        sums = [sum(vals) for vals in zip(*(s.values for s in chart.series), strict=True)] if stacked else \
            [v for s in chart.series for v in s.values]
        top = max(sums, default=0) / scale
    q.addSeries(series)
    cat_axis = QBarCategoryAxis()
    # At most about ten labels under time axes, level and in full (blank names must stay distinct).
    step = 1 if horizontal else -(-len(cats) // 10)
    cat_axis.append([c if i % step == 0 else " " * (i + 1) for i, c in enumerate(cats)])
    val_axis = QValueAxis()
    val_axis.setRange(0, max(top * 1.1, 1))
    val_axis.setLabelFormat("%.0f")
    val_axis.applyNiceNumbers()
    if chart.value_kind == "money":
        val_axis.setTitleText(currency)
    font = cat_axis.labelsFont()
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    cat_axis.setLabelsFont(font)
    cat_axis.setTruncateLabels(False)  # product names in full; the plot gives way
    val_axis.setLabelsFont(font)
    if horizontal:
        q.addAxis(cat_axis, Qt.AlignmentFlag.AlignLeft)
        q.addAxis(val_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        q.addAxis(cat_axis, Qt.AlignmentFlag.AlignBottom)
        q.addAxis(val_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(cat_axis)
    series.attachAxis(val_axis)
    return q


RENDER_HINT = QPainter.RenderHint.Antialiasing
