"""What the suggestion service hands out: plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from loyalty_app.views import json_field


@dataclass(frozen=True)
class StatsStatus:
    """When the statistics were built and how far behind the sales they are (rebuild when stale)."""

    built_at: str | None
    purchases_behind: int
    stale: bool
    refill_changes: int
    reminder_signal: str


@dataclass(frozen=True)
class RebuildResult:
    """What a rebuild counted (everything but ``cancelled`` is None when it was cancelled)."""

    cancelled: bool
    lines: int | None = None
    baskets: int | None = None
    customers: int | None = None
    products: int | None = None
    pairs: int | None = None
    rhythms: int | None = None
    weights: dict[str, float] | None = None
    reminder_signal: str | None = None
    tuned_at: str | None = None
    size_elasticity: float | None = None
    refill_rhythms: int | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class RefillDue:
    """A product the customer rebuys on a rhythm, and when they will need it again."""

    product_id: int
    sku: str
    name: str
    family: str | None
    due_on: date
    days_overdue: int  # negative while not yet due
    status: str  # overdue | due | soon | later
    last_bought: date
    interval_days: int
    basis: str  # own rhythm | product interval | other buyers
    reason: str
    likelihood: float = json_field(digits=3, default=0.0)  # chance they buy it within 14 days (the due ranking)
    purchases: int = 0  # times bought (the frequency ranking)


class DueTally(NamedTuple):
    """Customers due to refill one product: already overdue, due within 7 days, later in the window."""

    product_id: int
    sku: str
    name: str
    overdue: int
    this_week: int
    later: int


class DueSummary(NamedTuple):
    """Who is due to refill in a window, by product (what to have on the shelf)."""

    customers: int  # customers with anything due
    products: list[DueTally]


@dataclass(frozen=True)
class Suggestion:
    """One thing to offer at the counter, with a reason a cashier can read aloud."""

    product_id: int
    sku: str
    name: str
    kind: str  # refill | cross-sell | up-sell | new
    reason: str
    score: float = json_field(digits=4)
