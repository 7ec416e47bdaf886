"""Typed views that cross from loyalty_app to the screens and the command line, and their JSON form."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


def plain(value: Any) -> Any:
    """``value`` with every dataclass in it turned into a dict of its fields, in order (lists and dicts
    followed): what ``--json`` prints, exactly as when services returned dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


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
class CustomerSummary:
    """Who a customer is: identity, phones, live cards, email consent, points (the CLI's --json of a customer)."""

    id: int
    uuid: str
    name: str | None
    phones: tuple[str, ...]
    cards: tuple[str, ...]
    email: str | None
    email_consent: bool
    points_balance: int
    created_at: str
    last_visit: str | None


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
