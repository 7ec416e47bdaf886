"""Announcing a product: one campaign per product, a proposed audience with reasons, a stable control group."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, TypedDict

from db import mail_queries as mq
from loyalty_app.context import Staff, new_uuid
from loyalty_app.errors import NotFound, ValidationError
from loyalty_app.i18n import _
from loyalty_app.mail import audience, consent, drafts
from loyalty_app.mail import settings as mail_settings
from loyalty_app.mail.compose import Letter, render
from loyalty_app.mail.deps import MailDeps
from loyalty_app.mail.drafts import Picture, Wording
from loyalty_app.mail.outbox import Candidate, QueueResult, in_control, queue
from loyalty_app.money import format_money
from loyalty_app.products import Product


@dataclass(frozen=True)
class AudienceRow:
    customer_id: int
    name: str | None
    email: str
    score: float
    reason: str
    status: str  # mail | control | already | capped | excluded


@dataclass
class AnnouncePlan:
    product: dict[str, Any]
    campaign_id: int | None
    rows: list[AudienceRow] = field(default_factory=list)
    not_contactable: int = 0
    loosely_related: int = 0  # linked only by a common tag or the category: not proposed

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in ("mail", "control", "already", "capped", "excluded")}
        for r in self.rows:
            out[r.status] += 1
        out["not_contactable"] = self.not_contactable
        out["loosely_related"] = self.loosely_related
        return out

    def summary(self, sample: int = 20) -> PlanSummary:
        """The counts and the first recipients, as the command line shows them."""
        return PlanSummary(self.product, self.campaign_id, self.counts(),
                           [r for r in self.rows if r.status == "mail"][:sample])

    def nobody(self) -> str:
        """Why nobody would receive it, in one line."""
        c = self.counts()
        return (f"nothing to send to for {self.product['sku']}: {c['already']} already emailed, {c['capped']} "
                f"emailed too recently, {c['control']} in the control group, {c['not_contactable']} without "
                f"consent or email, {c['excluded']} excluded; nothing was queued")


@dataclass(frozen=True)
class PlanSummary:
    """Who would get an announcement: counts by status and a sample of recipients."""

    product: dict[str, Any]
    campaign_id: int | None
    counts: dict[str, int]
    sample: list[AudienceRow]


@dataclass(frozen=True)
class Preview:
    """An email exactly as one customer would receive it (the picture is the inline image ``cid:`` refers to)."""

    to: str
    to_name: str | None
    subject: str
    text: str
    html: str
    picture: Picture | None = None


def ab_split(recipients: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A or B for each (seed, customer uuid) of one send under an A/B split: two halves that differ by one at most
    (a coin per customer can send all eight of a small audience the same letter), in an order drawn from the seeds
    and uuids, so that nothing about the customer decides their half."""
    ranked = sorted(recipients, key=lambda r: hashlib.sha256(f"ab|{r[0]}|{r[1]}".encode()).digest())
    return {customer_uuid: "AB"[rank % 2] for rank, (_seed, customer_uuid) in enumerate(ranked)}


def product_for(shop: MailDeps, code: str | int) -> Product:
    """The product by SKU (or id); an unknown SKU is one line (NotFound)."""
    return _product(shop, code)


def _product(shop: MailDeps, code: str | int) -> Product:
    return shop.products.get(code) if isinstance(code, int) else shop.products.find(code)


def _related(shop: MailDeps, customer_id: int, target: Product) -> list[str]:
    """Up to three products this customer bought that make the new one relevant (shown in the email)."""
    names = []
    for p in mq.list_products_bought(shop.ctx.db, customer_id):
        tags = {t.strip().lower() for t in (p["tags"] or "").split(",") if t.strip()}
        if p["id"] == target.id:
            continue
        if (target.family and p["family"] == target.family) or (tags & {t.lower() for t in target.tags}) \
                or (target.category and p["category"] == target.category):
            names.append(p["name"])
    return names[:3]


class AnnouncedProduct(TypedDict):
    name: str
    sku: str
    price: str  # formatted in the shop's currency


class AnnounceContext(TypedDict):
    """What the announcement templates read."""

    product: AnnouncedProduct
    related: list[str]  # up to three products they bought that make this one relevant
    note: str | None


def _context(shop: MailDeps, product: Product, customer_id: int) -> AnnounceContext:
    return {"product": {"name": product.name, "sku": product.sku,
                        "price": format_money(product.price_cents, shop.ctx.currency)},
            "related": _related(shop, customer_id, product), "note": None}


def plan_announcement(shop: MailDeps, code: str | int, exclude: Iterable[int] = ()) -> AnnouncePlan:
    """Who would get the announcement now, who is held out as control, and why the rest would not."""
    product = _product(shop, code)
    ms = mail_settings.load(shop.ctx.settings)
    campaign = mq.get_announce_campaign(shop.ctx.db, product.id)
    plan = AnnouncePlan({"id": product.id, "sku": product.sku, "name": product.name},
                        campaign["id"] if campaign else None)
    members, plan.loosely_related = audience.new_product_audience(shop, product.id)
    ok = consent.contactable(shop.ctx, "announcements")
    recent = consent.capped(shop.ctx, ms.cap_days)
    decided = set()
    if campaign:
        decided = {k.split(":")[2] for k in mq.existing_keys(
            shop.ctx.db, [f"announce:{campaign['id']}:{m.customer_id}" for m in members])}
    excluded = set(exclude)
    pct = campaign["control_percent"] if campaign else ms.control_percent
    for m in members:
        c = ok.get(m.customer_id)
        if c is None:
            plan.not_contactable += 1
            continue
        if str(m.customer_id) in decided:
            status = "already"
        elif m.customer_id in excluded:
            status = "excluded"
        elif m.customer_id in recent:
            status = "capped"
        elif in_control(product_seed(shop, product), c.uuid, pct):
            status = "control"
        else:
            status = "mail"
        plan.rows.append(AudienceRow(m.customer_id, c.name, c.email, float(m.score), m.reason, status))
    return plan


