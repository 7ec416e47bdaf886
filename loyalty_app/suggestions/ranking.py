"""Our next-purchase ranking: personal frequency with recency, refill dueness, co-purchase and taste affinity."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from loyalty_app.i18n import _
from loyalty_app.suggestions.catalogue import Catalogue, Line
from loyalty_app.suggestions.cooccurrence import Stats
from loyalty_app.suggestions.refill import Rhythm, customer_rhythms

ANCHORS = 1  # the customer's surest bets always keep their places in the next-purchase list
CATEGORY_WEIGHT = 0.2  # a shared category counts a fifth of a perfect tag match
BROAD = 300  # a tag or category shared by more products than this says little about taste (and costs time)
KEEP = 100  # a customer's best co-purchase and taste candidates kept: a list of at most a few needs no more,
# and a catalogue of thousands would otherwise put most of it into every ranking


@dataclass(frozen=True)
class Weights:
    """How the signals blend. Personal signals dominate; co-purchase and taste fill the rest."""

    half_life_days: float = 90.0
    due: float = 2.0
    fill: float = 0.05  # how much the not-yet-bought signals below count next to what the customer buys
    cross: float = 1.0
    taste: float = 0.3
    popularity: float = 0.05
    basket_personal: float = 0.15  # at the till the basket speaks loudest; habits mostly break ties
    basket_discovery: float = 0.3  # ... and what fits their taste but they have never bought
    season: float = 1.0  # what sells more than usual at this time of year (gift sets before Christmas)
    season_ahead: float = 3.0  # ... and over the coming period, for the next-period ranking (a smaller average)


@dataclass
class Components:
    """Every signal for one customer at one moment, each roughly in 0..1."""

    today: int
    personal: dict[int, float] = field(default_factory=dict)  # decayed frequency / the customer's top
    due: dict[int, float] = field(default_factory=dict)  # chance the refill falls within the horizon
    cross: dict[int, float] = field(default_factory=dict)  # co-purchase with what they buy
    cross_source: dict[int, int] = field(default_factory=dict)  # the product that contributes most
    taste: dict[int, float] = field(default_factory=dict)  # family / tag / category affinity
    taste_reason: dict[int, str] = field(default_factory=dict)
    season: dict[int, float] = field(default_factory=dict)  # sells more than usual in the period ahead
    rhythms: list[Rhythm] = field(default_factory=list)
    last_bought: dict[int, int] = field(default_factory=dict)  # product -> last day


def decayed_frequency(lines: Iterable[Line], today: int, half_life: float) -> tuple[dict[int, float], dict[int, int]]:
    """Sum over purchase days of 0.5 ** (age / half-life), per product; and each product's last day."""
    score: dict[int, float] = defaultdict(float)
    last: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    for _pid, _cid, day, product_id, _qty in lines:
        if (day, product_id) in seen:
            continue
        seen.add((day, product_id))
        score[product_id] += 0.5 ** (max(0, today - day) / half_life)
        last[product_id] = max(day, last.get(product_id, day))
    return dict(score), last


def components(lines: list[Line], catalogue: Catalogue, stats: Stats, today: int, horizon: int,
               weights: Weights = Weights()) -> Components:
    comp = Components(today)
    freq, comp.last_bought = decayed_frequency(lines, today, weights.half_life_days)
    if not freq:
        return comp
    top = max(freq.values())
    comp.personal = {p: v / top for p, v in freq.items()}
    comp.rhythms = customer_rhythms(lines, catalogue, stats.population())
    for r in comp.rhythms:
        p = r.p_buy(today, horizon)
        for member in catalogue.members.get(r.unit, []):
            if member == r.product_id:
                comp.due[member] = max(comp.due.get(member, 0.0), p)
            elif member in freq:
                comp.due[member] = max(comp.due.get(member, 0.0), 0.25 * p)
    total = sum(freq.values())
    best_source: dict[int, float] = {}
    for src, v in freq.items():
        w = v / total
        for other, sim in stats.neighbours("customer", src):
            if other in freq:
                continue
            contribution = w * sim
            comp.cross[other] = comp.cross.get(other, 0.0) + contribution
            if contribution > best_source.get(other, 0.0):
                best_source[other] = contribution
                comp.cross_source[other] = src
    comp.cross = _best(comp.cross)
    comp.taste, comp.taste_reason = taste_affinity(freq, catalogue, stats.size_shares(catalogue))
    if weights.season_ahead:
        comp.season = stats.season.ahead(today, horizon, stats.baskets, stats.n_baskets)
    return comp


