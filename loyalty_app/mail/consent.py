"""Who may be emailed: consent to the email's type and an address, never unsubscribed or bounced, within the
frequency cap; unsubscribe links that withdraw one type (or all of them) and say which campaign they came from."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from db import customers_queries as cq
from db import mail_queries as mq
from loyalty_app.clock import to_iso
from loyalty_app.consent_types import CONSENT_TYPES, KIND_TYPE, LABELS
from loyalty_app.context import ShopContext, Staff
from loyalty_app.errors import NotFound, ValidationError
from loyalty_app.mail.deps import MailDeps


@dataclass(frozen=True)
class Suppressed:
    """An unsubscribe or a bounce applied: the address, why, whose it was, and the queued emails cancelled.
    ``consent_type`` is the one type withdrawn, or 'all' (then the address is on the suppression list)."""

    email: str
    reason: str
    customer_id: int | None
    cancelled_queued: int
    consent_type: str = "all"


@dataclass(frozen=True)
class Contact:
    """A customer who may receive an email of a given type now."""

    id: int
    uuid: str
    name: str | None
    email: str


@dataclass(frozen=True)
class UnsubscribeLinks:
    """The tokens one email carries: withdraw this email's type, or every type."""

    this_type: str
    every_type: str


def contactable(ctx: ShopContext, consent_type: str) -> dict[int, Contact]:
    """Customers with an email and consent to this type, not merged, erased, unsubscribed or bounced."""
    if consent_type not in CONSENT_TYPES:
        raise ValidationError(f"unknown consent type '{consent_type}'")
    return {r["id"]: Contact(r["id"], r["uuid"], r["name"], r["email"])
            for r in mq.contactable_customers(ctx.db, consent_type)}


def capped(ctx: ShopContext, cap_days: int) -> set[int]:
    """Customers who already had a marketing email (sent or queued) within the shop-wide cap window."""
    if cap_days <= 0:
        return set()
    since = to_iso(ctx.now() - timedelta(days=cap_days))
    return mq.recently_mailed(ctx.db, since)


def preview_key(kind: str, product_id: int | None) -> str:
    """Which email a preview shows before its campaign exists: 'announce:<product id>', or the kind."""
    return f"{kind}:{product_id}" if product_id is not None else kind


def _link(ctx: ShopContext, customer_id: int, consent_type: str, campaign_id: int | None, preview_of: str) -> str:
    token = mq.get_unsubscribe_link(ctx.db, customer_id, consent_type, campaign_id,
                                    None if campaign_id is not None else preview_of)
    if token is None and campaign_id is not None:
        # A preview made before its campaign existed: the email carries the very link the preview of this email
        # showed (or, from before previews said which email, the one made without a campaign).
        for shown in (preview_of, None):
            token = mq.get_unsubscribe_link(ctx.db, customer_id, consent_type, None, shown)
            if token is not None:
                mq.set_unsubscribe_link_campaign(ctx.db, token, campaign_id)
                break
    if token is None:
        token = new_token()
        mq.insert_unsubscribe_link(ctx.db, {"token": token, "customer_id": customer_id, "consent_type": consent_type,
                                            "campaign_id": campaign_id, "created_at": ctx.now_iso(),
                                            "preview_of": None if campaign_id is not None else preview_of})
    return token


def new_token() -> str:
    """Random: nothing in it can be guessed or counted up; never starting with '-', which a command line would
    take for an option (`loyalty unsubscribe --token -x...`)."""
    while (token := secrets.token_urlsafe(12)).startswith("-"):
        pass
    return token


def ensure_links(ctx: ShopContext, customer_id: int, kind: str, campaign_id: int | None,
                 preview_of: str | None = None) -> UnsubscribeLinks:
    """The unsubscribe tokens of an email of this kind (made on first use, inside the caller's transaction);
    ``preview_of`` (see preview_key) names the email when its campaign does not exist yet."""
    if preview_of is None:
        campaign = mq.get_campaign(ctx.db, campaign_id) if campaign_id is not None else None
        preview_of = preview_key(kind, campaign["product_id"] if campaign else None)
    return UnsubscribeLinks(_link(ctx, customer_id, KIND_TYPE[kind], campaign_id, preview_of),
                            _link(ctx, customer_id, "all", campaign_id, preview_of))


def preview_links(ctx: ShopContext, customer_id: int, kind: str, campaign_id: int | None,
                  product_id: int | None = None) -> UnsubscribeLinks:
    """The links a preview shows: those the email will carry (made now, a tiny write, only when missing). Before
    the campaign exists they belong to this email alone (the product's announcement, or the reminder)."""
    shown = None if campaign_id is not None else preview_key(kind, product_id)
    found = [mq.get_unsubscribe_link(ctx.db, customer_id, t, campaign_id, shown) for t in (KIND_TYPE[kind], "all")]
    if found[0] and found[1]:
        return UnsubscribeLinks(found[0], found[1])
    with ctx.write():
        return ensure_links(ctx, customer_id, kind, campaign_id, preview_key(kind, product_id))


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


def unsubscribe_token(shop: MailDeps, token: str, source: str = "unsubscribe email",
                      everything: bool = False) -> Suppressed:
    """Apply an email's unsubscribe link: withdraw its type (or every type), noting the campaign it came from."""
    row = mq.customer_for_token(shop.ctx.db, token)
    if row is None:
        raise NotFound("no customer has that unsubscribe token")
    customer = shop.customers.get(row["id"])  # a merged duplicate's link speaks for the customer it joined
    if not customer.email:
        raise NotFound("the customer of that unsubscribe token has no email address any more")
    kind = "all" if everything else str(row["consent_type"])
    ctx = shop.ctx
    with ctx.write():
        if kind == "all":
            done = suppress(shop, customer.email, "unsubscribed", source, f"token {token}")
        else:
            now = ctx.now_iso()
            shop.customers.set_consent(customer.id, {kind: False}, source)
            kinds = [k for k, t in KIND_TYPE.items() if t == kind]
            cancelled = mq.cancel_queued_kinds(ctx.db, customer.id, kinds, f"unsubscribed from {LABELS[kind]}", now)
            ctx.audit("mail.unsubscribed", customer.email, {"source": source, "type": kind, "cancelled": cancelled})
            done = Suppressed(customer.email.lower(), "unsubscribed", customer.id, cancelled, kind)
        mq.insert_unsubscribe(ctx.db, {"customer_id": customer.id, "campaign_id": row["campaign_id"],
                                       "consent_type": kind, "source": source, "at": ctx.now_iso()})
    return done
