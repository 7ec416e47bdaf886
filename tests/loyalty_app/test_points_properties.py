"""Properties of the points program through the real services: returns undo sales exactly, partial returns add
up, only a return of spent points makes a balance negative, totals stay integers, redemption stays in bounds."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_app.errors import ValidationError
from loyalty_app.points_rules import PointsProgram
from loyalty_app.sales import SaleItem
from loyalty_app.views import plain

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SKUS = ["BAS250", "BAS500", "WB250", "LEM250"]
_serial = itertools.count()

programs = st.builds(
    PointsProgram,
    earn_points=st.integers(0, 5), earn_per_cents=st.sampled_from([1, 50, 100, 250, 333]),
    redeem_points=st.sampled_from([1, 7, 10, 100, 150]), redeem_cents=st.sampled_from([1, 3, 50, 100, 500]),
    min_redeem_points=st.integers(0, 200), max_redeem_percent=st.integers(0, 100),
)
lines = st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 6), st.integers(0, 5000), st.integers(0, 300)),
                 min_size=1, max_size=4)


def _items(spec) -> list[SaleItem]:
    return [SaleItem(sku, qty, unit_price_cents=unit, tax_cents=tax) for sku, qty, unit, tax in spec]


def _member(shop, owner, start: int) -> int:
    c = shop.customers.sign_up(email=f"prop{next(_serial)}@example.com")
    if start:
        shop.points.adjust(c.id, start, "starting balance", actor=owner)
    return c.id


def _valid_redemption(shop, cid: int, items: list[SaleItem], share: float) -> int:
    """A redemption the program accepts on this basket (0 when none is possible)."""
    program = shop.points.program()
    basket = sum(it.qty * (it.unit_price_cents or 0) for it in items)
    most = program.max_redeemable(shop.points.balance(cid), basket)
    step = program.redeem_step
    points = int(most * share) // step * step
    return points if points >= max(program.min_redeem_points, 1) else 0


@FAST
@given(program=programs, spec=lines, start=st.integers(0, 2000), share=st.floats(0, 1))
def test_a_sale_then_its_full_return_leaves_the_balance_unchanged(catalogue, owner, program, spec, start, share):
    shop = catalogue
    shop.points.set_program(program, actor=owner)
    cid = _member(shop, owner, start)
    items = _items(spec)
    redeem = _valid_redemption(shop, cid, items, share)
    sale = shop.sales.record_sale(cid, items, redeem_points=redeem)
    assert all(isinstance(v, int) for k, v in plain(sale).items() if k != "purchase_uuid")
    assert sale.total_cents == sum(it.qty * (it.unit_price_cents or 0) + it.tax_cents for it in items) \
        - sale.redeem_discount_cents
    r = shop.sales.return_items(sale.purchase_id)
    assert (r.points_reversed, r.points_restored, r.refund_cents) == (sale.points_earned, redeem, sale.total_cents)
    assert shop.points.balance(cid) == start
    problems = shop.check()
    assert problems == {name: [] for name in problems}


@FAST
@given(program=programs, spec=lines, start=st.integers(0, 2000), share=st.floats(0, 1), data=st.data())
def test_partial_returns_sum_to_the_full_return(catalogue, owner, program, spec, start, share, data):
    shop = catalogue
    shop.points.set_program(program, actor=owner)
    cid = _member(shop, owner, start)
    items = _items(spec)
    sale = shop.sales.record_sale(cid, items, redeem_points=_valid_redemption(shop, cid, items, share))
    left = {i + 1: it.qty for i, it in enumerate(items)}
    reversed_pts = restored = refunded = 0
    while any(left.values()):
        line = data.draw(st.sampled_from(sorted(n for n, q in left.items() if q)))
        qty = data.draw(st.integers(1, left[line]))
        left[line] -= qty
        r = shop.sales.return_items(sale.purchase_id, [(str(line), qty)])
        reversed_pts, restored, refunded = (reversed_pts + r.points_reversed, restored + r.points_restored,
                                            refunded + r.refund_cents)
    assert (reversed_pts, restored, refunded) == (sale.points_earned, sale.points_redeemed, sale.total_cents)
    assert shop.points.balance(cid) == start


operations = st.lists(st.one_of(
    st.tuples(st.just("sale"), lines, st.floats(0, 1)),
    st.tuples(st.just("return"), st.integers(0, 10), st.integers(1, 6)),
    st.tuples(st.just("adjust"), st.integers(-500, 500)),
    st.tuples(st.just("redeem_too_much"), st.integers(1, 500)),
), min_size=1, max_size=8)


@FAST
@given(program=programs, ops=operations, start=st.integers(0, 500))
def test_only_returning_spent_points_makes_a_balance_negative(catalogue, owner, program, ops, start):
    shop = catalogue
    shop.points.set_program(program, actor=owner)
    cid = _member(shop, owner, start)
    sales: list[int] = []
    for op in ops:
        before = shop.points.balance(cid)
        try:
            if op[0] == "sale":
                items = _items(op[1])
                sales.append(shop.sales.record_sale(
                    cid, items, redeem_points=_valid_redemption(shop, cid, items, op[2])).purchase_id)
            elif op[0] == "return" and sales:
                shop.sales.return_items(sales[op[1] % len(sales)], [("1", op[2])])
            elif op[0] == "adjust" and op[1]:
                shop.points.adjust(cid, op[1], "property", actor=owner)
            elif op[0] == "redeem_too_much":
                shop.sales.record_sale(cid, [SaleItem("BAS500", 1000)], redeem_points=max(before, 0) + op[1])
        except ValidationError:
            assert shop.points.balance(cid) == before  # refused: nothing changed
            continue
        except Exception as exc:  # a Conflict when the line is already returned
            assert type(exc).__name__ == "Conflict", exc
            continue
        after = shop.points.balance(cid)
        if after < 0 and op[0] != "return":
            assert after >= before, f"{op} took the balance from {before} to {after}"
    assert shop.check()["negative_balances"] == [] and shop.check()["balances"] == []


@settings(max_examples=300, deadline=None)
@given(program=programs, balance=st.integers(-500, 5000), basket=st.integers(0, 100_000))
def test_redemption_never_exceeds_balance_or_basket_share(program, balance, basket):
    most = program.max_redeemable(balance, basket)
    assert 0 <= most <= max(balance, 0)
    assert program.value_of(most) * 100 <= basket * program.max_redeem_percent
    for points in {most, most + 1, most + program.redeem_step, max(balance, 0) + 1} - {0}:
        try:
            value = program.check_redemption(points, balance, basket)
        except ValidationError:
            continue
        assert points <= balance and points <= most and value * 100 <= basket * program.max_redeem_percent
        assert isinstance(value, int)
