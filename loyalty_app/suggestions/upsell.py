"""Up-sell: a larger size of something the customer buys again and again, only when it is cheaper per unit.
Unit prices are compared as exact fractions of cents; the saving is rounded to whole cents only for display."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from loyalty_app.i18n import _
from loyalty_app.money import format_money
from loyalty_app.suggestions.catalogue import Catalogue, Line, ProductInfo

MIN_REPEATS = 2  # purchase days of the family before a bigger size is worth mentioning


@dataclass(frozen=True)
class UpsellOffer:
    product_id: int  # the bigger size
    instead_of: int  # the size they buy
    saving_cents: int  # per reference quantity, rounded half up
    reference: str  # "100 ml", "100 g", "item"
    reason: str


def reference_quantity(unit: str, sizes: Iterable[int]) -> tuple[int, str]:
    """The quantity a saving is quoted per: 100 ml / 100 g for liquids and weights, 1 for items or ounces."""
    if unit in ("ml", "g") and min(sizes) >= 100:
        return 100, f"100 {unit}"
    if unit in ("ml", "g"):
        return 10, f"10 {unit}"
    return 1, _("item") if unit == "pc" else unit


def unit_price(p: ProductInfo) -> Fraction:
    assert p.size_quantity
    return Fraction(p.price_cents, p.size_quantity)


def saving(small: ProductInfo, big: ProductInfo, currency: str = "USD") -> UpsellOffer | None:
    """The offer of ``big`` instead of ``small``, or None unless it is larger and really cheaper per unit."""
    if (not small.family or small.family != big.family or not small.size_quantity or not big.size_quantity
            or small.size_unit != big.size_unit or big.size_quantity <= small.size_quantity or not big.active):
        return None
    assert small.size_unit is not None
    ref, label = reference_quantity(small.size_unit, (small.size_quantity, big.size_quantity))
    diff = (unit_price(small) - unit_price(big)) * ref
    cents = int(diff + Fraction(1, 2))  # half up; diff > 0 here
    if diff <= 0 or cents < 1:
        return None
    size = (f"{big.size_quantity} {big.size_unit}" if big.size_unit != "pc"
            else _("pack of {n}").format(n=big.size_quantity))
    return UpsellOffer(big.id, small.id, cents, label,
                       _("{size} saves {amount} per {quantity}").format(size=size, amount=format_money(cents, currency),
                                                                        quantity=label))


def offers(lines: Iterable[Line], catalogue: Catalogue, currency: str = "USD") -> list[UpsellOffer]:
    """For each size the customer buys repeatedly (and bought last in its family), the best cheaper bigger size."""
    days: Counter[str] = Counter()
    last: dict[str, tuple[int, int]] = {}
    seen: set[tuple[str, int]] = set()
    for _pid, _cid, day, product_id, _qty in lines:
        p = catalogue.products.get(product_id)
        if p is None or not p.family:
            continue
        if (p.family, day) not in seen:
            seen.add((p.family, day))
            days[p.family] += 1
        if p.family not in last or day >= last[p.family][0]:
            last[p.family] = (day, product_id)
    out = []
    for family, n in days.items():
        if n < MIN_REPEATS:
            continue
        small = catalogue.products[last[family][1]]
        unit = catalogue.unit[small.id]
        best = None
        for other in catalogue.members.get(unit, []):
            offer = saving(small, catalogue.products[other], currency)
            if offer is not None and (best is None or offer.saving_cents > best.saving_cents):
                best = offer
        if best is not None:
            out.append(best)
    return out
