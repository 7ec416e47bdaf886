"""Deciding to email someone = one INSERT into the outbox plus its unique decision keys, in one transaction,
so deciding twice (a second click, a re-run, a restart) can never queue the same email twice."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from db import mail_queries as mq
from loyalty_app.context import ShopContext, Staff, new_uuid
from loyalty_app.mail import consent
from loyalty_app.mail.compose import Letter, compose
from loyalty_app.mail.consent import Contact
from loyalty_app.mail.drafts import Picture
from loyalty_app.mail.settings import MailSettings

CHUNK = 100  # customers decided per write transaction (about 50 ms of rendering and inserts)


@dataclass
class Candidate:
    """One customer the app would like to email, with the keys that make the decision unique."""

    customer: Contact
    keys: list[tuple[str, int | None]]  # (decision key, product id)
    control: bool
    context: Mapping[str, Any] = field(default_factory=dict)
    variant: str | None = None  # A | B under an A/B split, recorded with the decision
    subject: str | None = None  # the owner's words (None: the template's own)
    message: str | None = None
    picture: Picture | None = None
    picture_id: int | None = None  # the stored picture the outbox row's message is sent with


@dataclass
class QueueResult:
    queued: list[int] = field(default_factory=list)
    control: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    capped: list[int] = field(default_factory=list)

    def summary(self, with_ids: bool = True) -> QueueSummary:
        return QueueSummary(len(self.queued), len(self.control), len(self.already), len(self.capped),
                            tuple(self.queued) if with_ids else None)


@dataclass(frozen=True)
class QueueSummary:
    """How many were queued, held out as control, decided before or capped (the CLI's --json)."""

    queued: int
    control: int
    already_decided: int
    capped: int
    outbox_ids: tuple[int, ...] | None


@dataclass(frozen=True)
class OutboxEmail:
    """One email in the outbox: to whom, its status, attempts and the server's reason for a failure."""

    id: int
    uuid: str
    kind: str  # announce | refill | ...
    campaign_id: int | None
    customer_id: int | None
    customer_name: str | None
    to_address: str
    subject: str
    message_id: str | None
    status: str  # queued | sending | sent | failed | cancelled
    attempts: int
    last_error: str | None
    decided_at: str
    sent_at: str | None
    updated_at: str


def in_control(campaign_uuid: str, customer_uuid: str, percent: int, cycle: str = "") -> bool:
    """Stable random hold-out: the same customer lands in the same group every time the campaign runs."""
    digest = hashlib.sha256(f"{campaign_uuid}|{customer_uuid}|{cycle}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def queue(ctx: ShopContext, settings: MailSettings, campaign_id: int, kind: str,
          candidates: list[Candidate]) -> QueueResult:
    """Write the decisions: control-group keys, or an outbox row with its keys, in short transactions of
    CHUNK customers each (the counter's sales never wait long). Keys and cap are checked inside each one."""
    result = QueueResult()
    for start in range(0, len(candidates), CHUNK):
        with ctx.write():
            _queue_chunk(ctx, settings, campaign_id, kind, candidates[start:start + CHUNK], result)
    return result


def _queue_chunk(ctx: ShopContext, settings: MailSettings, campaign_id: int, kind: str,
                 candidates: list[Candidate], result: QueueResult) -> None:
    now = ctx.now()
    now_iso = ctx.now_iso()
    recent = consent.capped(ctx, settings.cap_days)
    taken = mq.existing_keys(ctx.db, [k for c in candidates for k, _ in c.keys])
    for cand in candidates:
        cid = cand.customer.id
        fresh = [(k, pid) for k, pid in cand.keys if k not in taken]
        if not fresh:
            result.already.append(cid)
            continue
        outbox_id: int | None = None
        if cid in recent:
            result.capped.append(cid)  # not decided: the customer stays eligible for a later run
            continue
        if cand.control:
            result.control.append(cid)
        else:
            links = consent.ensure_links(ctx, cid, kind, campaign_id)
            letter = Letter(kind, cand.customer.email, cand.customer.name, links.this_type, cand.context,
                            all_token=links.every_type, subject=cand.subject, message=cand.message,
                            picture=cand.picture)
            msg = compose(settings, letter, now)
            outbox_id = mq.insert_outbox(ctx.db, {
                "uuid": new_uuid(), "kind": kind, "campaign_id": campaign_id, "customer_id": cid,
                "to_address": cand.customer.email, "subject": msg.subject,
                "message_id": msg.message_id, "message": msg.text, "status": "queued",
                "decided_at": now_iso, "updated_at": now_iso,
                **({"picture_id": cand.picture_id} if cand.picture_id else {})})
            recent.add(cid)
            result.queued.append(outbox_id)
        for key, pid in fresh:
            inserted = mq.insert_decision(ctx.db, {
                "key": key, "campaign_id": campaign_id, "customer_id": cid, "product_id": pid,
                "grp": "control" if cand.control else "mail", "outbox_id": outbox_id, "decided_at": now_iso,
                **({"variant": cand.variant} if cand.variant else {})})
            assert inserted, key  # checked above inside this same write transaction
            taken.add(key)


def list_outbox(ctx: ShopContext, status: str | None = None, limit: int = 1000) -> list[OutboxEmail]:
    """The outbox, newest first: status, attempts and the server's reason for failures."""
    return [OutboxEmail(**r) for r in mq.list_outbox(ctx.db, status, limit)]


def outbox_counts(ctx: ShopContext) -> dict[str, int]:
    return mq.outbox_counts(ctx.db)


def retry_failed(ctx: ShopContext, actor: Staff | None = None) -> int:
    """Owner-only: put failed emails back in the queue (after fixing an address or the server)."""
    ctx.require_owner(actor, "retrying failed emails")
    with ctx.write():
        n = mq.requeue_failed(ctx.db, ctx.now_iso())
        ctx.audit("mail.retry_failed", None, {"emails": n}, actor)
    return n
