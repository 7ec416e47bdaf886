"""A person's data on request: everything held about them, and erasure that keeps anonymous sales."""

from __future__ import annotations

from typing import Any

from db import privacy_queries as q
from loyalty_app.context import Staff
from loyalty_app.shop import Shop


def export_customer(shop: Shop, customer_id: int, *, actor: Staff | None = None) -> dict[str, Any]:
    """Everything held about one customer (owner): profile, phones, cards, consent, purchases, ledger, ids."""
    owner = shop.ctx.require_owner(actor, "exporting a customer's data")
    c = shop.customers.get(customer_id)
    data = {"customer": q.customer_row(shop.ctx.db, c.id), **q.everything_about(shop.ctx.db, c.id)}
    with shop.ctx.write():
        shop.ctx.audit("customer.export", str(c.id), {}, owner)
    return data


def erase_customer(shop: Shop, customer_id: int, *, actor: Staff | None = None) -> dict[str, Any]:
    """Remove a person's name, email, phones, cards and POS ids (owner). Their sales stay, anonymous, so the
    reports stay true; the points ledger stays for the accounts; consent is withdrawn."""
    owner = shop.ctx.require_owner(actor, "erasing a customer")
    c = shop.customers.get(customer_id)
    with shop.ctx.write():
        q.erase_personal_data(shop.ctx.db, c.id, shop.ctx.now_iso())
        shop.ctx.audit("customer.erase", str(c.id), {}, owner)
        shop.ctx.emit("customer.erased", c.uuid, {})
    q.fold_write_ahead_log(shop.ctx.db)
    return {"customer_id": c.id, "erased": True}
