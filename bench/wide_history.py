"""A purchase history of another shape than the demo shop's, for speed and for a sober look at the evaluation: a
big flat catalogue (thousands of products, no families or sizes, as a POS item list gives), popularity falling off
steeply, customers with drifting repertoires bought at random rather than on a rhythm, a few complementary pairs,
a quarter of the baskets anonymous. Pure data in memory (no shop database): (lines, catalogue) for evaluate()."""

from __future__ import annotations

import math
import random
from datetime import date
from itertools import accumulate

from loyalty_app.suggestions.catalogue import Catalogue, Line, ProductInfo


def wide_history(seed: int = 1, products: int = 3000, customers: int = 8000, days: int = 730,
                 end: date = date(2026, 11, 30), anonymous: float = 0.25) -> tuple[list[Line], Catalogue]:
    rnd = random.Random(seed)
    categories = [f"Aisle {i}" for i in range(40)]
    catalogue = []
    for i in range(products):
        tags = tuple(sorted({f"tag{rnd.randrange(150)}", f"tag{rnd.randrange(150)}"}))
        catalogue.append(ProductInfo(i + 1, f"W{i + 1}", f"Product {i + 1}", None, rnd.choice(categories), tags,
                                     None, None, rnd.randrange(200, 3000), None, None, True))
    ids = [p.id for p in catalogue]
    weight = [1.0 / (i + 1) ** 0.9 for i in range(products)]
    rnd.shuffle(weight)
    overall = list(accumulate(weight))
    partner = {p: rnd.choices(ids, cum_weights=overall)[0] for p in ids if rnd.random() < 0.4}
    last = end.toordinal()
    first = last - days
    baskets: list[tuple[int, int | None, list[int]]] = []

    def with_partners(items: list[int]) -> list[int]:
        return items + [partner[p] for p in items if p in partner and rnd.random() < 0.2]

    for cid in range(1, customers + 1):
        liked = set(rnd.sample(categories, 3))
        cum = list(accumulate(w * (6 if catalogue[i].category in liked else 1) for i, w in enumerate(weight)))
        usual = {rnd.choices(ids, cum_weights=cum)[0]: rnd.uniform(0.1, 0.7) for _ in range(rnd.randint(3, 15))}
        gap = math.exp(rnd.gauss(math.log(25), 0.8))
        day = start = first + rnd.randrange(days)
        stays = rnd.expovariate(1 / 500)
        while day < last and day - start < stays:
            items = [p for p, chance in usual.items() if rnd.random() < chance]
            if rnd.random() < 0.35:
                items.append(rnd.choices(ids, cum_weights=cum)[0])
            baskets.append((day, cid, with_partners(items) or [rnd.choice(list(usual))]))
            if rnd.random() < 0.05:  # tastes drift
                usual.pop(rnd.choice(list(usual)), None)
                usual[rnd.choices(ids, cum_weights=cum)[0]] = rnd.uniform(0.1, 0.7)
            day += max(1, int(rnd.expovariate(1 / gap)))
    for _ in range(int(anonymous * len(baskets) / (1 - anonymous))):
        items = rnd.choices(ids, cum_weights=overall, k=rnd.choice((1, 1, 2, 3)))
        baskets.append((first + rnd.randrange(days), None, with_partners(items)))
    baskets.sort(key=lambda b: b[0])
    lines = [(n, cid, day, p, rnd.choice((1, 1, 1, 2))) for n, (day, cid, items) in enumerate(baskets, 1)
             for p in sorted(set(items))]
    return lines, Catalogue(catalogue)
