"""Who may be emailed: recorded consent and an address, never unsubscribed or bounced, within the frequency cap."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from db import customers_queries as cq
from db import mail_queries as mq
from loyalty_app.clock import to_iso
from loyalty_app.context import ShopContext, Staff
from loyalty_app.errors import NotFound, ValidationError
from loyalty_app.mail.deps import MailDeps


@dataclass(frozen=True)
class Suppressed:
    """An address put on the suppression list: never emailed again."""

    email: str
    reason: str
    customer_id: int | None
    cancelled_queued: int


def contactable(ctx: ShopContext) -> dict[int, dict[str, Any]]:
    """Customers with an email and recorded consent, not merged, erased, unsubscribed or bounced."""
    return mq.contactable_customers(ctx.db)


def capped(ctx: ShopContext, cap_days: int) -> set[int]:
    """Customers who already had a marketing email (sent or queued) within the shop-wide cap window."""
    if cap_days <= 0:
        return set()
    since = to_iso(ctx.now() - timedelta(days=cap_days))
    return mq.recently_mailed(ctx.db, since)


def ensure_token(ctx: ShopContext, customer_id: int) -> str:
    """The customer's unsubscribe token (made on first use, inside the caller's transaction)."""
    token = mq.get_token(ctx.db, customer_id)
    if token is None:
        token = secrets.token_urlsafe(12)
        mq.insert_token(ctx.db, customer_id, token)
    return token


def suppress(shop: MailDeps, email: str, reason: str, source: str, detail: str | None = None,
             actor: Staff | None = None) -> Suppressed:
    """Put an address on the suppression list, revoke the matching customer's consent and cancel queued mail."""
    address = email.strip()
    if "@" not in address:
        raise ValidationError(f"'{email}' is not an email address")
    ctx = shop.ctx
    now = ctx.now_iso()
    row = cq.find_customer_by_email(ctx.db, address)
    with ctx.write():
        mq.upsert_suppression(ctx.db, address.lower(), reason, source, detail, now)
        cancelled = mq.cancel_queued_to(ctx.db, address, reason, now)
        if row is not None and row["email_consent"]:
            shop.customers.set_email_consent(row["id"], False, source=f"{reason} ({source})", actor=actor)
        ctx.audit(f"mail.{reason}", address, {"source": source, "detail": detail, "cancelled": cancelled}, actor)
    return Suppressed(address.lower(), reason, row["id"] if row else None, cancelled)


def unsubscribe(shop: MailDeps, email: str, source: str = "command line", actor: Staff | None = None) -> Suppressed:
    """`loyalty unsubscribe EMAIL`: never email this address again (known customer or not)."""
    return suppress(shop, email, "unsubscribed", source, None, actor)


def unsubscribe_token(shop: MailDeps, token: str, source: str = "unsubscribe email") -> Suppressed:
    row = mq.customer_for_token(shop.ctx.db, token)
    if row is None or not row["email"]:
        raise NotFound("no customer has that unsubscribe token")
    return suppress(shop, row["email"], "unsubscribed", source, f"token {token}")
