"""Any sales CSV with a column mapping (customer=COL,phone=COL,...,amount=COL): rows become lines."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import ROUND_HALF_UP

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

SOURCE = "csv"
FIELDS = ("customer", "phone", "email", "receipt", "time", "date", "sku", "name", "qty", "amount", "unit_price",
          "category", "store")


def parse_mapping(text: str) -> dict[str, str]:
    """'customer=Client,phone=Tel,amount=Total' → {'customer': 'Client', ...}; ValidationError on a typo."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, col = part.partition("=")
        key = key.strip().lower()
        if not sep or not col.strip():
            raise ValidationError(f"'{part.strip()}' in --map is not FIELD=COLUMN")
        if key not in FIELDS:
            raise ValidationError(f"'{key}' is not a field to map; use {', '.join(FIELDS)}")
        out[key] = col.strip()
    return out


def check_mapping(mapping: dict[str, str], header: list[str]) -> None:
    cols = Columns(header)
    unknown = [c for c in mapping.values() if cols.find(c) is None]
    if unknown:
        raise ValidationError(f"the file has no column {', '.join(repr(c) for c in unknown)}; "
                              f"its columns are {', '.join(header)}")
    if not ({"sku", "name"} & mapping.keys()):
        raise ValidationError("map at least sku= or name= so each line names a product")
    if not ({"amount", "unit_price"} & mapping.keys()):
        raise ValidationError("map amount= (the line's total) or unit_price= so each line has a price")
    if not ({"time", "date"} & mapping.keys()):
        raise ValidationError("map time= (date and time of the sale) so each line has a date")


def parse(src: CsvSource, opts: ParseOptions) -> Parsed:
    header = src.read_header()
    check_mapping(opts.mapping, header)
    return group_rows(_rows(src, opts))


def _rows(src: CsvSource, opts: ParseOptions) -> Iterator[RowResult]:
    cols = Columns(src.header)
    g = {k: cols.getter(opts.mapping[k]) if k in opts.mapping else (lambda f: "") for k in FIELDS}
    width = len(cols.header)
    seen: dict[str, int] = {}
    yield from each_row(src, width, lambda row, f: _row(row, f, g, opts, seen))


def _row(row: int, f: list[str], g: dict[str, Getter], opts: ParseOptions, seen: dict[str, int]
         ) -> Iterator[RowResult]:
    date_text, time_text = g["date"](f).strip(), g["time"](f).strip()
    if not date_text:
        date_text, time_text = time_text, ""
    if not date_text:
        raise ValidationError("the row has no date")
    when = v.timestamp(date_text, time_text, opts.zone, opts.day_first)
    qty_text = g["qty"](f).strip()
    qty_dec = v.quantity(qty_text) if qty_text else v.quantity("1")
    unit = v.money_or_none(g["unit_price"](f), opts.currency)
    amount = v.money_or_none(g["amount"](f), opts.currency)
    if amount is None:
        if unit is None:
            raise ValidationError("the row has no amount")
        amount = int((qty_dec * unit).to_integral_value(ROUND_HALF_UP))
    refund = amount < 0 or qty_dec < 0
    qty, warn = whole_quantity(abs(qty_dec), row, f)
    if qty == 0:
        raise ValidationError("the quantity is zero")
    if warn:
        yield [warn]
    sku, name = v.text(g["sku"](f)), v.text(g["name"](f))
    if not sku and not name:
        raise ValidationError("the row names no product (no SKU and no name)")
    e164, phone_problem = v.phone_or_none(g["phone"](f), opts.region)
    if phone_problem:
        yield [Problem(row, "warning", f"{phone_problem}; the phone was left out", f)]
    person = Person(v.text(g["customer"](f)), None, e164, v.email_or_none(g["email"](f)))
    receipt = v.text(g["receipt"](f))
    if receipt:
        key = receipt
    else:
        digest = hashlib.sha1("\x1f".join(f).encode("utf-8", "replace")).hexdigest()[:20]
        seen[digest] = seen.get(digest, 0) + 1
        key = f"row:{digest}:{seen[digest]}"
    line = Line(row, sku, None, name, v.text(g["category"](f)), qty, abs(amount),
                abs(unit) if unit is not None else None)
    store = v.text(g["store"](f))
    if refund:
        yield Basket("refund", f"{key}:refund", when, person, store, rows=[(row, f)], sale_key=receipt), line
    else:
        yield Basket("sale", key, when, person, store, rows=[(row, f)]), line
