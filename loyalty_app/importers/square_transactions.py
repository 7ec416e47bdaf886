"""Square's Transactions export: one row per payment or refund. Alone it gives baskets without item detail;
given with the Items export it adds the customer and store to each transaction's lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from loyalty_app.errors import ValidationError
from loyalty_app.importers import values as v
from loyalty_app.importers.csv_reader import CsvSource
from loyalty_app.importers.grouping import Getter
from loyalty_app.importers.records import (
    Basket,
    Columns,
    Line,
    Parsed,
    ParseOptions,
    Person,
    Problem,
    each_row,
)

SOURCE = "square"
REQUIRED = ("Date", "Transaction ID", "Net Sales")
UNITEMISED_SKU = "POS-UNITEMISED"
UNITEMISED_NAME = "Sale without item detail (from the POS)"


@dataclass(slots=True)
class TxnInfo:
    row: int
    kind: str
    payment: str
    when: str
    net: int
    tax: int
    person: Person
    store: str | None
    fields: list[str]


@dataclass
class Joined:
    info: dict[str, TxnInfo] = field(default_factory=dict)
    refunds: list[tuple[str, TxnInfo]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse(src: CsvSource, opts: ParseOptions) -> Parsed:
    for item in _infos(src, opts):
        if isinstance(item, Problem):
            yield item
        else:
            yield _basket(*item)


def read_transactions(src: CsvSource, opts: ParseOptions) -> Joined:
    """The whole Transactions file in memory, compactly, to join with the Items export."""
    out = Joined()
    for item in _infos(src, opts):
        if isinstance(item, Problem):
            out.problems.append(item)
        else:
            item[1].fields = []  # kept compact: the whole file is held while the Items export streams
            if item[1].kind == "payment":
                out.info[item[0]] = item[1]
            else:
                out.refunds.append(item)
    return out


def unitemised_baskets(joined: Joined, seen: set[str]) -> Iterator[Basket]:
    """Transactions the Items export did not list: baskets with one line standing for the whole sale."""
    for txn, info in joined.info.items():
        if txn not in seen:
            yield _basket(txn, info)
    for txn, info in joined.refunds:
        if txn not in seen:
            yield _basket(txn, info)


def _basket(txn: str, t: TxnInfo) -> Basket:
    line = Line(t.row, UNITEMISED_SKU, None, UNITEMISED_NAME, None, 1, abs(t.net), None, abs(t.tax))
    person = t.person if (t.person.identified or t.person.name) else None
    if t.kind == "refund":
        return Basket("refund", f"{txn}:{t.payment}", t.when, person, t.store, [line], [(t.row, t.fields)],
                      sale_key=txn, whole=True)
    return Basket("sale", txn, t.when, person, t.store, [line], [(t.row, t.fields)])


def _infos(src: CsvSource, opts: ParseOptions) -> Iterator[tuple[str, TxnInfo] | Problem]:
    cols = Columns(src.read_header())
    missing = [c for c in REQUIRED if not cols.has(c)]
    if missing:
        raise ValidationError(f"not a Square Transactions export: no {', '.join(missing)} column")
    g = {name: cols.getter(name) for name in (
        "Date", "Time", "Time Zone", "Net Sales", "Tax", "Transaction ID", "Payment ID", "Event Type",
        "Location", "Customer ID", "Customer Name", "Transaction Status")}
    width = len(cols.header)
    yield from each_row(src, width, lambda row, f: _info(row, f, g, opts))


def _info(row: int, f: list[str], g: dict[str, Getter], opts: ParseOptions) -> Iterator[tuple[str, TxnInfo] | Problem]:
    txn = g["Transaction ID"](f).strip()
    if not txn:
        raise ValidationError("the row has no Transaction ID")
    status = g["Transaction Status"](f).strip().lower()
    if status and status not in ("complete", "completed"):
        yield Problem(row, "skipped", f"transaction status is '{g['Transaction Status'](f).strip()}'", f)
        return
    event = g["Event Type"](f).strip().lower() or "payment"
    if event not in ("payment", "refund"):
        yield Problem(row, "skipped", f"event type '{g['Event Type'](f).strip()}' is neither a payment nor a refund", f)
        return
    zone = opts.zone
    zone_name = g["Time Zone"](f).strip()
    if zone_name:
        try:
            zone = v.zone_named(zone_name)
        except ValidationError as exc:
            yield Problem(row, "warning", f"{exc}; read in the shop's time zone", f)
    when = v.timestamp(g["Date"](f), g["Time"](f), zone, opts.day_first)
    net = v.money_or_none(g["Net Sales"](f), opts.currency)
    if net is None:
        raise ValidationError("the row has no Net Sales amount")
    if net < 0 and event == "payment":
        raise ValidationError("a negative Payment: export refunds as Refund rows")
    tax = v.money_or_none(g["Tax"](f), opts.currency) or 0
    person = Person(pos_id=v.text(g["Customer ID"](f)), name=v.text(g["Customer Name"](f)))
    payment = g["Payment ID"](f).strip() or f"row{row}"
    yield txn, TxnInfo(row, event, payment, when, net, tax, person, v.text(g["Location"](f)), f)
