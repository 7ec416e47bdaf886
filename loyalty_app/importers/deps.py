"""What the importers need from the rest of the shop, handed to them by the composition root (shop.py)."""

from __future__ import annotations

from dataclasses import dataclass

from loyalty_app.context import ShopContext
from loyalty_app.customers import CustomerService
from loyalty_app.points import PointsService
from loyalty_app.products import ProductService
from loyalty_app.sales import SaleService


@dataclass(frozen=True)
class ImportDeps:
    """The services an import writes through: customers and products it creates, points, returns."""

    ctx: ShopContext
    customers: CustomerService
    products: ProductService
    points: PointsService
    sales: SaleService
