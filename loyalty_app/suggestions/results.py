"""What the suggestion service hands out: plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple


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
    likelihood: float = 0.0  # chance they buy it within 14 days (the due ranking)
    purchases: int = 0  # times bought (the frequency ranking)

    def as_dict(self) -> dict[str, Any]:
        return {"product_id": self.product_id, "sku": self.sku, "name": self.name, "family": self.family,
                "due_on": self.due_on.isoformat(), "days_overdue": self.days_overdue, "status": self.status,
                "last_bought": self.last_bought.isoformat(), "interval_days": self.interval_days,
                "basis": self.basis, "reason": self.reason, "likelihood": round(self.likelihood, 3),
                "purchases": self.purchases}


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
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"product_id": self.product_id, "sku": self.sku, "name": self.name, "kind": self.kind,
                "reason": self.reason, "score": round(self.score, 4)}
