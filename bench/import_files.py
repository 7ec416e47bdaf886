"""POS exports for the import benchmark: one shop's history written as a generic till CSV, Square Items, Shopify
orders or Loyverse receipts, with phones typed as people type them, emails and a catalogue of 3,000 SKUs."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from loyalty_app.demo.people import Books

GENERIC_MAP = ("receipt=Receipt,date=Date,time=Time,customer=Client,phone=Phone,email=Email,sku=SKU,name=Item,"
               "qty=Qty,amount=Amount,unit_price=Unit price,category=Category,store=Store")
SQUARE_HEADER = ["Date", "Time", "Time Zone", "Category", "Item", "Qty", "Price Point Name", "SKU", "Modifiers Applied",
                 "Gross Sales", "Discounts", "Net Sales", "Tax", "Transaction ID", "Payment ID", "Device Name", "Notes",
                 "Details", "Event Type", "Location", "Dining Option", "Customer ID", "Customer Name",
                 "Customer Reference ID", "Unit", "Count", "GTIN", "Itemization Type", "Commission", "Employee",
                 "Fulfillment Note", "Channel", "Token", "Card Brand", "PAN Suffix"]
SHOPIFY_HEADER = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Accepts Marketing", "Currency",
                  "Subtotal", "Shipping", "Taxes", "Total", "Created at", "Lineitem quantity", "Lineitem name",
                  "Lineitem price", "Lineitem sku", "Lineitem discount", "Billing Name", "Billing Phone",
                  "Shipping Phone", "Cancelled at", "Refunded Amount", "Location", "Phone"]
LOYVERSE_HEADER = ["Date", "Receipt number", "Receipt type", "Category", "SKU", "Item", "Variant", "Modifiers applied",
                   "Quantity", "Gross sales", "Discounts", "Net sales", "Cost of goods", "Gross profit", "Taxes",
                   "Dining option", "POS", "Store", "Cashier name", "Customer name", "Customer contacts", "Comment",
                   "Status"]
FORMATS = ("generic", "square-items", "shopify-orders", "loyverse-items")
CATEGORIES = ["Coffee", "Tea", "Oils", "Vinegars", "Pantry", "Gifts", "Accessories"]


@dataclass(frozen=True)
class Person:
    pos_id: str
    name: str
    e164: str
    email: str


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    category: str
    cents: int


@dataclass
class Sale:
    key: str
    day: int  # days since the history's first day
    secs: int  # seconds since midnight, shop time
    who: Person | None
    lines: list[tuple[Item, int]]  # (item, qty)


def _typed(e164: str, rng: random.Random) -> str:
    """A US number as a person or a till writes it."""
    n = e164[2:]
    return rng.choice([f"({n[:3]}) {n[3:6]}-{n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}", f"+1 {n[:3]} {n[3:6]} {n[6:]}",
                       f"'+1{n}", n, f"{n[:3]}.{n[3:6]}.{n[6:]}"])


def history(lines: int, seed: int = 19) -> Iterator[Sale]:
    """About three lines per sale; 70% of sales by one of ``lines // 10`` known customers, the rest anonymous."""
    rng = random.Random(seed)
    books = Books(rng)
    people = [Person(f"C{i:06d}", f"Customer {i}", books.phone(), f"customer{i}@example.com")
              for i in range(max(lines // 10, 10))]
    items = [Item(f"SKU-{i:05d}", f"Product {i % 1500} {'large' if i >= 1500 else 'small'}", CATEGORIES[i % 7],
                  rng.randrange(250, 6000)) for i in range(3000)]
    n = sale = 0
    day, secs = 0, 8 * 3600
    while n < lines:
        sale += 1
        secs += rng.randrange(30, 240)
        if secs > 19 * 3600:
            day, secs = day + 1, 8 * 3600
        who = rng.choice(people) if rng.random() < 0.7 else None
        k = min(rng.choice((1, 2, 3, 3, 4, 5)), lines - n)
        basket = [(it, rng.choice((1, 1, 1, 2, 3))) for it in rng.sample(items, k)]
        n += k
        yield Sale(f"R{sale:08d}", day, secs, who, basket)


Dated = tuple[Sale, tuple[int, int, int]]  # a sale and its calendar date (year, month, day)


def first_day(lines: int, seed: int = 19, today: date | None = None) -> date:
    """The history's first day, chosen so that its last sale falls yesterday (a day before ``today``), whatever
    the number of lines: an import refuses sales dated after the shop's clock."""
    days = max(s.day for s in history(lines, seed))
    return (today or date.today()) - timedelta(days=days + 1)


def _dated(sales: Iterator[Sale], start: date) -> Iterator[Dated]:
    """Each sale with its calendar date (year, month, day)."""
    for s in sales:
        d = start + timedelta(days=s.day)
        yield s, (d.year, d.month, d.day)


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _generic(w: Iterator[Dated], out: Any, rng: random.Random) -> None:
    out.writerow(["Receipt", "Date", "Time", "Client", "Phone", "Email", "SKU", "Item", "Qty", "Amount", "Unit price",
                  "Category", "Store"])
    for s, (y, m, d) in w:
        phone = _typed(s.who.e164, rng) if s.who else ""
        for it, qty in s.lines:
            out.writerow([s.key, f"{y}-{m:02d}-{d:02d}", f"{s.secs // 3600:02d}:{s.secs % 3600 // 60:02d}",
                          s.who.pos_id if s.who else "", phone, s.who.email if s.who else "", it.sku, it.name,
                          str(qty), _money(it.cents * qty), _money(it.cents), it.category, "Main Street"])


def _square(w: Iterator[Dated], out: Any, rng: random.Random) -> None:
    out.writerow(SQUARE_HEADER)
    for s, (y, m, d) in w:
        t = f"{s.secs // 3600:02d}:{s.secs % 3600 // 60:02d}:{s.secs % 60:02d}"
        for it, qty in s.lines:
            money = f"${it.cents * qty // 100:,}.{it.cents * qty % 100:02d}"
            out.writerow([f"{y}-{m:02d}-{d:02d}", t, "Eastern Time (US & Canada)", it.category, it.name, f"{qty}.0",
                          "Regular", it.sku, "", money, "$0.00", money, "$0.00", s.key, "P" + s.key, "Counter", "",
                          "https://example.invalid/d", "Payment", "Main Street", "", s.who.pos_id if s.who else "",
                          s.who.name if s.who else "", "", "", "", "", "Physical Good", "$0.00", "Sam", "",
                          "Main Street", "", "Visa", "4242"])


def _shopify(w: Iterator[Dated], out: Any, rng: random.Random) -> None:
    out.writerow(SHOPIFY_HEADER)
    for s, (y, m, d) in w:
        at = f"{y}-{m:02d}-{d:02d} {s.secs // 3600:02d}:{s.secs % 3600 // 60:02d}:{s.secs % 60:02d} -0500"
        subtotal = sum(it.cents * q for it, q in s.lines)
        for i, (it, qty) in enumerate(s.lines):
            head = [f"#{s.key[1:]}", s.who.email if s.who else "", "paid", at, "fulfilled", "yes", "USD",
                    _money(subtotal), "0.00", "0.00", _money(subtotal), at] if i == 0 else [f"#{s.key[1:]}"] + [""] * 11
            phone = _typed(s.who.e164, rng) if s.who and i == 0 else ""
            out.writerow([*head, str(qty), it.name, _money(it.cents), it.sku, "0.00",
                          s.who.name if s.who and i == 0 else "", phone, "", "", "", "Main Street" if i == 0 else "",
                          ""])


def _loyverse(w: Iterator[Dated], out: Any, rng: random.Random) -> None:
    out.writerow(LOYVERSE_HEADER)
    for s, (y, m, d) in w:
        h = s.secs // 3600
        at = f"{m}/{d}/{y % 100} {h % 12 or 12}:{s.secs % 3600 // 60:02d} {'PM' if h >= 12 else 'AM'}"
        contacts = f"{_typed(s.who.e164, rng)}, {s.who.email}" if s.who else ""
        for it, qty in s.lines:
            money = _money(it.cents * qty)
            out.writerow([at, f"1-{s.key[1:]}", "Sale", it.category, it.sku, it.name, "", "", str(qty), money, "0.00",
                          money, "", "", "0.00", "", "POS 1", "Main Street", "Sam", s.who.name if s.who else "",
                          contacts, "", "Closed"])


WRITERS = {"generic": _generic, "square-items": _square, "shopify-orders": _shopify, "loyverse-items": _loyverse}


def make_export(folder: Path, fmt: str, lines: int, seed: int = 19, today: date | None = None) -> Path:
    """The export ``fmt`` of a ``lines``-line history in ``folder`` (written once, then reused), ending the day
    before ``today``."""
    path = folder / f"{fmt}-{lines}.csv"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        WRITERS[fmt](_dated(history(lines, seed), first_day(lines, seed, today)), csv.writer(fh),
                     random.Random(seed + 1))
    tmp.rename(path)
    return path


def import_args(fmt: str) -> list[str]:
    """The `loyalty import` options for this file."""
    return ["--format", fmt, *(["--map", GENERIC_MAP] if fmt == "generic" else [])]
