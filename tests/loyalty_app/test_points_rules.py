"""The points arithmetic, including hypothesis properties: exact integers, returns that add up."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_app.errors import ValidationError
from loyalty_app.points_rules import PointsProgram, allocate, pro_rata

PROGRAM = PointsProgram(earn_points=1, earn_per_cents=100, redeem_points=100, redeem_cents=500,
                        min_redeem_points=100, max_redeem_percent=50)


def test_points_are_earned_per_whole_currency_unit_rounded_down():
    assert PROGRAM.points_for(1999) == 19
    assert PROGRAM.points_for(-500) == 0


def test_redemption_value_and_limits():
    assert PROGRAM.check_redemption(200, balance=300, basket_cents=5000) == 1000
    with pytest.raises(ValidationError, match="balance is 150"):
        PROGRAM.check_redemption(200, balance=150, basket_cents=5000)
    with pytest.raises(ValidationError, match="minimum is 100"):
        PROGRAM.check_redemption(40, balance=150, basket_cents=5000)
    with pytest.raises(ValidationError, match="50% of the basket"):
        PROGRAM.check_redemption(300, balance=1000, basket_cents=2000)


def test_redeem_steps_keep_values_exact():
    odd = PointsProgram(redeem_points=3, redeem_cents=2, min_redeem_points=0)
    assert odd.redeem_step == 3
    with pytest.raises(ValidationError, match="steps of 3"):
        odd.check_redemption(4, balance=10, basket_cents=1000)


@given(st.integers(min_value=0, max_value=10**9), st.lists(st.integers(min_value=0, max_value=10**7), min_size=1,
                                                          max_size=30))
def test_allocation_always_sums_to_the_total(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert all(isinstance(p, int) and p >= 0 for p in parts)


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=50), st.data())
def test_partial_returns_add_up_to_the_whole(amount, qty, data):
    returned, total = 0, 0
    while returned < qty:
        step = data.draw(st.integers(min_value=1, max_value=qty - returned))
        share = pro_rata(amount, qty, returned, step)
        assert 0 <= share <= amount
        total += share
        returned += step
    assert total == amount
