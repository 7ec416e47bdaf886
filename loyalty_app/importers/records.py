"""What every format parser produces: baskets of lines (sales or refunds) and problems with their rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

from loyalty_app.errors import ValidationError
from loyalty_app.importers.csv_reader import BadRecord


@dataclass(slots=True)
class Person:
    """Who a row names: the POS's own customer id, a name, a phone (E.164) and an email; any may be missing."""

    pos_id: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def identified(self) -> bool:
        """A row identifies a person by a phone, an email or the POS's customer id; a name alone does not."""
        return bool(self.pos_id or self.phone or self.email)


@dataclass(slots=True)
class Line:
    row: int
    sku: str | None
    gtin: str | None
    name: str | None
    category: str | None
    qty: int
    net_cents: int  # the line's amount after discounts, positive (for a refund: the amount refunded)
    unit_cents: int | None = None
    tax_cents: int = 0


@dataclass(slots=True)
class Basket:
    """One sale (a purchase) or one refund (a return), keyed by ids from the source."""

    kind: str  # 'sale' | 'refund'
    key: str  # purchases.external_id for a sale, returns.external_id for a refund
    occurred_at: str
    person: Person | None
    store: str | None = None
    lines: list[Line] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    sale_key: str | None = None  # the sale a refund takes back, when the source says so
    whole: bool = False  # a refund of everything left on the sale (no item detail)


@dataclass(slots=True)
class Problem:
    row: int
    level: str  # 'rejected' | 'skipped' | 'warning'
    reason: str
    fields: list[str]


@dataclass(frozen=True)
class ParseOptions:
    zone: tzinfo
    day_first: bool
    region: str
    currency: str
    mapping: dict[str, str] = field(default_factory=dict)
    transactions: Path | None = None  # Square: the Transactions export to join the Items export with


Parsed = Iterator[Basket | Problem]


class Columns:
    """Header names to positions, case- and space-insensitive; a missing column reads as ''."""

    def __init__(self, header: list[str]) -> None:
        self.header = header
        self.index = {" ".join(h.lower().split()): i for i, h in enumerate(header)}

    def find(self, *names: str) -> int | None:
        for n in names:
            i = self.index.get(" ".join(n.lower().split()))
            if i is not None:
                return i
        return None

    def has(self, *names: str) -> bool:
        return all(self.find(n) is not None for n in names)

    def getter(self, *names: str) -> Callable[[list[str]], str]:
        i = self.find(*names)
        if i is None:
            return lambda fields: ""
        return lambda fields: fields[i] if i < len(fields) else ""


def shape_problem(row: int, fields: list[str], width: int) -> Problem | None:
    """Rows with missing cells, or extra cells that hold something, are refused whole."""
    n = len(fields)
    if n == width:
        return None
    if n > width and not any(f.strip() for f in fields[width:]):
        return None
    return Problem(row, "rejected", f"the row has {n} cells but the header has {width}", fields)


def whole_quantity(q: Decimal, row: int, fields: list[str]) -> tuple[int, Problem | None]:
    """The quantity policy: whole numbers as they are; a fraction (0.5 kg) becomes one portion, amount exact.

    Purchase lines count units; a weighed line is one portion of the product whose amount is what was paid.
    The owner sees a warning naming the row, so nothing is rounded silently.
    """
    if q == q.to_integral_value():
        return int(q), None
    return 1, Problem(row, "warning", f"quantity {q} is not a whole number: recorded as 1 portion with the "
                                      "exact amount", fields)


def records_of(source_records: Iterator[tuple[int, list[str]] | BadRecord]) -> Iterator[
        tuple[int, list[str]] | Problem]:
    for rec in source_records:
        if isinstance(rec, BadRecord):
            yield Problem(rec.row, "rejected", rec.reason, [rec.text] if rec.text else [])
        else:
            yield rec


def reason_of(exc: Exception) -> str:
    return str(exc) if isinstance(exc, ValidationError) else f"{type(exc).__name__}: {exc}"


def checked_records(src: Any, width: int) -> Iterator[tuple[int, list[str]] | Problem]:
    """A file's records with unreadable and malformed rows already turned into Problems for the report."""
    for rec in records_of(src.records()):
        if isinstance(rec, Problem):
            yield rec
            continue
        bad = shape_problem(rec[0], rec[1], width)
        yield bad if bad else rec


def each_row(src: Any, width: int, handle: Callable[[int, list[str]], Iterator[Any]]) -> Iterator[Any]:
    """Every well-formed row through ``handle``; a value it refuses becomes a rejected row, never a crash."""
    for rec in checked_records(src, width):
        if isinstance(rec, Problem):
            yield rec
            continue
        row, f = rec
        try:
            yield from handle(row, f)
        except ValidationError as exc:
            yield Problem(row, "rejected", reason_of(exc), f)
