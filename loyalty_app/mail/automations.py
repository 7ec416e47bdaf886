"""The gentle automations, off by default: a welcome after a sign-up with consent (once per customer, ever), and
"we miss you" when a regular is away for over twice their own usual gap between visits and at least N days (once
per absence: not again until they came back). Both are news emails, under the shop-wide frequency cap, decided
with unique keys by the same outbox as every other email, so a crash or a second run never sends one twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from db import mail_queries as mq
from db import settings_queries as sq
from loyalty_app.clock import from_iso
from loyalty_app.context import Staff, new_uuid
from loyalty_app.errors import ValidationError
from loyalty_app.mail import consent
from loyalty_app.mail import settings as mail_settings
from loyalty_app.mail.deps import MailDeps
from loyalty_app.mail.outbox import Candidate, QueueResult, in_control, queue
from loyalty_app.mail.results import KIND_TITLES

LAST_RUN_KEY = "mail_automations_last_run"
WELCOME_SINCE_KEY = "mail_welcome_since"
REGULAR_VISITS = 3  # as the Customers report's lapsed regulars
OVERDUE_FACTOR = 2.0
AUTOMATIONS = ("welcome", "winback")


@dataclass(frozen=True)
class AutomationRow:
    """One customer an automation would email now, and why."""

    kind: str  # welcome | winback
    customer_id: int
    name: str | None
    email: str
    key: str
    reason: str
    status: str  # mail | control | already | capped


@dataclass
class AutomationPlan:
    rows: list[AutomationRow] = field(default_factory=list)

    def counts(self, kind: str) -> dict[str, int]:
        out = {s: 0 for s in ("mail", "control", "already", "capped")}
        for r in self.rows:
            if r.kind == kind:
                out[r.status] += 1
        return out


def _campaign_pct(shop: MailDeps, kind: str, default: int) -> int:
    c = mq.get_campaign_of_kind(shop.ctx.db, kind)
    return int(c["control_percent"]) if c else default


def plan_automations(shop: MailDeps) -> AutomationPlan:
    """Who the switched-on automations would email now (nothing when both are off)."""
    ms = mail_settings.load(shop.ctx.settings)
    ctx = shop.ctx
    plan = AutomationPlan()
    ok = consent.contactable(ctx, "news")
    recent = consent.capped(ctx, ms.cap_days)
    wanted: list[tuple[str, int, str, str]] = []
    since = ctx.settings.get(WELCOME_SINCE_KEY)
    if ms.welcome and since:
        wanted += [("welcome", cid, f"welcome:{cid}", "signed up") for cid in mq.list_welcome_candidates(ctx.db, since)
                   if cid in ok]
    if ms.winback:
        for r in mq.list_overdue_visitors(ctx.db, ctx.now_iso(), REGULAR_VISITS, OVERDUE_FACTOR, ms.winback_min_days):
            if r["customer_id"] in ok:
                last = from_iso(r["last_at"]).astimezone(ctx.zone).date()
                wanted.append(("winback", r["customer_id"], f"winback:{r['customer_id']}:{r['last_at']}",
                               f"last visit {last.isoformat()}, {int(r['days_since'])} days ago; usually every "
                               f"{round(r['interval_days'])} days"))
    taken = mq.existing_keys(ctx.db, [w[2] for w in wanted])
    pct = {k: _campaign_pct(shop, k, ms.control_percent) for k in AUTOMATIONS}
    for kind, cid, key, reason in wanted:
        c = ok[cid]
        if key in taken:
            status = "already"
        elif cid in recent:
            status = "capped"
        elif in_control(kind, c.uuid, pct[kind], key):
            status = "control"
        else:
            status = "mail"
        plan.rows.append(AutomationRow(kind, cid, c.name, c.email, key, reason, status))
    return plan


def _campaign(shop: MailDeps, kind: str, control_percent: int, actor: Staff | None) -> int:
    with shop.ctx.write():
        c = mq.get_campaign_of_kind(shop.ctx.db, kind)
        if c is not None:
            return int(c["id"])
        return mq.insert_campaign(shop.ctx.db, {
            "uuid": new_uuid(), "kind": kind, "product_id": None, "title": KIND_TITLES[kind],
            "control_percent": control_percent, "created_at": shop.ctx.now_iso(),
            "created_by": shop.ctx.staff_id(actor)})


def run_automations(shop: MailDeps, actor: Staff | None = None, today: date | None = None) -> QueueResult:
    """Owner-only: queue what the switched-on automations call for now, and note the run for the schedule."""
    shop.ctx.require_owner(actor, "sending the automatic emails")
    ms = mail_settings.load(shop.ctx.settings)
    if not ms.configured:
        raise ValidationError("set up sending first: loyalty mail setup --host H --port N --from ADDRESS")
    plan = plan_automations(shop)  # read outside any write transaction; queue() re-checks keys and cap
    ok = consent.contactable(shop.ctx, "news")
    result = QueueResult()
    for kind in AUTOMATIONS:
        rows = [r for r in plan.rows if r.kind == kind and r.status in ("mail", "control") and r.customer_id in ok]
        if rows:
            cid = _campaign(shop, kind, ms.control_percent, actor)
            done = queue(shop.ctx, ms, cid, kind, [
                Candidate(ok[r.customer_id], [(r.key, None)], r.status == "control", {"reason": r.reason})
                for r in rows])
            result.queued += done.queued
            result.control += done.control
            result.already += done.already
            result.capped += done.capped
        result.already += [r.customer_id for r in plan.rows if r.kind == kind and r.status == "already"]
        result.capped += [r.customer_id for r in plan.rows if r.kind == kind and r.status == "capped"]
    day = today or shop.ctx.now().astimezone(shop.ctx.zone).date()
    with shop.ctx.write():
        sq.set_setting(shop.ctx.db, LAST_RUN_KEY, day.isoformat())
        shop.ctx.audit("mail.automations", None, {"queued": len(result.queued), "control": len(result.control)},
                       actor)
    shop.ctx.reload_settings()
    return result


def run_is_due(shop: MailDeps, today: date | None = None) -> bool:
    """Once a day while an automation is switched on and sending is set up."""
    ms = mail_settings.load(shop.ctx.settings)
    if not (ms.welcome or ms.winback) or not ms.configured:
        return False
    last = shop.ctx.settings.get(LAST_RUN_KEY)
    day = today or shop.ctx.now().astimezone(shop.ctx.zone).date()
    return last is None or date.fromisoformat(last) + timedelta(days=1) <= day
