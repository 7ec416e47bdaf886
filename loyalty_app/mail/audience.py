"""The audience and due dates the mailer needs. Ranking, reasons and due dates come from the suggestions module
(``shop.suggestions``); the mailer proposes only its strongly linked part — the same family or a tag few product
families share ("basil", not "infused"), the category only when nothing stronger links anyone — so an
announcement reaches the people it is about. Without a suggestions module the same rule ranks on its own."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from db import mail_queries as mq
from loyalty_app.clock import from_iso
from loyalty_app.mail.deps import MailDeps


class Member(Protocol):
    @property
    def customer_id(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def reason(self) -> str: ...


class Due(Protocol):
    @property
    def product_id(self) -> int: ...
    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def due_on(self) -> date: ...
    @property
    def last_bought(self) -> Any: ...


@dataclass(frozen=True)
class AudienceMember:
    customer_id: int
    score: float
    reason: str


@dataclass(frozen=True)
class RefillDue:
    product_id: int
    sku: str
    name: str
    family: str | None
    due_on: date
    days_overdue: int
    status: str
    last_bought: date
    interval_days: int
    basis: str
    reason: str


def new_product_audience(shop: MailDeps, product_id: int) -> tuple[list[Member], int]:
    """(the proposed audience, best first, each with the reason; how many looser links were left out)."""
    strong = _strong_links(shop, product_id)
    suggestions = getattr(shop, "suggestions", None)
    if suggestions is None or not hasattr(suggestions, "new_product_audience"):
        return strong, 0
    ranked = list(suggestions.new_product_audience(product_id))
    why = {m.customer_id: m.reason for m in strong}
    # The suggestions' order (recent, frequent buyers first) with the link that made the mailer propose them.
    proposed: list[Member] = [AudienceMember(m.customer_id, float(m.score), why[m.customer_id])
                              for m in ranked if m.customer_id in why]
    return proposed, len(ranked) - len(proposed)


def due_customers(shop: MailDeps, today: date, within_days: int = 0) -> dict[int, list[Due]]:
    suggestions = getattr(shop, "suggestions", None)
    if suggestions is not None and hasattr(suggestions, "due_customers"):
        return dict(suggestions.due_customers(today, within_days=within_days))
    return _fallback_due(shop, today, within_days)


def _tags(text: str | None) -> set[str]:
    return {t.strip().lower() for t in (text or "").split(",") if t.strip()}


def _strong_links(shop: MailDeps, product_id: int) -> list[Member]:
    products = {p["id"]: p for p in mq.list_products_for_mail(shop.ctx.db)}
    target = products.get(product_id)
    if target is None:
        return []
    families_by_tag: dict[str, set[str]] = defaultdict(set)
    for x in products.values():
        for t in _tags(x["tags"]):
            families_by_tag[t].add(x["family"] or x["name"])
    n_families = len({x["family"] or x["name"] for x in products.values()}) or 1
    # A tag that many families carry ("infused", "herbs") says little about taste; a rare one ("basil") does.
    distinctive = {t for t in _tags(target["tags"]) if len(families_by_tag[t]) * 100 <= 15 * n_families}
    best: dict[int, tuple[int, str]] = {}
    weak: dict[int, tuple[int, str]] = {}
    for row in mq.list_customer_products(shop.ctx.db):
        p = products.get(row["product_id"])
        if p is None or p["id"] == product_id:
            continue
        cid = row["customer_id"]
        if target["family"] and p["family"] == target["family"]:
            hit = (3, f"bought {p['name']} (same family)")
        elif distinctive & _tags(p["tags"]):
            hit = (2, f"bought {p['name']} (also {', '.join(sorted(distinctive & _tags(p['tags'])))})")
        elif target["category"] and p["category"] == target["category"]:
            weak[cid] = max(weak.get(cid, (0, "")), (1, f"bought {p['name']} (same category)"))
            continue
        else:
            continue
        if hit[0] > best.get(cid, (0, ""))[0]:
            best[cid] = hit
    chosen = best or weak  # the category only when nothing stronger links anyone to the product
    return [AudienceMember(cid, float(score), reason)
            for cid, (score, reason) in sorted(chosen.items(), key=lambda kv: (-kv[1][0], kv[0]))]


def _fallback_due(shop: MailDeps, today: date, within_days: int) -> dict[int, list[Due]]:
    products = {p["id"]: p for p in mq.list_products_for_mail(shop.ctx.db) if p["refill_days"] and p["active"]}
    zone = shop.ctx.zone
    out: dict[int, list[Due]] = defaultdict(list)
    for row in mq.list_customer_products(shop.ctx.db):
        p = products.get(row["product_id"])
        if p is None:
            continue
        last = from_iso(row["last_bought"]).astimezone(zone).date()
        due_on = last + timedelta(days=p["refill_days"])
        if due_on <= today + timedelta(days=within_days):
            overdue = (today - due_on).days
            out[row["customer_id"]].append(RefillDue(
                p["id"], p["sku"], p["name"], p["family"], due_on, overdue, "overdue" if overdue > 0 else "due",
                last, p["refill_days"], "product", f"bought {last.isoformat()}, refills every {p['refill_days']} days"))
    return dict(out)
