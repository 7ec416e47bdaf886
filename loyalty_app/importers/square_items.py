"""Square's Items (item sales detail) export: one row per line; Refund rows return lines of the same transaction."""

from __future__ import annotations

from collections.abc import Iterator
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
        for p in joined.problems:
            yield Problem(p.row, p.level, f"in the Transactions export, row {p.row}: {p.reason}", p.fields)
        yield from unitemised_baskets(joined, seen)


NAMES = ("Transaction ID", "Event Type", "Time Zone", "Date", "Time", "Qty", "Net Sales", "Gross Sales",
         "Discounts", "Item", "Price Point Name", "SKU", "GTIN", "Category", "Tax", "Customer ID", "Customer Name",
         "Location", "Payment ID")


def _rows(src: CsvSource, opts: ParseOptions, txns: dict[str, TxnInfo], seen: set[str]) -> Iterator[RowResult]:
    cols = Columns(src.read_header())
    missing = [c for c in REQUIRED if not cols.has(c)]
    if missing:
        raise ValidationError(f"not a Square Items export: no {', '.join(missing)} column")
    # Positions by name, never by place in the header.
    idx = [cols.find(n) for n in NAMES]
    if idx[6] is None:
        idx[6] = cols.find("Product Sales")
    width = len(cols.header)
    # A column this export lacks reads the '' appended to each row (at index ``width``).
    pick = itemgetter(*(width if i is None else i for i in idx))
    for rec in records_of(src.records()):
        if isinstance(rec, Problem):
            yield rec
            continue
        row, f = rec
        if len(f) != width:
            bad = shape_problem(row, f, width)
            if bad:
                yield bad
                continue
            f = f[:width]
        try:
            yield from _row(row, f, pick(f + [""]), opts, txns, seen)
        except ValidationError as exc:
            yield Problem(row, "rejected", reason_of(exc), f)


def _row(row: int, f: list[str], cells: tuple[str, ...], opts: ParseOptions, txns: dict[str, TxnInfo],
         seen: set[str]) -> list[RowResult]:
    (txn, event, zone_name, date, time_, qty_text, net_text, gross_text, disc_text, item, point, sku, gtin,
     category, tax_text, pos_id, cust_name, location, payment) = cells
    txn = txn.strip()
    if not txn:
        raise ValidationError("the row has no Transaction ID")
    seen.add(txn)
    out: list[RowResult] = []
    event = event.strip().lower() or "payment"
    if event not in ("payment", "refund"):
        return [Problem(row, "skipped", f"event type '{event}' is neither a payment nor a refund", f)]
    zone = opts.zone
    zone_name = zone_name.strip()
    if zone_name:
        try:
            zone = v.zone_named(zone_name)
        except ValidationError as exc:
            out.append(Problem(row, "warning", f"{exc}; read in the shop's time zone", f))
    when = v.timestamp(date, time_, zone, opts.day_first)
    qty_dec, whole = v.quantity_whole(qty_text or "1")
    net = v.money_or_none(net_text, opts.currency)
    if net is None:
        gross = v.money_or_none(gross_text, opts.currency)
        if gross is None:
            raise ValidationError("the row has no Net Sales or Gross Sales amount")
        net = gross + (v.money_or_none(disc_text, opts.currency) or 0)
    refund = event == "refund"
    if (qty_dec < 0 or net < 0) and not refund:
        raise ValidationError("a negative line on a Payment row: export refunds as Refund rows")
    if whole is not None:
        qty = abs(whole)
    else:
        qty, warn = whole_quantity(abs(qty_dec), row, f)
        if warn:
            out.append(warn)
    if qty == 0:
        raise ValidationError("the quantity is zero")
    item, point = item.strip(), point.strip()
    name = (f"{item} ({point})" if point and point.lower() != "regular" else item) if item else None
    tax = v.money_or_none(tax_text, opts.currency) or 0
    line = Line(row, v.text(sku), v.text(gtin), name, category.strip() or None, qty, abs(net), None, abs(tax))
    pos_id, cust_name = pos_id.strip(), cust_name.strip()
    person = Person(pos_id or None, cust_name or None) if (pos_id or cust_name) else None
    store = location.strip() or None
    info = txns.get(txn) if txns else None
    if info is not None:
        p = person or Person()
        person = Person(p.pos_id or info.person.pos_id, p.name or info.person.name, info.person.phone,
                        info.person.email)
        store = store or info.store
    if refund:
        out.append((("refund", f"{txn}:{payment.strip() or 'refund'}", when, person, store, row, f, txn), line))
    else:
        out.append((("sale", txn, when, person, store, row, f, None), line))
    return out
