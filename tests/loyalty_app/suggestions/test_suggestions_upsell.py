"""Up-sell savings in exact arithmetic: offered only when the bigger size is really cheaper per unit."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_app.suggestions.catalogue import ProductInfo
from loyalty_app.suggestions.upsell import saving


def bottle(pid: int, ml: int, cents: int, family: str = "Basil olive oil", active: bool = True) -> ProductInfo:
    return ProductInfo(pid, f"B{ml}", f"Basil {ml} ml", family, "Infused oils", ("basil",), ml, "ml", cents, None,
                       None, active)


def test_the_example_from_the_shop() -> None:
    offer = saving(bottle(1, 250, 1200), bottle(2, 500, 2000))
    assert offer is not None and offer.reason == "500 ml saves $0.80 per 100 ml" and offer.saving_cents == 80


def test_no_offer_when_dearer_equal_smaller_inactive_or_another_family() -> None:
    small = bottle(1, 250, 1200)
    assert saving(small, bottle(2, 500, 2400)) is None  # the same per ml
    assert saving(small, bottle(2, 500, 2500)) is None  # dearer per ml
    assert saving(small, bottle(2, 100, 100)) is None  # smaller
    assert saving(small, bottle(2, 500, 2000, active=False)) is None
    assert saving(small, bottle(2, 500, 2000, family="Lemon olive oil")) is None


def test_money_is_formatted_in_the_shop_currency() -> None:
    offer = saving(bottle(1, 250, 1200), bottle(2, 1000, 4000), "EUR")
    assert offer is not None and offer.reason == "1000 ml saves €0.80 per 100 ml"


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2000), st.integers(1, 5000), st.integers(1, 2000), st.integers(1, 20000))
def test_an_offer_means_a_real_saving_of_at_least_half_a_cent(small_ml: int, small_cents: int, big_ml: int,
                                                               big_cents: int) -> None:
    offer = saving(bottle(1, small_ml, small_cents), bottle(2, big_ml, big_cents))
    ref = 100 if min(small_ml, big_ml) >= 100 else 10
    diff = (Fraction(small_cents, small_ml) - Fraction(big_cents, big_ml)) * ref
    if big_ml <= small_ml or diff < Fraction(1, 2):
        assert offer is None
    else:
        assert offer is not None and abs(offer.saving_cents - diff) <= Fraction(1, 2)