def _best(scores: dict[int, float]) -> dict[int, float]:
    if len(scores) <= KEEP:
        return scores
    cut = sorted(scores.values(), reverse=True)[KEEP - 1]  # the KEEP-th best score; ties at it go by id
    kept = [p for p, v in scores.items() if v > cut]
    kept += sorted(p for p, v in scores.items() if v == cut)[:KEEP - len(kept)]
    return {p: scores[p] for p in kept}


def taste_affinity(freq: Mapping[int, float], catalogue: Catalogue, shares: Mapping[int, float]
                   ) -> tuple[dict[int, float], dict[int, str]]:
    """How well each product from a family the customer does not buy fits the tags and categories they buy, times
    its share of its family's sales (taste picks a family; within it, people mostly take the usual size): the best
    KEEP, each with the tag or category that speaks for it most. Tags are weighted by rarity (basil says more than
    infused); other sizes of their own families are left to refills and up-sells."""
    total = sum(freq.values()) or 1.0
    tag: dict[str, float] = defaultdict(float)
    cat: dict[str, float] = defaultdict(float)
    own_units = set()
    for pid, v in freq.items():
        p = catalogue.products.get(pid)
        if p is None:
            continue
        own_units.add(catalogue.unit[pid])
        w = v / total
        for t in p.tags:
            tag[t] += w
        if p.category:
            cat[p.category.lower()] += w
    idf, norm, unit = catalogue.tag_weight, catalogue.tag_norm, catalogue.unit
    tag = {t: w * idf[t] for t, w in tag.items() if len(catalogue.by_tag.get(t, ())) <= BROAD}
    cat = {c: CATEGORY_WEIGHT * w for c, w in cat.items() if len(catalogue.by_category.get(c, ())) <= BROAD}
    scores: dict[int, float] = defaultdict(float)
    for t, w in tag.items():
        for pid in catalogue.by_tag[t]:
            if unit[pid] not in own_units:
                scores[pid] += w / norm[pid]
    for name, w in cat.items():
        for pid in catalogue.by_category[name]:
            if unit[pid] not in own_units:
                scores[pid] += w
    kept = _best({pid: v * shares[pid] for pid, v in scores.items()})
    reasons = {}
    for pid in kept:  # the reason is read for the few kept, not for every product scored
        p = catalogue.products[pid]
        tags = [t for t in p.tags if t in tag]
        if tags:
            reasons[pid] = _("loves {tag} (tag)").format(tag=max(tags, key=lambda t: (tag[t], t)))
        else:
            reasons[pid] = _("buys {category} (category)").format(category=p.category)
    return kept, reasons


@dataclass(frozen=True)
class Candidates:
    """What one customer may be offered next and each product's signals, read once: the tuning ranks the same
    customer under dozens of weights, and a dict lookup per signal, product and weight was most of its time."""

    products: list[int]
    personal: list[float]
    due: list[float]
    cross: list[float]
    taste: list[float]
    season: list[float]
    baskets: list[int]

    def top(self, weights: Weights, n_baskets: int, k: int) -> list[int]:
        """The ``k`` best under ``weights``, ties by product id (top_k of the blend)."""
        w_due, w_fill, w_cross, w_taste = weights.due, weights.fill, weights.cross, weights.taste
        w_season, w_pop = weights.season_ahead, weights.popularity / n_baskets if n_baskets else 0.0
        negated = [-(pe + w_due * du + w_fill * (w_cross * cr + w_taste * ta + w_season * se + w_pop * ba))
                   for pe, du, cr, ta, se, ba in zip(self.personal, self.due, self.cross, self.taste, self.season,
                                                     self.baskets, strict=True)]
        return [p for _score, p in heapq.nsmallest(k, zip(negated, self.products, strict=True))]


