"""Co-purchase statistics over all baskets and all customers, built in one pass and caught up incrementally."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations, groupby
from operator import itemgetter

from loyalty_app.suggestions.catalogue import Catalogue, Line
from loyalty_app.suggestions.refill import (
    SIGMA_PRIOR,
    Event,
    Population,
    Summary,
    amount_elasticity,
    merge_events,
    other_buyer_rhythms,
    pooled_noise,
    summarise,
)
from loyalty_app.suggestions.season import Season, week_of

MIN_SUPPORT = 2  # a pair seen once is chance, not a pattern
SUPPORT_SHRINK = 3.0  # sim * c / (c + 3): pairs with little support are trusted less
ALPHA = {"basket": 0.3, "customer": 0.3}  # c / (n_a^(1-a) * n_b^a): 0.5 is cosine; lower favours popular partners, higher rare ones
CUSTOMER_CAP = 40  # a customer's most recent distinct products used for customer-level pairs
KEY = 1 << 32
TOP_NEIGHBOURS = 30
KINDS = ("basket", "customer")


@dataclass
class Stats:
    """Counts behind every cross-sell score; ``pairs[kind][a][b]`` is symmetric."""

    baskets: Counter[int] = field(default_factory=Counter)
    buyers: Counter[int] = field(default_factory=Counter)
    n_baskets: int = 0
    n_customers: int = 0
    pairs: dict[str, dict[int, Counter[int]]] = field(default_factory=lambda: {k: {} for k in KINDS})
    rhythms: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    beta: float = 1.0  # amount elasticity of the gaps between purchases (refill.amount_elasticity)
    sigma: float = SIGMA_PRIOR  # within-customer spread of log intervals (refill.pooled_noise)
    last_purchase_id: int = 0
    season: Season = field(default_factory=Season)
    _neighbours: dict[tuple[str, int], list[tuple[int, float]]] = field(default_factory=dict, repr=False)
    _shares: tuple[object, dict[int, float]] | None = field(default=None, repr=False)

    def size_shares(self, catalogue: Catalogue) -> dict[int, float]:
        """Each product's share of its family's sales (smoothed; a family never sold shares evenly; a product on
        its own has it all), counted once per catalogue and kept until the counts change."""
        if self._shares is None or self._shares[0] is not catalogue:
            shares: dict[int, float] = {}
            for members in catalogue.members.values():
                if len(members) == 1:
                    shares[members[0]] = 1.0
                    continue
                total = sum(self.baskets.get(m, 0) for m in members) + len(members)
                for m in members:
                    shares[m] = (self.baskets.get(m, 0) + 1) / total
            self._shares = (catalogue, shares)
        return self._shares[1]

    def neighbours(self, kind: str, product_id: int) -> list[tuple[int, float]]:
        """Products that go with ``product_id``, best first, as (other_id, similarity in 0..1)."""
        key = (kind, product_id)
        cached = self._neighbours.get(key)
        if cached is not None:
            return cached
        counts = self.buyers if kind == "customer" else self.baskets
        alpha = ALPHA[kind]
        row: Mapping[int, int] = self.pairs[kind].get(product_id, {})
        na = counts.get(product_id, 0)
        scored = []
        for other, c in row.items():
            nb = counts.get(other, 0)
            if c >= MIN_SUPPORT and na and nb:
                scored.append((other, c / (na ** (1 - alpha) * nb ** alpha) * c / (c + SUPPORT_SHRINK)))
        scored.sort(key=lambda t: (-t[1], t[0]))
        result = scored[:TOP_NEIGHBOURS]
        self._neighbours[key] = result
        return result

    def population(self) -> Population:
        return Population(self.rhythms, self.beta, self.sigma)

    def popularity(self, product_id: int) -> float:
        return self.baskets.get(product_id, 0) / self.n_baskets if self.n_baskets else 0.0

    def add_pair_counts(self, kind: str, counts: Counter[int]) -> None:
        """add_pair_rows from counts keyed ``a * KEY + b``."""
        rows: dict[int, dict[int, int]] = {}
        for key, c in counts.items():
            a, b = divmod(key, KEY)
            rows.setdefault(a, {})[b] = c
        self.add_pair_rows(kind, rows)

    def add_pair_rows(self, kind: str, rows: Mapping[int, Mapping[int, int]], min_support: int = 1) -> None:
        """Add ``rows[a][b]`` (a < b) both ways, leaving out counts under ``min_support``."""
        table = self.pairs[kind]
        for a, row in rows.items():
            for b, c in row.items():
                if c >= min_support:
                    mine = table.get(a)
                    if mine is None:
                        mine = table[a] = Counter()
                    mine[b] += c
                    theirs = table.get(b)
                    if theirs is None:
                        theirs = table[b] = Counter()
                    theirs[a] += c
        self._neighbours.clear()

    def pair_rows(self, min_support: int = MIN_SUPPORT) -> Iterable[tuple[str, int, int, int]]:
        for kind in KINDS:
            for a, row in self.pairs[kind].items():
                for b, c in row.items():
                    if a < b and c >= min_support:
                        yield kind, a, b, c

    def add_purchases(self, lines: Iterable[Line], customer_products: Callable[[int, int], list[int]]) -> int:
        """Catch up with purchases made since the last build (lines of purchases newer than last_purchase_id).
        ``customer_products(customer_id, purchase_id)`` gives what that customer had bought before."""
        by_purchase: dict[int, list[Line]] = defaultdict(list)
        for line in lines:
            if line[0] > self.last_purchase_id:
                by_purchase[line[0]].append(line)
        basket_pairs: Counter[int] = Counter()
        customer_pairs: Counter[int] = Counter()
        for purchase_id in sorted(by_purchase):
            items = sorted({ln[3] for ln in by_purchase[purchase_id]})
            customer_id = by_purchase[purchase_id][0][1]
            self.n_baskets += 1
            self.baskets.update(items)
            self.season.add_basket(by_purchase[purchase_id][0][2], items)
            basket_pairs.update(a * KEY + b for a, b in combinations(items, 2))
            if customer_id is not None:
                before = set(customer_products(customer_id, purchase_id))
                if not before:
                    self.n_customers += 1
                for p in items:
                    if p not in before:
                        self.buyers[p] += 1
                        customer_pairs.update(min(p, o) * KEY + max(p, o) for o in before)
                        before.add(p)
            self.last_purchase_id = purchase_id
        self._shares = None
        self.add_pair_counts("basket", basket_pairs)
        self.add_pair_counts("customer", customer_pairs)
        return len(by_purchase)


def build_stats(lines: Iterable[Line], catalogue: Catalogue, progress: Callable[[int], None] | None = None,
                cancel: Callable[[], bool] | None = None,
                units_out: list[tuple[int, dict[str, Summary]]] | None = None,
                keep_singletons: bool = True) -> Stats | None:
    """Stats from lines ordered by (customer, time, purchase); None when cancelled. ``units_out``, when given,
    receives each customer's units as the rhythms read them (refill.summarise with the shop's size
    elasticity), so that everyone's rhythms need not read the history again. Without
    ``keep_singletons`` the pairs seen once are left out (no score reads them; only a catch-up could raise them
    to the support a score needs, and the stored statistics leave them out anyway)."""
    stats = Stats()
    # Identical baskets in one week (and identical sets of a customer's recent products) are counted as one key
    # and expanded into pairs once at the end: most baskets of a shop repeat.
    week_baskets: Counter[tuple[int, tuple[int, ...]]] = Counter()
    recent_sets: Counter[tuple[int, ...]] = Counter()
    customer_events: list[dict[str, list[Event]]] = []
    customer_ids: list[int] = []
    done = last_purchase = 0
    weeks: dict[int, int] = {}
    for customer_id, group in groupby(lines, key=itemgetter(1)):
        rows = list(group)
        if customer_id is None:
            last_purchase = max(last_purchase, _add_baskets(rows, week_baskets, weeks))
        else:
            newest, last_seen, raw, in_order = _read_customer(rows, catalogue, week_baskets, weeks)
            last_purchase = max(last_purchase, newest)
            if len(last_seen) > CUSTOMER_CAP:
                recent = sorted(sorted(last_seen, key=lambda p: -last_seen[p])[:CUSTOMER_CAP])
            else:
                recent = sorted(last_seen)
            stats.n_customers += 1
            stats.buyers.update(last_seen.keys())
            if len(recent) > 1:
                recent_sets[tuple(recent)] += 1
            customer_events.append(merge_events(raw, in_order=in_order))
            customer_ids.append(customer_id)
        if cancel is not None and cancel():
            return None
        if progress is not None and done // 50_000 != (done + len(rows)) // 50_000:
            progress(done + len(rows))
        done += len(rows)
    stats.last_purchase_id = last_purchase
    _count_pairs(stats, week_baskets, recent_sets, keep_singletons)
    del week_baskets, recent_sets
    stats.beta = amount_elasticity(customer_events)
    powers: dict[float, float] = {}
    summaries = [summarise(units, stats.beta, powers) for units in customer_events]
    del customer_events
    stats.rhythms = other_buyer_rhythms(summaries)
    stats.sigma = pooled_noise(summaries)
    if units_out is not None:
        units_out.extend(zip(customer_ids, summaries, strict=True))
    return stats


def _add_baskets(rows: list[Line], week_baskets: Counter[tuple[int, tuple[int, ...]]], weeks: dict[int, int]) -> int:
    """Count one customer's baskets (consecutive lines of one purchase) by week of the year and products;
    returns the newest purchase id seen. ``weeks`` memoises week_of."""
    purchase_id, week, items = -1, 0, [0]
    newest = 0
    keys: list[tuple[int, tuple[int, ...]]] = []  # counted at the end in one call (Counter's C loop)
    for ln in rows:
        if ln[0] != purchase_id:
            if purchase_id != -1:
                keys.append((week, _basket_key(items)))
            purchase_id, items = ln[0], [ln[3]]
            week = weeks.get(ln[2], -1)
            if week == -1:
                week = weeks[ln[2]] = week_of(ln[2])
            if purchase_id > newest:
                newest = purchase_id
        else:
            items.append(ln[3])
    if purchase_id != -1:
        keys.append((week, _basket_key(items)))
    week_baskets.update(keys)
    return newest


def _read_customer(rows: list[Line], catalogue: Catalogue, week_baskets: Counter[tuple[int, tuple[int, ...]]],
                   weeks: dict[int, int]) -> tuple[int, dict[int, int], dict[str, list[Event]], bool]:
    """One customer's lines read once: their baskets counted as _add_baskets does, and (newest purchase id,
    each product's last day in first-bought order, each unit's events in the order bought as
    refill.unit_events gathers them before merging, and whether the purchases came in day order)."""
    purchase_id, week, items = -1, 0, [0]
    newest = previous_day = 0
    in_order = True
    last_seen: dict[int, int] = {}
    raw: dict[str, list[Event]] = {}
    keys: list[tuple[int, tuple[int, ...]]] = []  # the baskets, counted at the end in one call
    unit_amount = catalogue.unit_amount
    for pid, _cid, day, product_id, qty in rows:
        if pid != purchase_id:
            if purchase_id != -1:
                keys.append((week, _basket_key(items)))
            if day < previous_day:
                in_order = False
            previous_day = day
            purchase_id, items = pid, [product_id]
            week = weeks.get(day, -1)
            if week == -1:
                week = weeks[day] = week_of(day)
            if pid > newest:
                newest = pid
        else:
            items.append(product_id)
        last_seen[product_id] = day
        unit_per = unit_amount.get(product_id)
        if unit_per is not None and qty > 0:
            unit, per_item = unit_per
            events = raw.get(unit)
            if events is None:
                raw[unit] = [(day, qty * per_item, product_id)]
            else:
                events.append((day, qty * per_item, product_id))
    if purchase_id != -1:
        keys.append((week, _basket_key(items)))
    week_baskets.update(keys)
    return newest, last_seen, raw, in_order


def _basket_key(items: list[int]) -> tuple[int, ...]:
    """tuple(sorted(set(items))), quicker for the one- and two-line baskets most are."""
    if len(items) == 1:
        return (items[0],)
    if len(items) == 2:
        a, b = items
        return (a, b) if a < b else (b, a) if b < a else (a,)
    return tuple(sorted(set(items)))


def _count_pairs(stats: Stats, week_baskets: Mapping[tuple[int, tuple[int, ...]], int],
                 recent_sets: Mapping[tuple[int, ...], int], keep_singletons: bool) -> None:
    """Baskets, the time of year and both kinds of pairs from the counted baskets and recent-product sets."""
    season_weeks: Counter[int] = Counter()
    season_products: Counter[int] = Counter()
    basket_sets: Counter[tuple[int, ...]] = Counter()  # the same products in baskets of other weeks, added up
    for (week, items), c in week_baskets.items():
        stats.n_baskets += c
        season_weeks[week] += c
        base = week * KEY
        for p in items:
            season_products[base + p] += c
        if len(items) > 1:
            basket_sets[items] += c
    support = 1 if keep_singletons else MIN_SUPPORT
    stats.add_pair_rows("basket", _pair_rows(basket_sets.items()), support)
    del basket_sets
    stats.add_pair_rows("customer", _pair_rows(recent_sets.items()), support)
    stats.season.add_counts(season_weeks, season_products)
    for key in sorted(season_products, key=lambda k: (k % KEY, k)):  # products in id order
        stats.baskets[key % KEY] += season_products[key]


def _pair_rows(sets: Iterable[tuple[tuple[int, ...], int]]) -> dict[int, Counter[int]]:
    """For each product ``a``, how often each later product ``b`` shared a set with it, from (sorted distinct
    products, times seen): each set's tail after ``a`` is counted in one call of Counter's C loop, not a Python
    step per pair (a regular's 40 recent products are 780 pairs)."""
    rows: dict[int, Counter[int]] = {}
    for items, c in sets:
        for i in range(len(items) - 1):
            row = rows.get(items[i])
            if row is None:
                row = rows[items[i]] = Counter()
            if c == 1:
                row.update(items[i + 1:])
            else:
                for b in items[i + 1:]:
                    row[b] += c
    return rows


def basket_scores(basket: Iterable[int], stats: Stats) -> tuple[dict[int, float], dict[int, int]]:
    """Products that complete a basket: summed basket-level similarity to its items, and the strongest source."""
    items = set(basket)
    scores: dict[int, float] = defaultdict(float)
    source: dict[int, int] = {}
    best: dict[int, float] = {}
    for b in items:
        for other, sim in stats.neighbours("basket", b):
            if other in items:
                continue
            scores[other] += sim
            if sim > best.get(other, 0.0):
                best[other], source[other] = sim, b
    return dict(scores), source


def basket_candidates(basket: Iterable[int], stats: Stats, season_weight: float = 0.0, day: int | None = None
                      ) -> tuple[dict[int, float], dict[int, int | None]]:
    """What completes a basket on ``day``: co-purchase with its items plus (weighted) what sells more than usual
    at this time of year; and for each product the basket item it goes with best, or None where the time of
    year says more than the basket does."""
    items = set(basket)
    scores, source = basket_scores(items, stats)
    by: dict[int, int | None] = dict(source)
    if day is not None and season_weight > 0:
        for p, v in stats.season.lift(day, stats.baskets, stats.n_baskets).items():
            if p in items:
                continue
            part = season_weight * v
            if part > scores.get(p, 0.0):
                by[p] = None
            scores[p] = scores.get(p, 0.0) + part
    return scores, by
