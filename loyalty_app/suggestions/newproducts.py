"""New products (no sales yet): who will care, from the families, tags and categories each customer buys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from loyalty_app.i18n import _
from loyalty_app.suggestions.catalogue import Catalogue, ProductInfo

NEW_DAYS = 120  # launched this recently (or never sold) counts as new at the counter
HALF_LIFE_DAYS = 180.0


@dataclass(frozen=True)
class AudienceMember:
    customer_id: int
    score: float
    reason: str


def related_products(target: ProductInfo, catalogue: Catalogue) -> list[int]:
    """Products that share the family, a tag or the category with ``target`` (itself excluded)."""
    ids: set[int] = set()
    if target.family:
        ids.update(catalogue.by_family.get(target.family.lower(), ()))
    for t in target.tags:
        ids.update(catalogue.by_tag.get(t, ()))
    if target.category:
        ids.update(catalogue.by_category.get(target.category.lower(), ()))
    ids.discard(target.id)
    return sorted(ids)


def match(p: ProductInfo, target: ProductInfo) -> tuple[float, str]:
    """How strongly buying ``p`` says a customer will like ``target``, with the words for the strongest link."""
    parts: list[tuple[float, str]] = []
    if p.family and target.family and p.family.lower() == target.family.lower():
        parts.append((0.5, _("buys {family} (family)").format(family=p.family)))
    shared = sorted(set(p.tags) & set(target.tags))
    if shared:
        parts.append((0.3 * len(shared) / max(1, len(target.tags)), _("loves {tag} (tag)").format(tag=shared[0])))
    if p.category and target.category and p.category.lower() == target.category.lower():
        parts.append((0.2, _("buys {category} (category)").format(category=p.category)))
    if not parts:
        return 0.0, ""
    return sum(s for s, _words in parts), parts[0][1]  # the most specific link reads best: family, tag, category


def audience(rows: Iterable[tuple[int, int, int]], target: ProductInfo, catalogue: Catalogue,
             today: int) -> list[AudienceMember]:
    """Rank customers from (customer_id, product_id, day) purchase rows of related products: recent, frequent
    buyers of the same family first, then of shared tags, then of the category."""
    score: dict[int, float] = defaultdict(float)
    best: dict[int, tuple[float, str]] = {}
    cache: dict[int, tuple[float, str]] = {}
    for customer_id, product_id, day in rows:
        p = catalogue.products.get(product_id)
        if p is None:
            continue
        m = cache.get(product_id)
        if m is None:
            m = cache[product_id] = match(p, target)
        if m[0] <= 0:
            continue
        contribution = m[0] * 0.5 ** (max(0, today - day) / HALF_LIFE_DAYS)
        score[customer_id] += contribution
        if contribution > best.get(customer_id, (0.0, ""))[0]:
            best[customer_id] = (contribution, m[1])
    members = [AudienceMember(c, round(s, 4), best[c][1]) for c, s in score.items()]
    members.sort(key=lambda m: (-m.score, m.customer_id))
    return members
