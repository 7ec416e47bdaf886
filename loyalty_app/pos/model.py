"""What every POS connector hands the sync engine: orders (sales and returns) in one shape, page by page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from loyalty_app.errors import ValidationError
from loyalty_app.importers.records import Line, Person

KINDS = ("square", "shopify", "loyverse")


@dataclass
class PosOrder:
    """One POS order (or refund) as of one version, ready to become a purchase or a return."""

    order_id: str  # the POS's id of this order, refund or receipt (pos_orders key)
    key: str  # purchases.external_id (sales) or returns.external_id: the same key a file import of it uses
    version: str  # any change of it means the order was edited at the till
    updated_at: str  # the POS's own update time: the pull's watermark
    occurred_at: str  # UTC ISO
    kind: str  # 'sale' | 'return'
    person: Person | None = None
    store: str | None = None
    lines: list[Line] = field(default_factory=list)
    sale_order_id: str | None = None  # a return: the POS id of the sale it takes back
    sale_key: str | None = None  # a return: that sale's purchases.external_id
    cancelled: bool = False  # a sale cancelled or voided at the till: whatever it earned is taken back
    discount_cents: int = 0  # discounts the till applied to the whole order (a redemption keyed in)


@dataclass
class Page:
    orders: list[PosOrder]
    cursor: str | None  # the next page, None at the end


class Connector(Protocol):
    """One POS's API: orders updated since a time, page after page, and its customers by id."""

    source: str

    def pages(self, since: str, cursor: str | None) -> Iterator[Page]: ...

    def customer(self, pos_id: str) -> Person | None: ...

    def warnings(self, since: str) -> list[str]: ...


@dataclass
class PullSummary:
    connection: str
    kind: str
    status: str = "done"  # done | failed
    error: str | None = None
    pages: int = 0
    orders_seen: int = 0
    sales_applied: int = 0
    sales_reapplied: int = 0
    sales_adopted: int = 0  # already imported from a file: linked, not written again
    returns_applied: int = 0
    cancelled: int = 0
    unchanged: int = 0
    rejected: int = 0
    redemptions_confirmed: int = 0
    customers_created: int = 0
    points_awarded: int = 0
    points_reversed: int = 0
    watermark: str | None = None
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def cents(amount: Any, what: str = "amount") -> int:
    """A decimal amount in the currency's main unit (Shopify's "12.50", Loyverse's 12.5) → integer cents."""
    try:
        d = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except ArithmeticError as exc:
        raise ValidationError(f"the {what} '{amount}' is not a number") from exc
    return int((d * 100).to_integral_value(ROUND_HALF_UP))


def whole(qty: Any, what: str = "quantity") -> int:
    """A POS quantity ("2", 2.0): a fraction (0.5 kg) is one portion with the exact amount, as imports do."""
    try:
        d = qty if isinstance(qty, Decimal) else Decimal(str(qty))
    except ArithmeticError as exc:
        raise ValidationError(f"the {what} '{qty}' is not a number") from exc
    d = abs(d)
    if d == 0:
        raise ValidationError("a line with quantity zero")
    return int(d) if d == d.to_integral_value() else 1


def api_time(text: Any) -> str:
    """A POS API's ISO-8601 time ('2026-11-20T10:00:00.000Z', '+01:00' offsets) as our UTC text."""
    from loyalty_app.clock import from_iso, to_iso
    try:
        return to_iso(from_iso(str(text)))
    except ValueError as exc:
        raise ValidationError(f"'{text}' is not a time") from exc
