"""What the email feature needs from the rest of the shop, handed to it by the composition root (shop.py)."""

from __future__ import annotations

from dataclasses import dataclass

from loyalty_app.context import ShopContext
from loyalty_app.customers import CustomerService
from loyalty_app.products import ProductService
from loyalty_app.suggestions.service import SuggestionService


@dataclass(frozen=True)
class MailDeps:
    """The services the mailer reads and writes through; without suggestions it ranks audiences on its own."""

    ctx: ShopContext
    products: ProductService
    customers: CustomerService
    suggestions: SuggestionService | None = None
