"""A person's data on request: everything held about them, and erasure that keeps anonymous sales."""

from __future__ import annotations

from dataclasses import dataclass

from db import privacy_queries as q
from db.rows import Row
from loyalty_app.context import ShopContext, Staff
from loyalty_app.customers import CustomerService
from loyalty_app.views import json_field


@dataclass(frozen=True)
class CustomerExport:
    """Everything held about one person: their customer row, then every row naming them by table (phones,
    cards, consent_events, purchases, purchase_lines, points_ledger, mail_outbox, ...), as the export writes it."""

    customer: Row | None
    tables: dict[str, list[Row]] = json_field(spread=True)


@dataclass(frozen=True)
class ErasedCustomer:
    customer_id: int
    erased: bool = True


class PrivacyService:
    def __init__(self, ctx: ShopContext, customers: CustomerService) -> None:
        self.ctx = ctx
        self.customers = customers

    def export_customer(self, customer_id: int, *, actor: Staff | None = None) -> CustomerExport:
        """Everything held about one customer (owner): profile, phones, cards, consent, purchases, ledger, ids."""
        owner = self.ctx.require_owner(actor, "exporting a customer's data")
        c = self.customers.get(customer_id)
        data = CustomerExport(q.customer_row(self.ctx.db, c.id), q.everything_about(self.ctx.db, c.id))
        with self.ctx.write():
            self.ctx.audit("customer.export", str(c.id), {}, owner)
        return data

    def erase_customer(self, customer_id: int, *, actor: Staff | None = None) -> ErasedCustomer:
        """Remove a person's name, email, phones, cards and POS ids (owner). Their sales stay, anonymous, so the
        reports stay true; the points ledger stays for the accounts; consent is withdrawn."""
        owner = self.ctx.require_owner(actor, "erasing a customer")
        c = self.customers.get(customer_id)
        with self.ctx.write():
            q.erase_personal_data(self.ctx.db, c.id, self.ctx.now_iso())
            self.ctx.audit("customer.erase", str(c.id), {}, owner)
            self.ctx.emit("customer.erased", c.uuid, {})
        q.fold_write_ahead_log(self.ctx.db)
        return ErasedCustomer(c.id)
