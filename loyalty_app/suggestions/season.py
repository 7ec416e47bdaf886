"""The time of year: what sells more than usual in the weeks around a day (gift sets before Christmas, light
vinegars in summer), from the same weeks of earlier years. Pure counting, no dates beyond the day ordinal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, TypedDict

WEEKS = 53  # week of the year, 0..52 (the 53rd holds the last day or two)
WINDOW = 1  # weeks either side of the day's week that count as "this time of year"
MIN_BASKETS = 50  # fewer baskets than this in the window say nothing about the season
SHRINK = 50.0  # pseudo-baskets at the product's usual rate: a few sales in a quiet window are not a season
KEY = 1 << 32  # week * KEY + product id: one flat counter while building
TOP = 10  # products a window speaks for: the few that stand out (the rest is noise, and costs every ranking)


@lru_cache(maxsize=4096)
def week_of(day: int) -> int:
    """Week of the year (0..52) of a day ordinal."""
    return (date.fromordinal(day).timetuple().tm_yday - 1) // 7


class SeasonJson(TypedDict):
    """A season as saved with the statistics: baskets per week, and per week each product's baskets."""

    baskets: dict[str, int]
    products: dict[str, dict[str, int]]


@dataclass
class Season:
    """Baskets per week of the year, and each product's baskets per week."""

    baskets: Counter[int] = field(default_factory=Counter)
    products: dict[int, Counter[int]] = field(default_factory=dict)
    _cache: dict[int, dict[int, float]] = field(default_factory=dict, repr=False)
    _ranked: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def add_basket(self, day: int, items: Iterable[int]) -> None:
        week = week_of(day)
        self.baskets[week] += 1
        self.products.setdefault(week, Counter()).update(items)
        self._cache.clear()
        self._ranked.clear()

    def add_counts(self, baskets: Mapping[int, int], products: Mapping[int, int]) -> None:
        """Bulk counts: baskets per week, and baskets per ``week * KEY + product`` (the full build counts so)."""
        self.baskets.update(baskets)
        for key, c in products.items():
            week, p = divmod(key, KEY)
            row = self.products.setdefault(week, Counter())
            row[p] += c
        self._cache.clear()
        self._ranked.clear()

    def lift(self, day: int, usual: Mapping[int, int], n_baskets: int) -> dict[int, float]:
        """For the weeks around ``day``: each product's share of baskets above its usual share (0 when not
        above), shrunk towards the usual share when the window is thin. ``usual`` is baskets per product over
        the whole history of ``n_baskets`` baskets. Only the ``TOP`` products furthest above."""
        week = week_of(day)
        cached = self._cache.get(week)
        if cached is not None:
            return cached
        weeks = [(week + d) % WEEKS for d in range(-WINDOW, WINDOW + 1)]
        n = sum(self.baskets.get(w, 0) for w in weeks)
        out: dict[int, float] = {}
        if n >= MIN_BASKETS and n_baskets:
            counts: Counter[int] = Counter()
            for w in weeks:
                counts.update(self.products.get(w, {}))
            for p, c in counts.items():
                base = usual.get(p, 0) / n_baskets
                above = (c + SHRINK * base) / (n + SHRINK) - base
                if above > 0:
                    out[p] = above
            out = dict(sorted(out.items(), key=lambda t: (-t[1], t[0]))[:TOP])
        self._cache[week] = out
        return out

    def ahead(self, day: int, horizon: int, usual: Mapping[int, int], n_baskets: int) -> dict[int, float]:
        """``lift`` averaged over the weeks from ``day`` to ``day + horizon`` (what the coming period favours)."""
        key = -(day * 1000 + horizon)  # negative keys: never a week number
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        days = range(day, day + max(1, horizon), 7)
        out: dict[int, float] = {}
        for d in days:
            for p, v in self.lift(d, usual, n_baskets).items():
                out[p] = out.get(p, 0.0) + v / len(days)
        self._cache[key] = out
        return out

    def popular(self, day: int) -> list[int]:
        """Products by baskets in the weeks around ``day`` (this time of year), most first: a baseline."""
        week = week_of(day)
        ranked = self._ranked.get(week)
        if ranked is None:
            counts: Counter[int] = Counter()
            for d in range(-WINDOW, WINDOW + 1):
                counts.update(self.products.get((week + d) % WEEKS, {}))
            ranked = self._ranked[week] = sorted(counts, key=lambda p: (-counts[p], p))
        return ranked

    def to_json(self) -> SeasonJson:
        return {"baskets": {str(w): c for w, c in self.baskets.items()},
                "products": {str(w): {str(p): c for p, c in row.items()} for w, row in self.products.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Season:
        season = cls()
        for w, c in (data.get("baskets") or {}).items():
            season.baskets[int(w)] = int(c)
        for w, row in (data.get("products") or {}).items():
            season.products[int(w)] = Counter({int(p): int(c) for p, c in row.items()})
        return season
