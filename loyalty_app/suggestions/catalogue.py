"""The catalogue as the suggestion maths sees it: products, their refill unit (family) and size amounts."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# (purchase_id, customer_id, local day ordinal, product_id, qty net of returns), as db.suggestion_queries returns.
Line = tuple[int, int | None, int, int, int]


@dataclass(frozen=True)
class ProductInfo:
    id: int
    sku: str
    name: str
    family: str | None
    category: str | None
    tags: tuple[str, ...]
    size_quantity: int | None
    size_unit: str | None
    price_cents: int
    refill_days: int | None
    launched_on: str | None
    active: bool

    @classmethod
    def from_row(cls, r: Mapping[str, Any]) -> ProductInfo:
        tags = tuple(sorted({t.strip().lower() for t in (r.get("tags") or "").split(",") if t.strip()}))
        return cls(int(r["id"]), r["sku"], r["name"], r.get("family") or None, r.get("category") or None, tags,
                   r.get("size_quantity"), r.get("size_unit"), int(r["price_cents"]), r.get("refill_days"),
                   r.get("launched_on"), bool(r.get("active", 1)))


class Catalogue:
    """Products by id, grouped into refill units: a family (all its sizes) or the product on its own."""

    def __init__(self, products: Iterable[ProductInfo]) -> None:
        self.products: dict[int, ProductInfo] = {p.id: p for p in products}
        self.by_sku = {p.sku.lower(): p for p in self.products.values()}
        members: dict[str, list[int]] = defaultdict(list)
        for p in self.products.values():
            members[self._unit_key(p)].append(p.id)
        self.members: dict[str, list[int]] = dict(members)
        self.unit: dict[int, str] = {pid: u for u, ids in members.items() for pid in ids}
        # Sizes only scale a unit when every member states a size in the same base unit (ml, g, pc).
        self._sized: dict[str, bool] = {}
        for u, ids in members.items():
            units = {self.products[i].size_unit for i in ids}
            self._sized[u] = (len(units) == 1 and None not in units
                              and all((self.products[i].size_quantity or 0) > 0 for i in ids))
        # What one item of each product amounts to in its unit: its size when sizes scale the unit, else 1.
        self.per_item: dict[int, float] = {
            pid: float(self.products[pid].size_quantity or 1) if self._sized[u] else 1.0 for pid, u in self.unit.items()}
        self.unit_amount: dict[int, tuple[str, float]] = {pid: (u, self.per_item[pid]) for pid, u in self.unit.items()}
        # Inverted indexes for taste matching: family / tag / category -> product ids.
        self.by_family: dict[str, list[int]] = defaultdict(list)
        self.by_tag: dict[str, list[int]] = defaultdict(list)
        self.by_category: dict[str, list[int]] = defaultdict(list)
        for p in self.products.values():
            if p.family:
                self.by_family[p.family.lower()].append(p.id)
            for t in p.tags:
                self.by_tag[t].append(p.id)
            if p.category:
                self.by_category[p.category.lower()].append(p.id)
        # Rarer tags say more about taste: idf weights, and each product's tag-vector length to normalise by.
        n = max(1, len(self.products))
        self.tag_weight = {t: math.log(1 + n / len(ids)) for t, ids in self.by_tag.items()}
        self.tag_norm = {p.id: math.sqrt(sum(self.tag_weight[t] ** 2 for t in p.tags)) or 1.0
                         for p in self.products.values()}

    @staticmethod
    def _unit_key(p: ProductInfo) -> str:
        return f"family:{p.family.strip().lower()}" if p.family else f"product:{p.id}"

    def amount(self, product_id: int, qty: int) -> float:
        """How much of its unit a line bought: millilitres (or grams, pieces) when sizes are known, else items."""
        return qty * self.per_item[product_id]

    def unit_label(self, unit: str) -> str:
        ids = self.members.get(unit, [])
        if not ids:
            return unit
        p = self.products[ids[0]]
        return p.family if p.family and unit.startswith("family:") else p.name

    def find_sku(self, sku: str) -> ProductInfo | None:
        return self.by_sku.get(sku.strip().lower())

    def short_name(self, product_id: int) -> str:
        """What a cashier says: the family ('Basil olive oil') rather than one size of it."""
        p = self.products[product_id]
        return p.family or p.name