def candidates(comp: Components, stats: Stats, popular: list[int], k: int, exclude: set[int] | None = None
               ) -> Candidates:
    """The next-period candidates of ``comp``: what they buy, what goes with it or fits their taste, what sells
    more in the period ahead, and the best sellers; less ``exclude``."""
    cands = set(comp.personal) | set(comp.cross) | set(comp.taste) | set(comp.season) | set(popular[:k * 3])
    if exclude:
        cands -= exclude
    ps = list(cands)
    personal, due, cross, taste, season, baskets = (comp.personal, comp.due, comp.cross, comp.taste, comp.season,
                                                    stats.baskets)
    return Candidates(ps, [personal.get(p, 0.0) for p in ps], [due.get(p, 0.0) for p in ps],
                      [cross.get(p, 0.0) for p in ps], [taste.get(p, 0.0) for p in ps],
                      [season.get(p, 0.0) for p in ps], [baskets.get(p, 0) for p in ps])


def top_k(scores: Mapping[int, float], k: int, exclude: Iterable[int] = ()) -> list[int]:
    skip = set(exclude)
    ranked = sorted((p for p in scores if p not in skip), key=lambda p: (-scores[p], p))
    return ranked[:k]


def basket_blend(basket: dict[int, float], comp: Components | None, stats: Stats, weights: Weights,
                 exclude: Iterable[int]) -> dict[int, float]:
    """Complete-the-basket score: basket co-purchase, plus a little of the customer's own habits and dueness."""
    skip = set(exclude)
    out = {p: s for p, s in basket.items() if p not in skip}
    if comp is not None:  # the weights and signals in locals: the tuning runs this some 10,000 times
        w_personal, w_due, due = weights.basket_personal, weights.due, comp.due
        for p, v in comp.personal.items():
            if p not in skip:
                out[p] = out.get(p, 0.0) + w_personal * (v + w_due * due.get(p, 0.0))
        w_discovery = weights.basket_discovery
        if w_discovery:
            w_cross, w_taste, cross, taste = weights.cross, weights.taste, comp.cross, comp.taste
            for p in set(cross) | set(taste):
                if p not in skip:
                    out[p] = out.get(p, 0.0) + w_discovery * (w_cross * cross.get(p, 0.0)
                                                              + w_taste * taste.get(p, 0.0))
    share, baskets, n = weights.popularity * 0.1, stats.baskets, stats.n_baskets  # stats.popularity(p), inlined
    return {p: v + share * (baskets.get(p, 0) / n if n else 0.0) for p, v in out.items()}


def fill(ranked: list[int], popular: Iterable[int], k: int, exclude: Iterable[int] = ()) -> list[int]:
    """Top up a short list with the most popular products not already in it (or excluded)."""
    out = list(ranked[:k])
    skip = set(out) | set(exclude)
    for p in popular:
        if len(out) >= k:
            break
        if p not in skip:
            out.append(p)
            skip.add(p)
    return out


def rank_next(comp: Components, stats: Stats, weights: Weights, popular: list[int], k: int,
              exclude: set[int] | None = None, prepared: Candidates | None = None) -> list[int]:
    """Our top-k for the next period. The customer's own favourite always keeps a place: the blend may reorder
    their habits, but never trades the surest bet for a guess. ``prepared``: candidates(comp, stats, popular, k,
    exclude) with these very arguments, when the caller ranks the same customer again (one made for other ones
    would rank what they left in)."""
    cands = prepared if prepared is not None else candidates(comp, stats, popular, k, exclude)
    ranked = fill(cands.top(weights, stats.n_baskets, k), popular, k, exclude or ())
    own = [p for p in comp.personal if not exclude or p not in exclude]
    favourites = sorted(own, key=lambda p: (-comp.personal[p], p))[:min(ANCHORS, k - 1) if k > 1 else 1]
    for favourite in favourites:
        if favourite not in ranked:
            # replace the weakest pick that is not itself a favourite
            for i in range(len(ranked) - 1, -1, -1):
                if ranked[i] not in favourites:
                    ranked[i] = favourite
                    break
    # A short history leaves places to guesses; the best seller keeps one of them.
    guesses = [i for i, p in enumerate(ranked) if p not in comp.personal]
    if len(guesses) >= 2:
        best_seller = next((p for p in popular if p not in comp.personal and (not exclude or p not in exclude)), None)
        if best_seller is not None and best_seller not in ranked:
            ranked[guesses[-1]] = best_seller
    return ranked
