"""Any sales CSV with a column mapping (customer=COL,phone=COL,...,amount=COL): rows become lines."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import ROUND_HALF_UP
from operator import itemgetter

from loyalty_app.errors import ValidationError
from loyalty_app.importers import values as v
from loyalty_app.importers.csv_reader import CsvSource
from loyalty_app.importers.grouping import RowResult, group_rows
from loyalty_app.importers.records import (
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
    width = len(cols.header)
    # Positions by name; a field not mapped reads the '' appended to each row (at index ``width``).
    idx = [cols.find(opts.mapping[k]) if k in opts.mapping else None for k in FIELDS]
    pick = itemgetter(*(width if i is None else i for i in idx))
    seen: dict[str, int] = {}

    def handle(row: int, f: list[str]) -> Iterator[RowResult]:
        # each_row passes rows of the header's width, or wider with empty extra cells.
        return _row(row, f, pick(f + [""] if len(f) == width else f[:width] + [""]), opts, seen)

    yield from each_row(src, width, handle)


def _row(row: int, f: list[str], cells: tuple[str, ...], opts: ParseOptions, seen: dict[str, int]
         ) -> Iterator[RowResult]:
    (customer, phone, email, receipt_text, time_text, date_text, sku_text, name_text, qty_text, amount_text, unit_text,
     category, store_text) = cells
    date_text, time_text = date_text.strip(), time_text.strip()
    if not date_text:
        date_text, time_text = time_text, ""
    if not date_text:
        raise ValidationError("the row has no date")
    when = v.timestamp(date_text, time_text, opts.zone, opts.day_first)
    qty_text = qty_text.strip()
    qty_dec, whole = v.quantity_whole(qty_text or "1")
    unit = v.money_or_none(unit_text, opts.currency)
    amount = v.money_or_none(amount_text, opts.currency)
    if amount is None:
        if unit is None:
            raise ValidationError("the row has no amount")
        amount = int((qty_dec * unit).to_integral_value(ROUND_HALF_UP))
    refund = amount < 0 or qty_dec < 0
    if whole is not None:
        qty = abs(whole)
    else:
        qty, warn = whole_quantity(abs(qty_dec), row, f)
        if warn:
            yield [warn]
    if qty == 0:
        raise ValidationError("the quantity is zero")
    sku, name = v.text(sku_text), v.text(name_text)
    if not sku and not name:
        raise ValidationError("the row names no product (no SKU and no name)")
    e164, phone_problem = v.phone_or_none(phone, opts.region)
    if phone_problem:
        yield [Problem(row, "warning", f"{phone_problem}; the phone was left out", f)]
    person = Person(v.text(customer), None, e164, v.email_or_none(email))
    receipt = v.text(receipt_text)
    if receipt:
        key = receipt
    else:
        digest = hashlib.sha1("\x1f".join(f).encode("utf-8", "replace")).hexdigest()[:20]
        seen[digest] = seen.get(digest, 0) + 1
        key = f"row:{digest}:{seen[digest]}"
    line = Line(row, sku, None, name, v.text(category), qty, abs(amount), abs(unit) if unit is not None else None)
    store = v.text(store_text)
    if refund:
        yield ("refund", f"{key}:refund", when, person, store, row, f, receipt), line
    else:
        yield ("sale", key, when, person, store, row, f, None), line
