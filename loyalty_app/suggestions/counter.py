"""At most three things to say at the counter, each with a reason: refills due, bigger sizes that save,
what goes with what they buy (or have in the basket), and new products that fit their taste."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from loyalty_app.i18n import N_, _
from loyalty_app.suggestions.catalogue import Catalogue, Line
from loyalty_app.suggestions.cooccurrence import Stats, basket_candidates
from loyalty_app.suggestions.newproducts import NEW_DAYS
from loyalty_app.suggestions.ranking import Components, Weights, basket_blend
from loyalty_app.suggestions.results import RefillDue, Suggestion
from loyalty_app.suggestions.upsell import offers

RECENT_DAYS = 7  # nothing from a family the customer bought in the last week
COUNTER_CAPS = {"refill": 2, "up-sell": 1, "cross-sell": 2, "new": 1}  # variety among the three
DISCOVERY = ("cross-sell", "new")
NEW_MAX_BASKETS = 10  # a product with fewer sales than this, launched lately, is still "new"
SEASON_REASON = N_("popular at this time of year")


@dataclass
class _Pool:
    catalogue: Catalogue
    blocked: set[int]  # product ids never offered
    blocked_units: set[str]  # families never offered (bought lately)
    best: dict[int, Suggestion] = field(default_factory=dict)

    def offer(self, product_id: int, kind: str, reason: str, score: float, allow_unit: bool = False) -> None:
        p = self.catalogue.products.get(product_id)
        if p is None or not p.active or product_id in self.blocked:
            return
        if not allow_unit and self.catalogue.unit[product_id] in self.blocked_units:
            return
        current = self.best.get(product_id)
        if current is None or score > current.score:
            self.best[product_id] = Suggestion(product_id, p.sku, p.name, kind, reason, score)

    def pick(self, limit: int, caps: dict[str, int] | None = None, discovery: bool = True) -> list[Suggestion]:
        """Best first, one per family, at most ``caps[kind]`` of a kind; with ``discovery`` the last place goes
        to the best cross-sell or new product when the habits would otherwise take every place."""
        caps = caps or {}
        ranked = sorted(self.best.values(), key=lambda s: (-s.score, s.sku))
        out: list[Suggestion] = []
        units: set[str] = set()
        kinds: Counter[str] = Counter()
        for s in ranked:
            unit = self.catalogue.unit[s.product_id]
            if unit in units or kinds[s.kind] >= caps.get(s.kind, limit):
                continue
            out.append(s)
            units.add(unit)
            kinds[s.kind] += 1
            if len(out) >= limit:
                break
        if discovery and len(out) >= limit > 1 and not any(s.kind in DISCOVERY for s in out):
            taken = {self.catalogue.unit[s.product_id] for s in out[:-1]}
            extra = next((s for s in ranked if s.kind in DISCOVERY
                          and self.catalogue.unit[s.product_id] not in taken), None)
            if extra is not None:
                out[-1] = extra
        return out


def is_new(product_id: int, catalogue: Catalogue, stats: Stats, today_iso: str) -> bool:
    p = catalogue.products[product_id]
    if stats.baskets.get(product_id, 0) >= NEW_MAX_BASKETS:
        return False
    if not p.launched_on:
        return stats.baskets.get(product_id, 0) == 0
    try:
        launched = date.fromisoformat(p.launched_on[:10])
    except ValueError:
        return False
    return launched >= date.fromisoformat(today_iso) - timedelta(days=NEW_DAYS)


def counter_suggestions(lines: Sequence[Line], comp: Components, refills: Sequence[RefillDue], catalogue: Catalogue,
                        stats: Stats, basket: set[int], today_iso: str, currency: str,
                        limit: int = 3, season_weight: float = 0.0) -> list[Suggestion]:
    today = comp.today
    recent_units = {catalogue.unit[p] for p, d in comp.last_bought.items()
                    if today - d < RECENT_DAYS and p in catalogue.unit}
    basket_units = {catalogue.unit[p] for p in basket if p in catalogue.unit}
    pool = _Pool(catalogue, set(basket), recent_units | basket_units)
    due_units: dict[str, RefillDue] = {}
    for rd in refills:
        if rd.status in ("overdue", "due", "soon"):
            due_units[catalogue.unit[rd.product_id]] = rd
            # the likeliest purchase first: a rhythm overdue for months has probably stopped
            pool.offer(rd.product_id, "refill", rd.reason, 3.0 + rd.likelihood + (0.2 if rd.status == "due" else 0))
    live_units = {catalogue.unit[rd.product_id] for rd in refills}
    for off in offers(lines, catalogue, currency):
        unit = catalogue.unit[off.product_id]
        if unit in recent_units or unit not in live_units:
            continue  # only for a rhythm that is still going
        due = due_units.get(unit)
        label = catalogue.unit_label(unit)
        when = (_("{label} due soon") if due is not None and due.status == "soon" else _("due for {label}")).format(
            label=label)
        reason = _("{when}; {offer}").format(when=when, offer=off.reason) if due else off.reason
        score = (3.25 + due.likelihood) if due else (2.6 if unit in basket_units else 2.0)
        pool.offer(off.product_id, "up-sell", reason, score, allow_unit=True)
    if basket:
        scores, source = basket_candidates(basket, stats, season_weight, today)
        for p, v in scores.items():
            pool.offer(p, "cross-sell", _with(source[p], catalogue), 1.2 + min(v, 1.0))
    own_units = {catalogue.unit[p] for p in comp.personal if p in catalogue.unit}
    for p, v in comp.cross.items():
        if catalogue.unit.get(p) in own_units:
            continue  # another size of what they already buy is not a cross-sell
        pool.offer(p, "cross-sell", _with(comp.cross_source[p], catalogue), 1.0 + min(v, 1.0))
    for p, v in comp.taste.items():
        if catalogue.unit.get(p) not in own_units and is_new(p, catalogue, stats, today_iso):
            pool.offer(p, "new", _("new; {reason}").format(reason=comp.taste_reason[p]), 1.0 + 0.6 * min(v, 1.0))
    return pool.pick(limit, COUNTER_CAPS)


def _with(source: int | None, catalogue: Catalogue) -> str:
    if source is None:
        return _(SEASON_REASON)
    return _("often bought with {product}").format(product=catalogue.short_name(source))


def basket_suggestions(basket: set[int], comp: Components | None, refills: Iterable[RefillDue],
                       catalogue: Catalogue, stats: Stats, weights: Weights, limit: int = 3,
                       day: int | None = None) -> list[Suggestion]:
    """What completes this basket on ``day``, for this customer when known (the counter's basket cross-sells
    come from the same scores)."""
    scores, source = basket_candidates(basket, stats, weights.season, day)
    blended = basket_blend(scores, comp, stats, weights, basket)
    recent_units: set[str] = set()
    if comp is not None:
        recent_units = {catalogue.unit[p] for p, d in comp.last_bought.items()
                        if comp.today - d < RECENT_DAYS and p in catalogue.unit}
    pool = _Pool(catalogue, set(basket), recent_units | {catalogue.unit[p] for p in basket if p in catalogue.unit})
    reasons = {rd.product_id: rd.reason for rd in refills}
    for p, v in blended.items():
        if p in source:
            pool.offer(p, "cross-sell", _with(source[p], catalogue), v)
        elif p in reasons:
            pool.offer(p, "refill", reasons[p], v)
    if len(pool.best) < limit:
        popular = sorted(stats.baskets, key=lambda p: (-stats.baskets[p], p))[:limit * 4]
        for rank, p in enumerate(popular):
            pool.offer(p, "cross-sell", _("one of our best sellers"), -1.0 - rank)
    return pool.pick(limit, discovery=False)
