"""Square's Items (item sales detail) export: one row per line; Refund rows return lines of the same transaction."""

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
    reason_of,
    records_of,
    shape_problem,
    whole_quantity,
)
from loyalty_app.importers.square_transactions import TxnInfo, read_transactions, unitemised_baskets

SOURCE = "square"
REQUIRED = ("Date", "Item", "Qty", "Transaction ID")


def parse(src: CsvSource, opts: ParseOptions) -> Parsed:
    joined = read_transactions(CsvSource(opts.transactions), opts) if opts.transactions else None
    seen: set[str] = set()
    yield from group_rows(_rows(src, opts, joined.info if joined else {}, seen))
    if joined is not None:
        yield from joined.problems
        yield from unitemised_baskets(joined, seen)


def _rows(src: CsvSource, opts: ParseOptions, txns: dict[str, TxnInfo], seen: set[str]) -> Iterator[RowResult]:
    cols = Columns(src.read_header())
    missing = [c for c in REQUIRED if not cols.has(c)]
    if missing:
        raise ValidationError(f"not a Square Items export: no {', '.join(missing)} column")
    g = {name: cols.getter(name) for name in (
        "Date", "Time", "Time Zone", "Category", "Item", "Qty", "Price Point Name", "SKU", "Net Sales",
        "Gross Sales", "Discounts", "Tax", "Transaction ID", "Payment ID", "Event Type", "Location",
        "Customer ID", "Customer Name", "GTIN")}
    net_sales = cols.getter("Net Sales", "Product Sales")
    width = len(cols.header)
    for rec in records_of(src.records()):
        if isinstance(rec, Problem):
            yield rec
            continue
        row, f = rec
        bad = shape_problem(row, f, width)
        if bad:
            yield bad
            continue
        try:
            yield from _row(row, f, g, net_sales, opts, txns, seen)
        except ValidationError as exc:
            yield Problem(row, "rejected", reason_of(exc), f)


def _row(row: int, f: list[str], g: dict[str, Getter], net_sales: Getter, opts: ParseOptions, txns: dict[str, TxnInfo],
         seen: set[str]) -> Iterator[RowResult]:
    txn = g["Transaction ID"](f).strip()
    if not txn:
        raise ValidationError("the row has no Transaction ID")
    seen.add(txn)
    info = txns.get(txn)
    event = g["Event Type"](f).strip().lower() or "payment"
    if event not in ("payment", "refund"):
        yield Problem(row, "skipped", f"event type '{g['Event Type'](f)}' is neither a payment nor a refund", f)
        return
    zone_name = g["Time Zone"](f).strip()
    problems: list[Problem] = []
    zone = opts.zone
    if zone_name:
        try:
            zone = v.zone_named(zone_name)
        except ValidationError as exc:
            problems.append(Problem(row, "warning", f"{exc}; read in the shop's time zone", f))
    when = v.timestamp(g["Date"](f), g["Time"](f), zone, opts.day_first)
    raw_qty = g["Qty"](f).strip()
    qty_dec = v.quantity(raw_qty) if raw_qty else v.quantity("1")
    net = v.money_or_none(net_sales(f), opts.currency)
    if net is None:
        gross = v.money_or_none(g["Gross Sales"](f), opts.currency)
        if gross is None:
            raise ValidationError("the row has no Net Sales or Gross Sales amount")
        net = gross + (v.money_or_none(g["Discounts"](f), opts.currency) or 0)
    refund = event == "refund"
    if (qty_dec < 0 or net < 0) and not refund:
        raise ValidationError("a negative line on a Payment row: export refunds as Refund rows")
    qty, warn = whole_quantity(abs(qty_dec), row, f)
    if qty == 0:
        raise ValidationError("the quantity is zero")
    if warn:
        problems.append(warn)
    item = v.text(g["Item"](f))
    point = v.text(g["Price Point Name"](f))
    name = f"{item} ({point})" if item and point and point.lower() != "regular" else item
    line = Line(row, v.text(g["SKU"](f)), v.text(g["GTIN"](f)), name, v.text(g["Category"](f)), qty, abs(net),
                None, abs(v.money_or_none(g["Tax"](f), opts.currency) or 0))
    person = Person(pos_id=v.text(g["Customer ID"](f)), name=v.text(g["Customer Name"](f)))
    store = v.text(g["Location"](f))
    if info is not None:
        person = Person(person.pos_id or info.person.pos_id, person.name or info.person.name,
                        info.person.phone, info.person.email)
        store = store or info.store
    if refund:
        payment = g["Payment ID"](f).strip() or "refund"
        head = Basket("refund", f"{txn}:{payment}", when, person, store, rows=[(row, f)], sale_key=txn)
    else:
        head = Basket("sale", txn, when, person, store, rows=[(row, f)])
    if problems:
        yield problems
    yield head, line
