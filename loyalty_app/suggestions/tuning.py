"""Tuning on the shop's own past: the blend weights, and whether reminders follow dueness or frequency."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from loyalty_app.suggestions.catalogue import Catalogue, Line
from loyalty_app.suggestions.cooccurrence import build_stats
from loyalty_app.suggestions.metrics import auc, by_customer, hit_recall, sorted_for_stats
from loyalty_app.suggestions.ranking import Weights, components, rank_next
from loyalty_app.suggestions.refill import Population, Prior, customer_rhythms

DUE_HORIZON = 14


def calibrate(train: Sequence[Line], catalogue: Catalogue, cutoff: int, horizon: int, k: int,
              sample: int = 3000, seed: int = 1) -> Weights:
    """Choose blend weights on an inner split of the training period only (no look at the holdout)."""
    inner_cut = cutoff - horizon
    inner_train = [ln for ln in train if ln[2] < inner_cut]
    if not inner_train:
        return Weights()
    stats = build_stats(sorted_for_stats(inner_train), catalogue)
    assert stats is not None
    popular = sorted(stats.baskets, key=lambda p: (-stats.baskets[p], p))
    hist = by_customer(inner_train)
    truth: dict[int, set[int]] = defaultdict(set)
    for ln in train:
        if ln[2] >= inner_cut and ln[1] is not None and ln[1] in hist:
            truth[ln[1]].add(ln[3])
    ids = sorted(truth)
    random.Random(seed).shuffle(ids)
    base = Weights()
    comps = [(components(hist[c], catalogue, stats, inner_cut, horizon, base), truth[c]) for c in ids[:sample]]
    if not comps:
        return base

    def score(w: Weights, new_only: bool) -> float:
        total = 0.0
        for comp, t in comps:
            bought = set(comp.personal) if new_only else set()
            want = t - bought
            if not want:
                continue
            h, r = hit_recall(rank_next(comp, stats, w, popular, k, bought or None), want)
            total += h + r
        return total

    grid3 = [(c, t, p) for c in (0.3, 1.0, 3.0) for t in (0.0, 0.3, 1.0) for p in (0.05, 0.3, 1.0)]
    cross, taste, pop = max(grid3, key=lambda ctp: (
        score(replace(base, cross=ctp[0], taste=ctp[1], popularity=ctp[2]), True),
        -abs(ctp[0] - base.cross) - abs(ctp[1] - base.taste) - abs(ctp[2] - base.popularity)))
    tuned = replace(base, cross=cross, taste=taste, popularity=pop)
    grid = [(d, f) for d in (0.0, 0.25, 0.5, 1.0, 2.0) for f in (0.05, 0.2, 0.5, 1.0)]
    due, fill_w = max(grid, key=lambda df: (score(replace(tuned, due=df[0], fill=df[1]), False),
                                            -abs(df[0] - base.due) - abs(df[1] - base.fill)))
    return replace(tuned, due=due, fill=fill_w)


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
