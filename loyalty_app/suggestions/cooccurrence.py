"""Co-purchase statistics over all baskets and all customers, built in one pass and caught up incrementally."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from loyalty_app.suggestions.catalogue import Catalogue, Line
from loyalty_app.suggestions.refill import (
    SIGMA_PRIOR,
    Event,
    Population,
    amount_elasticity,
    other_buyer_rhythms,
    pooled_noise,
    unit_events,
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
        table = self.pairs[kind]
        for key, c in counts.items():
            a, b = divmod(key, KEY)
            table.setdefault(a, Counter())[b] += c
            table.setdefault(b, Counter())[a] += c
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
                events_out: list[tuple[int, dict[str, list[Event]]]] | None = None) -> Stats | None:
    """Stats from lines ordered by (customer, time, purchase); None when cancelled. ``events_out``, when given,
    receives each customer's purchase events per unit as the rhythms see them (refill.unit_events with the
    shop's size elasticity), so that everyone's rhythms need not read the history again."""
    stats = Stats()
    basket_pairs: Counter[int] = Counter()
    customer_pairs: Counter[int] = Counter()
    season_weeks: Counter[int] = Counter()
    season_products: Counter[int] = Counter()
    customer_events: list[dict[str, list[Event]]] = []
    customer_ids: list[int] = []
    current: int | None = -1
    chunk: list[Line] = []
    done = 0

    def flush_customer(customer_id: int | None, rows: list[Line]) -> None:
        purchase_id, day, items = -1, 0, set[int]()
        keys: list[int] = []  # week * KEY + product, counted once per customer (cheaper than per basket)
        for ln in rows + [(-2, None, 0, 0, 0)]:
            if ln[0] != purchase_id:
                if items:
                    s = sorted(items)
                    stats.n_baskets += 1
                    week = week_of(day)
                    season_weeks[week] += 1
                    keys.extend(week * KEY + p for p in s)
                    if len(s) > 1:
                        basket_pairs.update(a * KEY + b for a, b in combinations(s, 2))
                purchase_id, day, items = ln[0], ln[2], set()
                if purchase_id > stats.last_purchase_id:
                    stats.last_purchase_id = purchase_id
            items.add(ln[3])
        season_products.update(keys)
        if customer_id is None:
            return
        last_seen: dict[int, int] = {}
        for ln in rows:
            last_seen[ln[3]] = ln[2]
        recent = sorted(sorted(last_seen, key=lambda p: -last_seen[p])[:CUSTOMER_CAP])
        stats.n_customers += 1
        stats.buyers.update(last_seen.keys())
        if len(recent) > 1:
            customer_pairs.update(a * KEY + b for a, b in combinations(recent, 2))
        customer_events.append(unit_events(rows, catalogue))
        customer_ids.append(customer_id)

    for line in lines:
        if line[1] != current:
            if chunk:
                flush_customer(current, chunk)
                if cancel is not None and cancel():
                    return None
                if progress is not None and done // 50_000 != (done + len(chunk)) // 50_000:
                    progress(done + len(chunk))
                done += len(chunk)
            current, chunk = line[1], []
        chunk.append(line)
    if chunk:
        flush_customer(current, chunk)
    stats.add_pair_counts("basket", basket_pairs)
    stats.add_pair_counts("customer", customer_pairs)
    stats.season.add_counts(season_weeks, season_products)
    for key, c in season_products.items():
        stats.baskets[key % KEY] += c
    stats.beta = amount_elasticity(customer_events)
    if stats.beta != 1.0:
        customer_events = [{u: [(d, a ** stats.beta, p) for d, a, p in es] for u, es in units.items()}
                           for units in customer_events]
    stats.rhythms = other_buyer_rhythms(customer_events)
    stats.sigma = pooled_noise(customer_events)
    if events_out is not None:
        events_out.extend(zip(customer_ids, customer_events, strict=True))
    return stats


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
