"""Who buys what, when: each regular's own refill rhythm, real co-purchase affinities, seasons, churn."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from loyalty_app.demo.catalogue import AFFINITIES, PAIRINGS, DemoProduct

GIFT_SEASON = ((11, 15), (12, 24))
CLOSED = {(1, 1), (7, 4), (12, 25)}
TRY_PAIRING = 0.5  # a first try at the tasting bar is, half the time, what pairs with something in the basket


@dataclass
class Favourite:
    family: str
    size_ml: int | None
    interval: float  # days a bottle of this size lasts this customer
    next_due: date


@dataclass
class Shopper:
    kind: str  # regular | occasional | one-off
    start: date
    end: date
    store: str
    favourites: list[Favourite] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)


class Catalogue:
    def __init__(self, products: list[DemoProduct]) -> None:
        self.sold = [p for p in products if p.launch_months_ago > 0]
        self.by_family: dict[str, list[DemoProduct]] = {}
        for p in self.sold:
            self.by_family.setdefault(p.family, []).append(p)
        self.families = [f for f in self.by_family if not self.by_family[f][0].seasonal]
        # A few families are far more popular than the rest, as in every shop.
        self.weights = [8 if i < 4 else (4 if i < 10 else 1.5) for i in range(len(self.families))]
        self.gifts = [p for p in self.sold if p.seasonal]
        self.affinity: dict[str, list[tuple[str, float]]] = {}
        self.tag_cache: dict[frozenset[str], list[str]] = {}
        for a, b, prob in AFFINITIES:
            self.affinity.setdefault(a, []).append((b, prob))
        self.pairings: dict[str, list[str]] = {}
        for a, b in PAIRINGS:
            self.pairings.setdefault(a, []).append(b)
            self.pairings.setdefault(b, []).append(a)

    def pick(self, family: str, size_ml: int | None) -> DemoProduct:
        options = self.by_family[family]
        for p in options:
            if p.size_ml == size_ml:
                return p
        return options[min(1, len(options) - 1)]

    def popular_family(self, rng: random.Random) -> str:
        return rng.choices(self.families, self.weights)[0]


def plan_shopper(rng: random.Random, cat: Catalogue, first: date, today: date) -> Shopper:
    kind = rng.choices(["regular", "occasional", "one-off"], [55, 28, 17])[0]
    span = (today - first).days
    start = first + timedelta(days=0 if rng.random() < 0.5 else rng.randint(0, span))
    end = today
    if kind == "regular" and rng.random() < 0.25:  # some regulars stop coming
        end = start + timedelta(days=rng.randint(60, max(61, span)))
    shopper = Shopper(kind, start, min(end, today), "Downtown" if rng.random() < 0.65 else "Harbour")
    if kind == "regular":
        for _ in range(rng.choices([1, 2, 3, 4, 5], [20, 30, 28, 15, 7])[0]):
            family = cat.popular_family(rng)
            if any(f.family == family for f in shopper.favourites):
                continue
            size = rng.choices([100, 250, 500], [10, 65, 25])[0]
            product = cat.pick(family, size)
            interval = (product.refill_days or 60) * rng.uniform(0.75, 1.3)
            shopper.favourites.append(Favourite(family, product.size_ml, interval,
                                                start + timedelta(days=rng.uniform(0, interval * 0.8))))
            shopper.tags.update(product.tags.split(","))
    else:
        shopper.tags.update(cat.pick(cat.popular_family(rng), 250).tags.split(","))
    return shopper


def visits(rng: random.Random, cat: Catalogue, s: Shopper) -> list[tuple[date, list[tuple[DemoProduct, int]]]]:
    """The shopper's visits with what was bought, oldest first."""
    out: list[tuple[date, list[tuple[DemoProduct, int]]]] = []
    if s.kind == "regular":
        while s.favourites:
            day = min(f.next_due for f in s.favourites) + timedelta(days=round(rng.gauss(0, 3)))
            day = max(day, s.start)
            if day > s.end:
                break
            day = open_day(day, s.end, rng)
            basket: list[tuple[DemoProduct, int]] = []
            for f in s.favourites:
                if f.next_due <= day + timedelta(days=7):
                    if f.size_ml == 250 and rng.random() < 0.04:  # trades up to the bigger bottle
                        f.size_ml, f.interval = 500, f.interval * 1.8
                    qty = 2 if rng.random() < 0.12 else 1
                    basket.append((cat.pick(f.family, f.size_ml), qty))
                    f.next_due = day + timedelta(days=max(7.0, f.interval * qty * rng.gauss(1, 0.12)))
            out.append((day, _extras(rng, cat, day, basket, s)))
    else:
        day = s.start
        count = 0
        while day <= s.end and (s.kind == "occasional" or count < rng.choice([1, 1, 2])):
            family = cat.popular_family(rng) if rng.random() < 0.6 else _by_tag(rng, cat, s.tags)
            when = open_day(day, s.end, rng)
            out.append((when, _extras(rng, cat, when, [(cat.pick(family, rng.choice([100, 250, 250, 500])), 1)],
                                      s)))
            count += 1
            day += timedelta(days=max(5, round(rng.expovariate(1 / 75))))
    return out


def open_day(day: date, last: date, rng: random.Random) -> date:
    """The day a visit planned for ``day`` happens: often pulled to the coming Saturday (the busy day), never on a
    day the shop is closed (New Year, July 4th, Thanksgiving, Christmas), never after ``last``."""
    wd = day.weekday()
    if wd != 5 and (5 - wd) % 7 <= 2 and rng.random() < 0.3:
        day += timedelta(days=(5 - wd) % 7)
        wd = 5
    while (day.month, day.day) in CLOSED or (day.month == 11 and wd == 3 and 22 <= day.day <= 28):
        day += timedelta(days=1)
        wd = day.weekday()
    return min(day, last)


def _by_tag(rng: random.Random, cat: Catalogue, tags: set[str]) -> str:
    key = frozenset(tags)
    matching = cat.tag_cache.get(key)
    if matching is None:
        matching = cat.tag_cache[key] = [f for f in cat.families if tags & set(cat.by_family[f][0].tags.split(","))]
    return rng.choice(matching) if matching else cat.popular_family(rng)


def _extras(rng: random.Random, cat: Catalogue, day: date, basket: list[tuple[DemoProduct, int]],
            s: Shopper) -> list[tuple[DemoProduct, int]]:
    families = {p.family for p, _ in basket}
    for p, _ in list(basket):
        for other, prob in cat.affinity.get(p.family, []):
            if other not in families and rng.random() < prob:
                basket.append((cat.pick(other, 250), 1))
                families.add(other)
    for _ in range(rng.choices([0, 1, 2], [58, 32, 10])[0]):  # tries something new
        paired = [f for p, _ in basket for f in cat.pairings.get(p.family, []) if f not in families]
        if paired and rng.random() < TRY_PAIRING:
            family = rng.choice(paired)  # the staff pour what goes with it
        elif rng.random() < 0.7:
            family = _by_tag(rng, cat, s.tags)  # something that fits their taste
        else:
            family = cat.popular_family(rng)
        if family not in families:
            basket.append((cat.pick(family, rng.choice([100, 250, 250])), 1))
            families.add(family)
    (m1, d1), (m2, d2) = GIFT_SEASON
    if cat.gifts and date(day.year, m1, d1) <= day <= date(day.year, m2, d2) and rng.random() < 0.3:
        basket.append((rng.choice(cat.gifts), rng.choice([1, 1, 2])))
    return basket
