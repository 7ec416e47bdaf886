"""Tuning on the shop's own past: the blend weights, and whether reminders follow dueness or frequency."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from loyalty_app.suggestions.catalogue import Catalogue, Line
from loyalty_app.suggestions.cooccurrence import Stats, basket_candidates, build_stats
from loyalty_app.suggestions.metrics import auc, by_customer, hit_recall, sorted_for_stats
from loyalty_app.suggestions.ranking import (
    Candidates,
    Components,
    Weights,
    basket_blend,
    candidates,
    components,
    fill,
    rank_next,
    top_k,
)
from loyalty_app.suggestions.refill import Population, Prior, customer_rhythms

DUE_HORIZON = 14
TUNE_CUSTOMERS = 8_000  # customers a big shop's tuning looks at (the weights need no more)
SEASON_YEAR = 364  # 52 weeks: the same weekdays and weeks of the year, a year back
MAX_BASKETS = 20_000  # complete-the-basket cases sampled (seeded) to keep the run short on big shops


def basket_cases(test: Sequence[Line], seed: int, limit: int = MAX_BASKETS
                 ) -> list[tuple[int | None, int, set[int], int]]:
    """(customer, day, the rest of the basket, the hidden item) for test baskets of two or more products."""
    baskets: dict[int, tuple[int | None, int, set[int]]] = {}
    for ln in test:
        baskets.setdefault(ln[0], (ln[1], ln[2], set()))[2].add(ln[3])
    cases = [(c, day, items) for _pid, (c, day, items) in sorted(baskets.items()) if len(items) >= 2]
    rnd = random.Random(seed)
    if len(cases) > limit:
        cases = rnd.sample(cases, limit)
    out = []
    for c, day, items in cases:
        hidden = rnd.choice(sorted(items))
        out.append((c, day, items - {hidden}, hidden))
    return out


def basket_rankings(rest: set[int], comp: Components | None, stats: Stats, weights: Weights, popular: list[int],
                    k: int, both: bool = True, day: int | None = None) -> dict[str, list[int]]:
    """Ours and popularity for one case on ``day``; also both among products the customer has never bought."""
    scores, _src = basket_candidates(rest, stats, weights.season, day)
    out = {"ours": fill(top_k(basket_blend(scores, comp, stats, weights, rest), k), popular, k, rest),
           "popularity": fill([], popular, k, rest)}
    if not both:
        return out
    if comp is not None:
        skip = rest | set(comp.personal)
        out["ours_unbought"] = fill(top_k(basket_blend(scores, comp, stats, weights, skip), k), popular, k, skip)
        out["popularity_unbought"] = fill([], popular, k, skip)
    else:  # a first visit: everything is unbought
        skip = rest
        out["ours_unbought"], out["popularity_unbought"] = out["ours"], out["popularity"]
    if day is not None:  # a stronger baseline than the issue asks for: popularity in these weeks of earlier years
        out["season_popularity_unbought"] = fill(fill([], stats.season.popular(day), k, skip), popular, k, skip)
    return out


@dataclass
class _Split:
    """A time split inside the training period: statistics of what was known at ``cut``, and what came next."""

    cut: int
    stats: Stats
    popular: list[int]
    hist: dict[int, list[Line]]
    after: list[Line]


def _split_at(train: Sequence[Line], catalogue: Catalogue, cut: int, horizon: int) -> _Split | None:
    before = [ln for ln in train if ln[2] < cut]
    if not before:
        return None
    stats = build_stats(sorted_for_stats(before), catalogue, keep_singletons=False)  # no score reads those
    assert stats is not None
    popular = sorted(stats.baskets, key=lambda p: (-stats.baskets[p], p))
    return _Split(cut, stats, popular, by_customer(before), [ln for ln in train if cut <= ln[2] < cut + horizon])


def _next_scorer(split: _Split, catalogue: Catalogue, horizon: int, k: int, sample: int, seed: int,
                 base: Weights) -> Callable[[Weights, bool], float] | None:
    """Next-period hit + recall summed over (a sample of) the customers of ``split``, for a choice of weights;
    with ``new_only`` for products new to each customer. None without customers to judge."""
    truth: dict[int, set[int]] = defaultdict(set)
    for ln in split.after:
        if ln[1] is not None and ln[1] in split.hist:
            truth[ln[1]].add(ln[3])
    ids = sorted(truth)
    random.Random(seed).shuffle(ids)
    # Each customer's candidates read once for each goal (all products, or only those new to them), not again for
    # every choice of weights; a customer with nothing left to find in a goal is left out of it.
    cases: dict[bool, list[tuple[Components, set[int] | None, Candidates, set[int]]]] = {False: [], True: []}
    chosen = ids[:sample]
    for c in chosen:
        comp = components(split.hist[c], catalogue, split.stats, split.cut, horizon, base)
        for new_only in (False, True):
            bought = set(comp.personal) if new_only else set()
            want = truth[c] - bought
            if want:
                cases[new_only].append((comp, bought or None, candidates(comp, split.stats, split.popular, k,
                                                                         bought or None), want))
    if not chosen:
        return None

    def score(w: Weights, new_only: bool) -> float:
        total = 0.0
        for comp, exclude, cands, want in cases[new_only]:
            h, r = hit_recall(rank_next(comp, split.stats, w, split.popular, k, exclude, cands), want)
            total += h + r
        return total

    return score


def calibrate(train: Sequence[Line], catalogue: Catalogue, cutoff: int, horizon: int, k: int,
              sample: int = 3000, seed: int = 1) -> Weights:
    """Choose blend weights on inner splits of the training period only (no look at the holdout)."""
    customers = sorted({ln[1] for ln in train if ln[1] is not None})
    stride = max(1, -(-len(customers) // TUNE_CUSTOMERS))
    if stride > 1:  # a big shop: tune on a random part of it (same proportions of anonymous sales)
        keep = set(random.Random(seed).sample(customers, TUNE_CUSTOMERS))
        train = [ln for ln in train if (ln[1] in keep if ln[1] is not None else ln[0] % stride == 0)]
    base = Weights()
    inner = _split_at(train, catalogue, cutoff - horizon, horizon)
    if inner is None:
        return base
    next_score = _next_scorer(inner, catalogue, horizon, k, sample, seed, base)
    if next_score is None:
        return base
    score: Callable[[Weights, bool], float] = next_score
    grid3 = [(c, t, p) for c in (0.3, 1.0, 3.0) for t in (0.0, 0.3, 1.0) for p in (0.05, 0.3)]
    cross, taste, pop = max(grid3, key=lambda ctp: (
        score(replace(base, cross=ctp[0], taste=ctp[1], popularity=ctp[2]), True),
        -abs(ctp[0] - base.cross) - abs(ctp[1] - base.taste) - abs(ctp[2] - base.popularity)))
    tuned = replace(base, cross=cross, taste=taste, popularity=pop)
    grid = [(d, f) for d in (0.0, 0.5, 1.0, 2.0) for f in (0.05, 0.2, 1.0)]
    due, fill_w = max(grid, key=lambda df: (score(replace(tuned, due=df[0], fill=df[1]), False),
                                            -abs(df[0] - base.due) - abs(df[1] - base.fill)))
    tuned = replace(tuned, due=due, fill=fill_w)
    # Popularity once more, for both goals at once: it tops up short histories as well as new-product lists.
    pop = max((0.05, 0.3, 1.0), key=lambda p: (
        score(replace(tuned, popularity=p), False) + score(replace(tuned, popularity=p), True),
        -abs(p - tuned.popularity)))
    tuned = replace(tuned, popularity=pop)
    # Complete-the-basket: how much the customer's habits and their taste count next to the basket itself.
    scorer = _basket_scorer(basket_cases(inner.after, seed, sample), inner.hist, catalogue, inner.stats, inner.cut,
                            horizon, tuned, inner.popular, k)
    if scorer is None:
        return tuned
    basket_score: Callable[[Weights], float] = scorer
    grid = [(p, d) for p in (0.05, 0.15, 0.5) for d in (0.0, 0.3, 1.0)]
    personal, discovery = max(grid, key=lambda pd: (
        basket_score(replace(tuned, basket_personal=pd[0], basket_discovery=pd[1])),
        -abs(pd[0] - base.basket_personal) - pd[1]))
    tuned = replace(tuned, basket_personal=personal, basket_discovery=discovery)
    # The time of year is judged on the same weeks a year before the period ahead (with what was known then),
    # when the history reaches that far back: the weeks just before are another season.
    # Two weights need less than the whole tuning: the year before that split and half the customers.
    year_cut = cutoff - SEASON_YEAR
    if min(ln[2] for ln in train) < year_cut - horizon:
        since = year_cut - SEASON_YEAR - horizon - 14
        year = _split_at([ln for ln in train if ln[2] >= since], catalogue, year_cut, horizon)
        if year is not None:
            half = max(1, sample // 2)
            basket_score = _basket_scorer(basket_cases(year.after, seed, half), year.hist, catalogue, year.stats,
                                          year.cut, horizon, tuned, year.popular, k) or basket_score
            score = _next_scorer(year, catalogue, horizon, k, half, seed, base) or score
    season = max((0.0, 0.5, 1.0, 2.0), key=lambda s: (basket_score(replace(tuned, season=s)),
                                                       -abs(s - base.season)))
    ahead = max((0.0, 1.0, 3.0, 10.0), key=lambda a: (
        score(replace(tuned, season_ahead=a), False) + score(replace(tuned, season_ahead=a), True),
        -abs(a - base.season_ahead)))
    return replace(tuned, season=season, season_ahead=ahead)


def _basket_scorer(cases: list[tuple[int | None, int, set[int], int]], hist: dict[int, list[Line]],
                   catalogue: Catalogue, stats: Stats, cut: int, horizon: int, weights: Weights,
                   popular: list[int], k: int) -> Callable[[Weights], float] | None:
    """Complete-the-basket hits over ``cases`` for a choice of weights; a hit on an item new to the customer
    (the real cross-sell) counts three times, and three more when the list leaves out everything they have
    bought (as the evaluation asks it). None without cases."""
    if not cases:
        return None
    by_id = {c: components(hist[c], catalogue, stats, cut, horizon, weights)
             for c in {case[0] for case in cases} if c is not None and c in hist}

    def basket_score(w: Weights) -> float:
        total = 0.0
        for cid, day, rest, hidden in cases:
            comp = by_id.get(cid) if cid is not None else None
            new = cid is not None and (comp is None or hidden not in comp.personal)
            ranked = basket_rankings(rest, comp, stats, w, popular, k, both=new, day=day)
            if hidden in ranked["ours"]:
                total += 3.0 if new else 1.0
            if new and hidden in ranked["ours_unbought"]:
                total += 3.0
        return total

    return basket_score

def due_vs_frequency(lines: Sequence[Line], catalogue: Catalogue, cutoff: int,
                     population: Population, max_customers: int | None = None) -> tuple[float | None, float | None]:
    """AUC of the due ranking and of purchase frequency for 'buys it in the 14 days after ``cutoff``'
    (on every ``n``-th customer when ``max_customers`` caps the work)."""
    if max_customers:
        ids = sorted({ln[1] for ln in lines if ln[1] is not None})
        step = max(1, len(ids) // max_customers)
        keep = set(ids[::step])
        lines = [ln for ln in lines if ln[1] in keep]
    hist: dict[int, list[Line]] = defaultdict(list)
    bought: set[tuple[int, str]] = set()
    for ln in lines:
        if ln[1] is None:
            continue
        if ln[2] < cutoff:
            hist[ln[1]].append(ln)
        elif ln[2] < cutoff + DUE_HORIZON and ln[3] in catalogue.unit:
            bought.add((ln[1], catalogue.unit[ln[3]]))
    due, freq, labels = [], [], []
    priors: dict[str, Prior | None] = {}
    for cid, h in hist.items():
        for r in customer_rhythms(h, catalogue, population, priors):
            labels.append((cid, r.unit) in bought)
            due.append(r.p_buy(cutoff, DUE_HORIZON))
            freq.append(float(r.intervals + 1))
    return auc(due, labels), auc(freq, labels)
