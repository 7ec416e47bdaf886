"""Report sheets out of the app: text for screens, spreadsheet-safe CSV, PDF via receipts/."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from loyalty_app.csv_safe import neutralise
from loyalty_app.i18n import _, format_date, format_datetime, format_number, format_tenths
from loyalty_app.money import cents_to_decimal_text, format_money, minor_digits
from loyalty_app.reports.model import ReportSheet

NUMERIC_KINDS = ("int", "money", "percent", "change", "tenths", "days")


def format_value(kind: str, value: Any, currency: str) -> str:
    """How a value reads on screen and in PDFs."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if kind == "money":
        return format_money(int(value), currency)
    if kind in ("percent", "change"):
        return format_tenths(int(value), percent=True, signed=kind == "change")
    if kind == "tenths":
        return format_tenths(int(value))
    if kind in ("int", "days"):
        return format_number(int(value))
    if kind == "date" and isinstance(value, date):
        return format_date(value)
    return str(value)


def csv_value(kind: str, value: Any, currency: str) -> str | int:
    """How a value is written to CSV: numbers as plain numbers (12.50, 42.5), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if kind == "money":
        return cents_to_decimal_text(int(value), currency)
    if kind in ("percent", "change", "tenths"):
        sign = "-" if value < 0 else ""
        return f"{sign}{abs(value) // 10}.{abs(value) % 10}"
    if kind in ("int", "days"):
        return int(value)
    return neutralise(str(value))


def sheet_csv(sheet: ReportSheet) -> str:
    """The sheet as CSV: a heading block, the headline figures, then each table with its header row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    cur = sheet.currency
    w.writerow([neutralise(sheet.title), neutralise(sheet.shop_name)])
    w.writerow(["Period", neutralise(sheet.period_label)])
    w.writerow(["Store", neutralise(sheet.store_label)])
    w.writerow([])
    for f in sheet.figures:
        w.writerow([neutralise(f.label), csv_value(f.kind, f.value, cur)])
    for t in sheet.tables:
        w.writerow([])
        w.writerow([neutralise(t.title)])
        w.writerow([neutralise(c.title + (f" ({cur})" if c.kind == "money" else "")
                               + (" (%)" if c.kind in ("percent", "change") else "")) for c in t.columns])
        for row in t.rows:
            w.writerow([csv_value(c.kind, v, cur) for c, v in zip(t.columns, row, strict=True)])
    return buf.getvalue()


def _money_prefix(currency: str) -> str:
    symbol = format_money(0, currency)
    return symbol.split("0")[0]


def sheet_pdf(sheet: ReportSheet, page_size: str = "A4") -> bytes:
    from receipts.charts import PdfChart  # reportlab is imported only by what draws a PDF
    from receipts.report_pdf import PdfReport, PdfTable, report_pdf

    cur = sheet.currency
    tables = [PdfTable(t.title, [c.title for c in t.columns],
                       [[format_value(c.kind, v, cur) for c, v in zip(t.columns, row, strict=True)] for row in t.rows],
                       [c.kind in NUMERIC_KINDS for c in t.columns], t.empty_text) for t in sheet.tables]
    charts = []
    for ch in sheet.charts:
        money = ch.value_kind == "money"
        kind = "hbar" if ch.kind == "bar" and sheet.key in ("popular", "refill") else ch.kind
        charts.append(PdfChart(ch.title, kind, ch.categories, [(s.name, s.values) for s in ch.series],
                               10 ** minor_digits(cur) if money else 1, _money_prefix(cur) if money else "",
                               ch.stacked))
    return report_pdf(PdfReport(
        title=sheet.title, shop_name=sheet.shop_name, period=sheet.period_label, store=sheet.store_label,
        generated=(format_datetime(sheet.generated_local) if sheet.generated_local
                   else sheet.generated_at[:16].replace("T", " ") + " UTC"),
        figures=[(f.label, format_value(f.kind, f.value, cur)) for f in sheet.figures],
        tables=tables, charts=charts, notes=sheet.notes, page_size=page_size,
        page_label=_("Page {page} of {total}"), printed_label=_("printed {when}"),
    ))


def page_size_for(region: str) -> str:
    """US and Canada print on Letter; everywhere else on A4."""
    return "Letter" if region.upper() in ("US", "CA", "MX", "PH") else "A4"
