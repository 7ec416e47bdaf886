"""Loyverse's receipts-by-item export: one row per line; Cancelled receipts skipped; Refund receipts are returns."""

from __future__ import annotations

from collections.abc import Iterator

from loyalty_app.errors import ValidationError
from loyalty_app.importers import values as v
from loyalty_app.importers.csv_reader import CsvSource
from loyalty_app.importers.grouping import Getter, RowResult, group_rows
from loyalty_app.importers.records import (
    Basket,
    Columns,
    Line,
    Parsed,
    ParseOptions,
    Person,
    Problem,
    each_row,
    whole_quantity,
)

SOURCE = "loyverse"
REQUIRED = ("Date", "Receipt number", "Receipt type", "Item", "Quantity", "Net sales")
FIELDS = ("Date", "Receipt number", "Receipt type", "Category", "SKU", "Item", "Variant", "Quantity",
          "Net sales", "Gross sales", "Discounts", "Taxes", "Store", "Customer name", "Customer contacts", "Status")


def parse(src: CsvSource, opts: ParseOptions) -> Parsed:
    return group_rows(_rows(src, opts))


def _rows(src: CsvSource, opts: ParseOptions) -> Iterator[RowResult]:
    cols = Columns(src.read_header())
    missing = [c for c in REQUIRED if not cols.has(c)]
    if missing:
        raise ValidationError(f"not a Loyverse receipts-by-item export: no {', '.join(missing)} column")
    g = {n: cols.getter(n) for n in FIELDS}
    width = len(cols.header)
    yield from each_row(src, width, lambda row, f: _row(row, f, g, opts))


def _row(row: int, f: list[str], g: dict[str, Getter], opts: ParseOptions) -> Iterator[RowResult]:
    receipt = g["Receipt number"](f).strip()
    if not receipt:
        raise ValidationError("the row has no Receipt number")
    if g["Status"](f).strip().lower() == "cancelled":
        yield Problem(row, "skipped", f"receipt {receipt} was cancelled", f)
        return
    kind = g["Receipt type"](f).strip().lower() or "sale"
    if kind not in ("sale", "refund"):
        raise ValidationError(f"receipt type '{g['Receipt type'](f).strip()}' is neither Sale nor Refund")
    when = v.timestamp(g["Date"](f), "", opts.zone, opts.day_first)
    qty_dec = v.quantity(g["Quantity"](f) or "1")
    net = v.money_or_none(g["Net sales"](f), opts.currency)
    if net is None:
        raise ValidationError("the row has no Net sales amount")
    if kind == "sale" and (qty_dec < 0 or net < 0):
        raise ValidationError("a negative line on a Sale receipt")
    qty, warn = whole_quantity(abs(qty_dec), row, f)
    if qty == 0:
        raise ValidationError("the quantity is zero")
    if warn:
        yield [warn]
    item = v.text(g["Item"](f))
    variant = v.text(g["Variant"](f))
    name = f"{item} ({variant})" if item and variant else item
    line = Line(row, v.text(g["SKU"](f)), None, name, v.text(g["Category"](f)), qty, abs(net), None,
                abs(v.money_or_none(g["Taxes"](f), opts.currency) or 0))
    e164, mail = v.split_contacts(g["Customer contacts"](f), opts.region)
    person = Person(None, v.text(g["Customer name"](f)), e164, mail)
    store = v.text(g["Store"](f))
    # Loyverse numbers refund receipts on their own, so the sale is found by customer and item instead.
    yield Basket(kind, receipt, when, person, store, rows=[(row, f)]), line
