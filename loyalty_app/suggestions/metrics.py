"""Ranking metrics and time-split helpers shared by the evaluation and the tuning."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from loyalty_app.suggestions.catalogue import Line


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties count half); None without both classes."""
    pos = sum(1 for y in labels if y)
    neg = len(labels) - pos
    if not pos or not neg:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        avg_rank = (i + j) / 2 + 1
        rank_sum += avg_rank * sum(1 for t in order[i:j + 1] if labels[t])
        i = j + 1
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def precision_at_positives(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Precision of the top-N where N is the number of actual buyers (R-precision); ties broken by order given."""
    n = sum(1 for y in labels if y)
    if not n:
        return None
    top = sorted(range(len(scores)), key=lambda i: -scores[i])[:n]
    return sum(1 for i in top if labels[i]) / n


def hit_recall(ranked: Sequence[int], truth: set[int]) -> tuple[float, float]:
    got = len(set(ranked) & truth)
    return (1.0 if got else 0.0), got / len(truth)


class Tally:
    def __init__(self) -> None:
        self.sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        self.n = 0

    def add(self, method: str, hit: float, recall: float) -> None:
        s = self.sums[method]
        s[0] += hit
        s[1] += recall



def split(lines: Sequence[Line], holdout_days: int) -> tuple[int, list[Line], list[Line]]:
    last = max(ln[2] for ln in lines)
    cutoff = last + 1 - holdout_days
    return cutoff, [ln for ln in lines if ln[2] < cutoff], [ln for ln in lines if ln[2] >= cutoff]


def by_customer(lines: Sequence[Line]) -> dict[int, list[Line]]:
    out: dict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        if ln[1] is not None:
            out[ln[1]].append(ln)
    return out


def sorted_for_stats(lines: Sequence[Line]) -> list[Line]:
    return sorted(lines, key=lambda ln: (ln[1] is not None, ln[1] or 0, ln[2], ln[0]))
