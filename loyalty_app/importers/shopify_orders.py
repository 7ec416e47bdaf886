"""Shopify's orders export: one row per line item, grouped by Name (#1001); order fields on the first row only."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP

from loyalty_app.errors import ValidationError
from loyalty_app.importers import values as v
from loyalty_app.importers.csv_reader import CsvSource
from loyalty_app.importers.grouping import Getter, first_nonblank
from loyalty_app.importers.records import (
    Basket,
    Columns,
    Line,
    Parsed,
    ParseOptions,
    Person,
    Problem,
    checked_records,
    reason_of,
    whole_quantity,
)
from loyalty_app.points_rules import allocate

SOURCE = "shopify"
REQUIRED = ("Name", "Lineitem quantity", "Lineitem name", "Lineitem price")
FIELDS = ("Name", "Email", "Financial Status", "Paid at", "Created at", "Subtotal", "Lineitem quantity",
          "Lineitem name", "Lineitem price", "Lineitem sku", "Lineitem discount", "Billing Name", "Billing Phone",
          "Shipping Phone", "Phone", "Cancelled at", "Location", "Refunded Amount", "Taxes")
PAID = {"paid", "partially_paid", "refunded", "partially_refunded", ""}


def parse(src: CsvSource, opts: ParseOptions) -> Parsed:
    cols = Columns(src.read_header())
    missing = [c for c in REQUIRED if not cols.has(c)]
    if missing:
        raise ValidationError(f"not a Shopify orders export: no {', '.join(missing)} column")
    g = {n: cols.getter(n) for n in FIELDS}
    width = len(cols.header)
    order: list[tuple[int, list[str]]] = []
    for rec in checked_records(src, width):
        if isinstance(rec, Problem):
            yield rec
            continue
        row, f = rec
        if order and g["Name"](f).strip() != g["Name"](order[0][1]).strip():
            yield from _order(order, g, opts)
            order = []
        order.append((row, f))
    if order:
        yield from _order(order, g, opts)


def _order(rows: list[tuple[int, list[str]]], g: dict[str, Getter], opts: ParseOptions) -> Iterator[Basket | Problem]:
    row0, f0 = rows[0]
    name = g["Name"](f0).strip()
    if not name:
        for row, f in rows:
            yield Problem(row, "rejected", "the row has no order Name", f)
        return
    try:
        basket, problems = _build(name, rows, g, opts)
    except ValidationError as exc:
        for row, f in rows:
            yield Problem(row, "rejected", f"order {name}: {reason_of(exc)}", f)
        return
    yield from problems
    if basket is not None:
        yield basket
        if g["Financial Status"](f0).strip().lower() == "refunded":
            yield Basket("refund", f"{name}:refund", basket.occurred_at, basket.person, basket.store,
                         list(basket.lines), [], sale_key=name, whole=True)


def _build(name: str, rows: list[tuple[int, list[str]]], g: dict[str, Getter], opts: ParseOptions
           ) -> tuple[Basket | None, list[Problem]]:
    row0, f0 = rows[0]
    problems: list[Problem] = []
    status = g["Financial Status"](f0).strip().lower()
    if g["Cancelled at"](f0).strip():
        return None, [Problem(r, "skipped", f"order {name} was cancelled", f) for r, f in rows]
    if status not in PAID:
        return None, [Problem(r, "skipped", f"order {name} is {status}, not paid", f) for r, f in rows]
    when_text = first_nonblank(g["Paid at"](f0), g["Created at"](f0))
    if not when_text:
        raise ValidationError("no Paid at or Created at date")
    when = v.timestamp(when_text, "", opts.zone, opts.day_first)
    lines: list[Line] = []
    for row, f in rows:
        qty_dec, whole = v.quantity_whole(g["Lineitem quantity"](f) or "1")
        if qty_dec <= 0:
            raise ValidationError(f"row {row}: the quantity must be above zero")
        qty, warn = whole_quantity(qty_dec, row, f)
        if warn:
            problems.append(warn)
        price = v.money(g["Lineitem price"](f), opts.currency)
        discount = v.money_or_none(g["Lineitem discount"](f), opts.currency) or 0
        # A whole quantity (most lines) needs no Decimal: its product with the price is exact.
        gross = whole * price if whole is not None else int((qty_dec * price).to_integral_value(ROUND_HALF_UP))
        net = gross - abs(discount)
        if net < 0:
            raise ValidationError(f"row {row}: the discount is larger than the line")
        lines.append(Line(row, v.text(g["Lineitem sku"](f)), None, v.text(g["Lineitem name"](f)), None, qty, net,
                          price))
    subtotal = v.money_or_none(g["Subtotal"](f0), opts.currency)
    total = sum(ln.net_cents for ln in lines)
    if subtotal is not None and 0 <= subtotal < total:
        # An order-level discount code: spread it over the lines so the purchase matches Shopify's subtotal.
        for ln, cut in zip(lines, allocate(total - subtotal, [ln.net_cents for ln in lines]), strict=True):
            ln.net_cents -= cut
    taxes = v.money_or_none(g["Taxes"](f0), opts.currency) or 0
    for ln, t in zip(lines, allocate(abs(taxes), [ln.net_cents for ln in lines]), strict=True):
        ln.tax_cents = t
    e164, phone_problem = None, None
    for raw in (g["Phone"](f0), g["Billing Phone"](f0), g["Shipping Phone"](f0)):
        e164, phone_problem = v.phone_or_none(raw, opts.region)
        if e164:
            break
    if phone_problem and not e164:
        problems.append(Problem(row0, "warning", f"order {name}: {phone_problem}; the phone was left out", f0))
    person = Person(None, v.text(g["Billing Name"](f0)), e164, v.email_or_none(g["Email"](f0)))
    if status == "partially_refunded":
        problems.append(Problem(row0, "warning", f"order {name} was partly refunded "
                                f"({g['Refunded Amount'](f0).strip() or 'amount unknown'}) without item detail: "
                                "its points were not reversed; record the return at the counter", f0))
    return Basket("sale", name, when, person, v.text(g["Location"](f0)), lines, rows), problems
