"""Finding a customer from whatever the cashier typed or scanned (phone in any format, card, name or email), and
the profile the counter paints: its typed views and how it is built."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any

from db import counter_reads as cr
from db import customers_queries as q
from db import suggestion_queries as sq
from db import tags_queries as tq
from loyalty_app import i18n
from loyalty_app.cards import looks_like_card
from loyalty_app.context import ShopContext
from loyalty_app.customers import Customer, CustomerService, CustomerSummary
from loyalty_app.errors import NotFound
from loyalty_app.limits import MAX_ROW_ID
from loyalty_app.phones import looks_like_phone, mask_phone, normalize_phone, north_american_e164
from loyalty_app.points_rules import PointsProgram


@dataclass(frozen=True, slots=True)
class PurchaseLineView:
    """One line of a past purchase, as the counter's history shows it."""

    line_id: int
    product_id: int
    sku: str
    name: str
    size: str | None
    family: str | None
    category: str | None
    qty: int
    returned_qty: int
    unit_price_cents: int
    net_cents: int


@dataclass(frozen=True, slots=True)
class PurchaseView:
    """One past purchase of a customer, newest first in a profile's history."""

    purchase_id: int
    purchase_uuid: str
    occurred_at: str
    store: str | None
    total_cents: int
    points_earned: int
    points_redeemed: int
    lines: tuple[PurchaseLineView, ...]


