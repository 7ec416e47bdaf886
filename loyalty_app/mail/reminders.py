"""Refill reminders: one email per customer listing everything due, once per due cycle, on the owner's schedule."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from db import mail_queries as mq
from db import settings_queries as sq
from loyalty_app.context import Staff, new_uuid
from loyalty_app.errors import ValidationError
from loyalty_app.i18n import _
from loyalty_app.mail import audience, consent, drafts
from loyalty_app.mail import settings as mail_settings
from loyalty_app.mail.campaigns import Preview, ab_split
from loyalty_app.mail.compose import Letter, render
from loyalty_app.mail.deps import MailDeps
from loyalty_app.mail.drafts import Wording
from loyalty_app.mail.outbox import Candidate, QueueResult, in_control, queue
from loyalty_app.mail.results import KIND_TITLES

LAST_RUN_KEY = "mail_refill_last_run"


@dataclass
class RefillRow:
    customer_id: int
    name: str | None
    email: str
    items: list[dict[str, Any]]
    keys: list[tuple[str, int | None]]
    status: str  # mail | control | already | capped
    cycle: str = ""


@dataclass
class RefillPlan:
    today: date
    rows: list[RefillRow] = field(default_factory=list)
    not_contactable: int = 0

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in ("mail", "control", "already", "capped")}
        for r in self.rows:
            out[r.status] += 1
        out["not_contactable"] = self.not_contactable
        return out

    def summary(self, sample: int = 20) -> RefillPlanSummary:
        return RefillPlanSummary(self.today.isoformat(), self.counts(), tuple(
            RefillSample(r.customer_id, r.name, r.email, r.items, r.status, r.cycle)
            for r in self.rows if r.status == "mail")[:sample])


@dataclass(frozen=True)
class RefillSample:
    """One customer the run would remind, with what is due (the preview's sample)."""

    customer_id: int
    name: str | None
    email: str
    items: list[dict[str, Any]]
    status: str
    cycle: str


@dataclass(frozen=True)
class RefillPlanSummary:
    """The preview of a refill run: the day, the counts by status and a sample of those it would email."""

    today: str
    counts: dict[str, int]
    sample: tuple[RefillSample, ...]


def cycle_start(due_on: date, interval_days: int | None, today: date) -> date:
    """The start of the current due cycle: the due date, then one more interval for each interval unbought."""
    if not interval_days or today <= due_on:
        return due_on
    return due_on + timedelta(days=((today - due_on).days // interval_days) * interval_days)


def _today(shop: MailDeps) -> date:
    return shop.ctx.now().astimezone(shop.ctx.zone).date()


def plan_refill(shop: MailDeps, today: date | None = None) -> RefillPlan:
    today = today or _today(shop)
    ms = mail_settings.load(shop.ctx.settings)
    plan = RefillPlan(today)
    due = audience.due_customers(shop, today)
    ok = consent.contactable(shop.ctx, "refills")
    recent = consent.capped(shop.ctx, ms.cap_days)
    campaign = mq.get_refill_campaign(shop.ctx.db)
    seed = "refill"  # with the customer's uuid and the cycle: a fresh, stable draw each cycle
    pct = campaign["control_percent"] if campaign else ms.control_percent
    for cid, items in sorted(due.items()):
        c = ok.get(cid)
        if c is None:
            plan.not_contactable += 1
            continue
        keyed = []
        for d in items:
            start = cycle_start(d.due_on, getattr(d, "interval_days", None), today)
            keyed.append((f"refill:{d.product_id}:{cid}:{start.isoformat()}", d.product_id, start))
        taken = mq.existing_keys(shop.ctx.db, [k for k, _, _ in keyed])
        fresh: list[tuple[str, int | None]] = [(k, pid) for k, pid, _ in keyed if k not in taken]
        cycle = min((s for k, _, s in keyed if k not in taken), default=today).isoformat()
        shown = [{"sku": d.sku, "name": d.name, "due_on": d.due_on.isoformat(),
                  "last_bought": str(getattr(d, "last_bought", ""))[:10]} for d in items]
        if not fresh:
            status = "already"
        elif cid in recent:
            status = "capped"
        elif in_control(seed, c.uuid, pct, cycle):
            status = "control"
        else:
            status = "mail"
        plan.rows.append(RefillRow(cid, c.name, c.email, shown, fresh, status, cycle))
    return plan


def refill_wording(shop: MailDeps, wording: Wording | None = None) -> Wording:
    """The reminder's words: those given, else the kept refill draft (what the schedule sends), else the
    template's own."""
    if wording is None:
        draft = drafts.load(shop.ctx, "refill", None)
        if draft is None:
            return Wording()
        wording = draft.wording
    return drafts.check(wording)


def default_subject(shop: MailDeps) -> str:
    """The subject the template gives a reminder, in the shop's language (the owner's starting point)."""
    ms = mail_settings.load(shop.ctx.settings)
    return _("Time for a refill at {shop}?").format(shop=ms.from_name)  # as subjects.txt.j2


def send_refill(shop: MailDeps, actor: Staff | None = None, today: date | None = None,
                wording: Wording | None = None) -> QueueResult:
    """Owner-only: queue this cycle's reminders (each due customer once) and note the run for the schedule."""
    shop.ctx.require_owner(actor, "sending refill reminders")
    ms = mail_settings.load(shop.ctx.settings)
    if not ms.configured:
        raise ValidationError("set up sending first: loyalty mail setup --host H --port N --from ADDRESS")
    words = refill_wording(shop, wording)
    today = today or _today(shop)
    with shop.ctx.write():
        campaign = mq.get_refill_campaign(shop.ctx.db)
        if campaign is None:
            mq.insert_campaign(shop.ctx.db, {
                "uuid": new_uuid(), "kind": "refill", "product_id": None, "title": KIND_TITLES["refill"],
                "control_percent": ms.control_percent, "created_at": shop.ctx.now_iso(),
                "created_by": shop.ctx.staff_id(actor)})
            campaign = mq.get_refill_campaign(shop.ctx.db)
        picture_id = drafts.store_picture(shop.ctx, words.picture)
    assert campaign is not None
    plan = plan_refill(shop, today)  # read outside any write transaction; queue() re-checks keys and cap
    ok = consent.contactable(shop.ctx, "refills")
    split = ab_split((f"refill|{r.cycle}", ok[r.customer_id].uuid) for r in plan.rows
                     if r.status == "mail" and r.customer_id in ok) if words.split else {}
    candidates = []
    for r in plan.rows:
        if r.status not in ("mail", "control") or r.customer_id not in ok:
            continue
        control = r.status == "control"
        variant = None if control else split.get(ok[r.customer_id].uuid)
        subject, message = words.variant(variant)
        candidates.append(Candidate(ok[r.customer_id], r.keys, control, {"items": r.items}, variant,
                                    subject or None, message or None, words.picture, picture_id))
    result = queue(shop.ctx, ms, campaign["id"], "refill", candidates)
    result.already += [r.customer_id for r in plan.rows if r.status == "already"]
    result.capped += [r.customer_id for r in plan.rows if r.status == "capped"]
    with shop.ctx.write():
        sq.set_setting(shop.ctx.db, LAST_RUN_KEY, today.isoformat())
        shop.ctx.audit("mail.refill", None, asdict(result.summary(with_ids=False)), actor)
    shop.ctx.reload_settings()
    return result


def run_is_due(shop: MailDeps, today: date | None = None) -> bool:
    """Whether the owner's schedule (every N days; 0 = off) calls for a refill run today."""
    ms = mail_settings.load(shop.ctx.settings)
    if ms.refill_every_days <= 0 or not ms.configured:
        return False
    last = shop.ctx.settings.get(LAST_RUN_KEY)
    today = today or _today(shop)
    return last is None or date.fromisoformat(last) + timedelta(days=ms.refill_every_days) <= today


def preview_refill(shop: MailDeps, row: RefillRow | None, wording: Wording | None = None,
                   variant: str | None = None) -> Preview:
    """A reminder exactly as this due customer would receive it, in these words (None: the kept draft); without
    a due customer, as a nameless one with a sample item."""
    if wording is None:
        draft = drafts.load(shop.ctx, "refill", None)
        wording = draft.wording if draft else Wording()
    subject, message = wording.variant(variant)
    ms = mail_settings.load(shop.ctx.settings)
    if row is None:
        email, name, token, every = "", None, "PREVIEW", "PREVIEW"
        items: list[dict[str, Any]] = [{"sku": "", "name": _("(what they buy)"), "due_on": "", "last_bought": ""}]
    else:
        email, name, items = row.email, row.name, row.items
        campaign = mq.get_refill_campaign(shop.ctx.db)
        links = consent.preview_links(shop.ctx, row.customer_id, "refill", campaign["id"] if campaign else None)
        token, every = links.this_type, links.every_type
    out = render(ms, Letter("refill", email, name, token, {"items": items}, all_token=every,
                            subject=subject or None, message=message or None, picture=wording.picture))
    return Preview(email, name, *out, picture=wording.picture)
