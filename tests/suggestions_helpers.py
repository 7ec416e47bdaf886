"""Small hand-made purchase histories for the suggestion tests."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from loyalty_app.sales import SaleItem
from loyalty_app.shop import Shop
from tests.conftest import NOW

_phones = count(10)


def customer(shop: Shop, name: str) -> int:
    return shop.customers.sign_up(f"+1415555{next(_phones) % 90 + 110:04d}", name=name).id


def buy(shop: Shop, customer_id: int | None, days_ago: float, *items: str | tuple[str, int]) -> int:
    """One purchase ``days_ago`` days before the test clock's now; items are SKUs or (SKU, qty)."""
    sale = [SaleItem(i) if isinstance(i, str) else SaleItem(i[0], i[1]) for i in items]
    return shop.sales.record_sale(customer_id, sale, occurred_at=NOW - timedelta(days=days_ago)).purchase_id
