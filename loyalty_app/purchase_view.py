"""A recorded purchase as the slip, the return dialog and the tests read it: its lines and its returns."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

from db.rows import Row

T = TypeVar("T")


def from_row(cls: type[T], row: Row, **extra: Any) -> T:
    """``cls`` filled from the row's columns of the same names (other columns, e.g. ones a later schema adds,
    are left out)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    return cls(**{n: row[n] for n in names if n not in extra}, **extra)


_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True)
class PurchaseLine:
    """One line: the product, what was paid and earned on it, and how many have come back."""

    id: int
    uuid: str
    purchase_id: int
    line_no: int
    product_id: int
    qty: int
    unit_price_cents: int
    line_discount_cents: int
    net_cents: int
    redeem_discount_cents: int
    tax_cents: int
    points_earned: int
    points_redeemed: int
    returned_qty: int
    sku: str
    name: str
    size: str | None


@dataclass(frozen=True)
class PurchaseReturn:
    """A return against the purchase: the money given back and the points taken back or restored."""

    id: int
    uuid: str
    purchase_id: int
    staff_id: int | None
    occurred_at: str
    refund_cents: int
    points_reversed: int
    points_restored: int
    source: str
    external_id: str | None
    reason: str | None


@dataclass(frozen=True)
class Purchase:
    """A purchase with its lines and what has been returned of each."""

    id: int
    uuid: str
    customer_id: int | None
    store_id: int | None
    register: str | None
    staff_id: int | None
    occurred_at: str
    subtotal_cents: int
    redeem_discount_cents: int
    tax_cents: int
    total_cents: int
    points_earned: int
    points_redeemed: int
    source: str
    external_id: str | None
    created_at: str
    store: str | None
    lines: list[PurchaseLine]
    returns: list[PurchaseReturn]
