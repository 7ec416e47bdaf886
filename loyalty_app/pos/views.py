"""What the POS service hands the counter, the status bar and the CLI: a connection's state, a held
redemption, an attached sale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ConnectionStatus:
    """One POS connection as the owner sees it: where it pulls from, how far it got, what it refused."""

    name: str
    kind: str
    api_base: str
    location: str | None
    token: str  # where the token is kept, never the token
    since: str
    pulled_up_to: str | None
    resuming: bool
    last_pull_at: str | None
    last_status: str | None
    last_error: str | None
    sales: int
    returns: int
    skipped: int
    rejected: int
    rejected_orders: list[dict[str, Any]]
    warnings: list[str]
    redemptions_pending: int


@dataclass(frozen=True)
class HeldRedemption:
    """Points taken at our counter for a basket rung on the POS: the discount the cashier keys into the till."""

    id: int
    customer: str | None
    points: int
    discount_cents: int
    key_into_pos: str
    expires_at: str
    points_balance: int


@dataclass(frozen=True)
class AttachedSale:
    """An anonymous POS sale given to a customer, with the points it earned."""

    order: str
    customer_id: int
    customer: str | None
    purchase_id: int
    points_earned: int
    points_balance: int | None


@dataclass(frozen=True)
class AnonymousOrder:
    """A recent POS sale with no customer: what the counter may attach to the customer in front of it."""

    pos_order_id: str
    occurred_at: str
    purchase_id: int
    total_cents: int
    connection: str


@dataclass(frozen=True)
class PendingRedemption:
    """Points held for a basket rung on the POS, waiting for the order that carries the discount."""

    id: int
    uuid: str
    customer_id: int
    points: int
    discount_cents: int
    status: str  # pending
    created_at: str
    expires_at: str
    settled_at: str | None
    connection_id: int | None
    pos_order_id: str | None
    staff_id: int | None