def product_seed(shop: MailDeps, product: Product) -> str:
    """The control group's seed: the product's uuid, so the group is fixed before the campaign row exists."""
    return f"announce|{mq.get_product_uuid(shop.ctx.db, product.id)}"


def wording_for(shop: MailDeps, product: Product, wording: Wording | None) -> Wording:
    """The words to send: those given, else the product's kept draft, else the template's own (checked)."""
    if wording is None:
        draft = drafts.load(shop.ctx, "announce", product.id)
        if draft is None:
            return Wording()  # the templates' own subject and words
        wording = draft.wording
    return drafts.check(wording)


def default_subject(shop: MailDeps, product: Product) -> str:
    ms = mail_settings.load(shop.ctx.settings)
    return _("New at {shop}: {product}").format(shop=ms.from_name, product=product.name)  # as subjects.txt.j2


def announce(shop: MailDeps, code: str | int, actor: Staff | None = None, exclude: Iterable[int] = (),
             wording: Wording | None = None) -> QueueResult:
    """Owner-only: create or continue the product's campaign and queue its emails (delivery is separate), in the
    owner's words (``wording``; None: the product's kept draft, or the template's own words). Under an A/B split
    each recipient gets variant A or B at random, recorded with the decision."""
    shop.ctx.require_owner(actor, "announcing a product by email")
    ms = mail_settings.load(shop.ctx.settings)
    if not ms.configured:
        raise ValidationError("set up sending first: loyalty mail setup --host H --port N --from ADDRESS")
    product = _product(shop, code)
    words = wording_for(shop, product, wording)
    plan = plan_announcement(shop, product.id, exclude)
    with shop.ctx.write():
        campaign = mq.get_announce_campaign(shop.ctx.db, product.id)
        if campaign is None:
            cid = mq.insert_campaign(shop.ctx.db, {
                "uuid": new_uuid(), "kind": "announce", "product_id": product.id, "title": product.name,
                "control_percent": ms.control_percent, "created_at": shop.ctx.now_iso(),
                "created_by": shop.ctx.staff_id(actor)})
        else:
            cid = campaign["id"]
        picture_id = drafts.store_picture(shop.ctx, words.picture)
    # Everything is read and rendered outside long transactions; queue() decides in short ones.
    contactable = consent.contactable(shop.ctx, "announcements")
    seed = product_seed(shop, product)
    split = ab_split((seed, contactable[r.customer_id].uuid) for r in plan.rows
                     if r.status == "mail" and r.customer_id in contactable) if words.split else {}
    candidates = []
    for r in plan.rows:
        if r.status not in ("mail", "control") or r.customer_id not in contactable:
            continue
        c = contactable[r.customer_id]
        control = r.status == "control"
        variant = None if control else split.get(c.uuid)
        subject, message = words.variant(variant)
        candidates.append(Candidate(
            c, [(f"announce:{cid}:{r.customer_id}", product.id)], control,
            {} if control else _context(shop, product, r.customer_id), variant, subject, message or None,
            words.picture, picture_id))
    result = queue(shop.ctx, ms, cid, "announce", candidates)
    result.already += [r.customer_id for r in plan.rows if r.status == "already"]
    result.capped += [r.customer_id for r in plan.rows if r.status == "capped"]
    with shop.ctx.write():
        shop.ctx.audit("mail.announce", product.sku, {"campaign": cid, **asdict(result.summary(with_ids=False))},
                       actor)
    return result


def preview(shop: MailDeps, code: str | int, customer_id: int | None, wording: Wording | None = None,
            variant: str | None = None) -> Preview:
    """The announcement exactly as this customer would receive it (subject, plain text, HTML), in these words
    (None: the kept draft, or the template's own) and variant; without a customer, as a nameless one."""
    product = _product(shop, code)
    if wording is None:
        draft = drafts.load(shop.ctx, "announce", product.id)
        wording = draft.wording if draft else Wording()
    subject, message = wording.variant(variant)
    ms = mail_settings.load(shop.ctx.settings)
    if customer_id is None:
        email, name, context = "", None, _context(shop, product, -1)
        token = every = "PREVIEW"
    else:
        customer = shop.customers.get(customer_id)
        if not customer.email:
            raise NotFound(f"{customer.name or 'this customer'} has no email address")
        email, name, context = customer.email, customer.name, _context(shop, product, customer_id)
        campaign = mq.get_announce_campaign(shop.ctx.db, product.id)
        links = consent.preview_links(shop.ctx, customer_id, "announce", campaign["id"] if campaign else None,
                                      product.id)
        token, every = links.this_type, links.every_type
    out = render(ms, Letter("announce", email, name, token, context, all_token=every, subject=subject or None,
                            message=message or None, picture=wording.picture))
    return Preview(email, name, *out, picture=wording.picture)