@dataclass(frozen=True, slots=True)
class RefillDueView:
    """A product the customer rebuys on a rhythm: when it is due and why (due_on as shop-local ISO date)."""

    sku: str
    name: str
    due_on: str
    days_overdue: int
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class SuggestionView:
    """Something to suggest at the counter, with the reason to read aloud."""

    sku: str
    name: str
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class CounterHints:
    """What an enricher adds to a profile (the suggestions feature: refill dates and suggestions)."""

    refill_due: tuple[RefillDueView, ...] = ()
    suggestions: tuple[SuggestionView, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomerProfile(CustomerSummary):
    """Everything the counter shows of a customer: the summary, the points' value, last basket, whole history,
    and what is due for a refill and worth suggesting."""

    points_value_cents: int
    member_since: str
    last_basket: tuple[PurchaseLineView, ...]
    history: tuple[PurchaseView, ...]
    refill_due: tuple[RefillDueView, ...] = ()
    suggestions: tuple[SuggestionView, ...] = ()


@dataclass(frozen=True, slots=True)
class CounterProfile:
    """What the counter paints on Enter, read at once: the customer's profile and the points program in force."""

    profile: CustomerProfile
    program: PointsProgram


@dataclass
class LookupResult:
    """What a lookup found. ``phone`` is the normalised number when the query was one (to offer sign-up)."""

    kind: str  # card | phone | email | name | id (#12) | pos (pos:ID) | last4 (4567)
    matches: list[Customer] = field(default_factory=list)
    phone: str | None = None
    matched_phones: dict[int, str] = field(default_factory=dict)  # last4: the phone of each match that ends so


COUNTER_HISTORY_PAGE = 25
"""Purchases the counter's profile opens with; its history table fetches older ones a page at a time."""

CUSTOMER_NUMBER = re.compile(r"#\s*\d{1,12}")
LAST_FOUR = re.compile(r"\d{4}")


def fts_query(text: str) -> str | None:
    """Prefix match on every word: 'ada lov' → '"ada"* "lov"*' (quotes keep FTS syntax inert)."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    if not words:
        return None
    return " ".join('"' + w.replace('"', "") + '"*' for w in words[:8])


class LookupService:
    def __init__(self, ctx: ShopContext, customers: CustomerService) -> None:
        self.ctx = ctx
        self.customers = customers
        self.enrichers: list[Callable[[int], CounterHints]] = []  # suggestions add refill_due, suggestions

    def find(self, text: str, limit: int = 20) -> LookupResult:
        """Classify and search. Raises PhoneError/CardError (ValidationError) with a reason for bad input."""
        t = text.strip()
        if not t:
            return LookupResult("name")
        if CUSTOMER_NUMBER.fullmatch(t):
            return LookupResult("id", self._by_number(int(t.lstrip("#").strip())))
        if LAST_FOUR.fullmatch(t):
            return self._by_last_four(t, limit)
        if t[:4].lower() == "pos:" and t[4:].strip():
            return LookupResult("pos", self._by_pos_id(t[4:].strip()))
        if looks_like_card(t):
            return LookupResult("card", [self.customers.customer_for_card(t)])
        if looks_like_phone(t):
            # A customer's number is valid: typed as one, it is found without parsing it (half of a lookup).
            quick = north_american_e164(t, self.ctx.region)
            row = cr.get_customer_by_phone(self.ctx.db, quick) if quick else None
            e164 = quick if quick and row is not None else normalize_phone(t, self.ctx.region)
            if row is None and e164 != quick:
                row = cr.get_customer_by_phone(self.ctx.db, e164)
            if row is None:
                return LookupResult("phone", [], e164)
            found = self.customers.get(row["id"]) if row["merged_into"] else Customer.from_row(row)
            return LookupResult("phone", [found], e164)
        if "@" in t:
            row = q.find_customer_by_email(self.ctx.db, t)
            if row:
                return LookupResult("email", [self.customers.get(row["id"])])
        query = fts_query(t)
        rows = q.search_customers(self.ctx.db, query, limit) if query else []
        return LookupResult("email" if "@" in t else "name", [Customer.from_row(r) for r in rows])

    def count_matches(self, text: str) -> int:
        """How many customers a name or email fragment matches in all (``find`` returns the first ``limit``)."""
        query = fts_query(text.strip())
        return q.count_search_customers(self.ctx.db, query) if query else 0

    def _by_number(self, customer_id: int) -> list[Customer]:
        """Our customer number as the command line prints it (#12); a merged duplicate opens its survivor."""
        row = q.get_customer(self.ctx.db, customer_id)
        if row is None or row["erased_at"]:
            return []
        return [self.customers.get(customer_id)]

    def _by_last_four(self, digits: str, limit: int) -> LookupResult:
        """Everyone with a phone ending in these four digits (most recent visitors first), with that phone."""
        result = LookupResult("last4")
        for r in tq.find_customers_by_last_four(self.ctx.db, digits, limit):
            if r["id"] not in result.matched_phones:
                result.matches.append(Customer.from_row(r))
                result.matched_phones[r["id"]] = r["matched_phone"]
        return result

    def _by_pos_id(self, external_id: str) -> list[Customer]:
        """The POS's own customer id kept by an import (``pos:CUST-ADA``), whichever till it came from."""
        found: dict[int, Customer] = {}
        # As typed first; then, for a cashier who typed 'pos:gq7zx…' for Square's 'GQ7ZX…', in capitals or small.
        for text in dict.fromkeys((external_id, external_id.upper(), external_id.lower())):
            for r in q.find_customers_by_pos_id(self.ctx.db, text):
                c = self.customers.get(r["id"])
                found.setdefault(c.id, c)
            if found:
                break
        return list(found.values())

    def find_one(self, text: str) -> Customer:
        """Exactly one customer, or NotFound/ValidationError explaining why not (for the command line)."""
        result = self.find(text)
        if not result.matches:
            raise NotFound(f"no customer matches '{text}'")
        if len(result.matches) > 1:
            names = ", ".join(f"#{c.id} {c.name or ''}".rstrip() + self._masked(result, c.id)
                              for c in result.matches[:5])
            raise NotFound(f"'{text}' matches {len(result.matches)} customers ({names}); be more precise")
        return result.matches[0]

    def _masked(self, result: LookupResult, customer_id: int) -> str:
        e164 = result.matched_phones.get(customer_id)
        return f" {mask_phone(e164, self.ctx.region)}" if e164 else ""

    def profile(self, customer_id: int, history_limit: int | None = None) -> CustomerProfile:
        """Everything the counter shows: identity, balance and its value, last basket, the whole history (or its
        newest ``history_limit`` purchases; ``history_page`` gives the rest), and what the enrichers add (refill
        dates and suggestions): the day's prepared hints when they still answer (see prepare_hints), else
        computed now."""
        return self.counter_profile(customer_id, history_limit).profile

    def counter_profile(self, customer_id: int, history_limit: int | None = None) -> CounterProfile:
        """The profile (see ``profile``) and the points program it was valued with, in the same read."""
        day, context = hints_key(self.ctx) if self.enrichers else (0, "")
        rows = (cr.get_profile_rows(self.ctx.db, customer_id, history_limit, day, context)
                if 0 < customer_id <= MAX_ROW_ID else None)
        if rows is None or rows.customer["merged_into"]:  # a merged duplicate opens its survivor
            rows = cr.get_profile_rows(self.ctx.db, self.customers.get(customer_id).id, history_limit, day, context)
            assert rows is not None
        c = Customer.from_row(rows.customer)
        hints = decode_hints(rows.hints) if rows.hints is not None else self.hints(c.id)
        history = self._purchases(rows.history)
        balance = max(c.points_balance, 0)
        program = (PointsProgram(**{f.name: rows.program[f.name] for f in fields(PointsProgram)})
                   if rows.program is not None else PointsProgram())
        return CounterProfile(CustomerProfile(
            c.id, c.uuid, c.name, tuple(rows.phones), tuple(rows.cards), c.email, c.email_consent, c.consent,
            c.points_balance, c.created_at, c.last_visit_at, c.notes, tuple(rows.tags),
            points_value_cents=program.value_of(balance - balance % program.redeem_step),
            member_since=c.created_at,
            last_basket=history[0].lines if history else (),
            history=tuple(history),
            refill_due=hints.refill_due,
            suggestions=hints.suggestions,
        ), program)

    def hints(self, customer_id: int) -> CounterHints:
        """What every enricher adds to the customer's profile, computed now."""
        refill_due: tuple[RefillDueView, ...] = ()
        suggestions: tuple[SuggestionView, ...] = ()
        for enrich in self.enrichers:
            hints = enrich(customer_id)
            refill_due, suggestions = refill_due + hints.refill_due, suggestions + hints.suggestions
        return CounterHints(refill_due, suggestions)

    def prepare_hints(self, cancelled: Callable[[], bool] = lambda: False, batch: int = 200) -> int:
        """The day's hints of every current customer not prepared yet, stored for the counter to read (a job at
        start, after the statistics rebuild). A customer who buys, returns or is merged meanwhile, a product
        changed or a rebuild meanwhile leave theirs to be computed at the counter. Returns how many it stored."""
        if not self.enrichers:
            return 0
        db = self.ctx.db
        day, context = hints_key(self.ctx)
        todo = sorted(sq.list_current_customer_ids(db) - cr.list_hinted_customers(db, day, context))
        stored = 0
        for start in range(0, len(todo), batch):
            if cancelled() or hints_key(self.ctx) != (day, context):
                break
            inputs, seq = _hint_inputs(db), sq.max_due_dirty_seq(db)
            rows = [(cid, day, context, seq, encode_hints(self.hints(cid))) for cid in todo[start:start + batch]]
            with self.ctx.write():
                if _hint_inputs(db) != inputs:
                    break  # ranked with a catalogue or statistics replaced meanwhile
                cr.insert_hints(db, rows, seq)
            stored += len(rows)
        return stored

    def history_page(self, customer_id: int, before: PurchaseView | None = None, limit: int | None = 50
                     ) -> tuple[PurchaseView, ...]:
        """The next ``limit`` purchases (None: all the rest) of a customer older than ``before`` (the last one
        shown), newest first: the counter's history table loads a long history a page at a time, as the cashier
        scrolls, searches or sorts."""
        cursor = None if before is None else (before.occurred_at, before.purchase_id)
        return tuple(self._history(customer_id, limit, cursor))

    def _history(self, customer_id: int, limit: int | None, before: tuple[str, int] | None) -> list[PurchaseView]:
        return self._purchases(cr.customer_history(self.ctx.db, customer_id, limit, before))

    @staticmethod
    def _purchases(rows: list[tuple[Any, ...]]) -> list[PurchaseView]:
        history: list[PurchaseView] = []
        head: tuple[Any, ...] | None = None
        lines: list[PurchaseLineView] = []
        cut = cr.HISTORY_PURCHASE_COLUMNS
        for r in rows:
            if head is None or head[0] != r[0]:
                if head is not None:
                    history.append(_purchase(head, lines))
                head, lines = r, []
            lines.append(PurchaseLineView(*r[cut:]))
        if head is not None:
            history.append(_purchase(head, lines))
        return history


def hints_key(ctx: ShopContext) -> tuple[int, str]:
    """The local day and the context (currency, the language and locale in use, the zone's offset) the counter's
    hints are ranked for: their reasons are sentences with amounts in them."""
    now = ctx.now().astimezone(ctx.zone)
    offset = (now.utcoffset() or timedelta()).total_seconds()
    return now.date().toordinal(), f"{HINTS_FORMAT}|{ctx.currency}|{i18n.current_locale()}|{offset:.0f}"


HINTS_FORMAT = "v1"  # of the stored JSON; another spelling of it stops old rows answering


def encode_hints(hints: CounterHints) -> str:
    return json.dumps([[list(r) for r in _fields(hints.refill_due)], [list(s) for s in _fields(hints.suggestions)]],
                      separators=(",", ":"))


def decode_hints(text: str) -> CounterHints:
    refill_due, suggestions = json.loads(text)
    return CounterHints(tuple(RefillDueView(*r) for r in refill_due), tuple(SuggestionView(*s) for s in suggestions))


def _fields(views: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(v, f) for f in v.__slots__) for v in views]


def _hint_inputs(db: Any) -> tuple[Any, ...]:
    """What every stored hint depends on besides the customer and the day: the catalogue and the statistics."""
    return sq.catalogue_version(db), sq.get_stats_meta(db).get("built_at")


def _purchase(h: tuple[Any, ...], lines: list[PurchaseLineView]) -> PurchaseView:
    return PurchaseView(h[0], h[1], h[2], h[3], h[4], h[5], h[6], tuple(lines))
