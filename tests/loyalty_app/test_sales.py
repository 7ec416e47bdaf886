"""Sales: prices, points earned on what was paid, redemption within balance and basket share, one transaction."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from loyalty_app.errors import NotFound, ShopUnavailable, ValidationError
from loyalty_app.points_rules import PointsProgram
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from loyalty_app.views import plain
from tests.core_helpers import fingerprint


def test_a_member_sale_earns_points_on_the_net_amount(catalogue) -> None:
    shop = catalogue
    c = shop.customers.sign_up("(415) 555-0132")
    r = shop.sales.record_sale(c.id, [SaleItem("BAS250", 2), SaleItem("WB250", 1, tax_cents=99)])
    assert (r.subtotal_cents, r.total_cents, r.points_earned, r.points_redeemed) == (4100, 4199, 41, 0)
    assert r.points_balance == 41 == shop.customers.get(c.id).points_balance
    p = shop.sales.purchase(r.purchase_id)
    assert [(ln.sku, ln.qty, ln.points_earned) for ln in p.lines] == [("BAS250", 2, 29),
                                                                                ("WB250", 1, 12)]
    assert shop.customers.get(c.id).last_visit_at == "2026-11-02T18:30:00Z"


def test_an_anonymous_sale_earns_nothing_and_cannot_redeem(catalogue) -> None:
    r = catalogue.sales.record_sale(None, [SaleItem("BAS250")])
    assert (r.total_cents, r.points_earned, r.points_balance) == (1450, 0, None)
    with pytest.raises(ValidationError, match="anonymous"):
        catalogue.sales.record_sale(None, [SaleItem("BAS250")], redeem_points=100)


def test_redemption_pays_part_of_the_basket_and_earns_on_the_rest(catalogue) -> None:
    shop = catalogue
    c = shop.customers.sign_up("(415) 555-0132")
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 8)])  # 200 points
    r = shop.sales.record_sale(c.id, [SaleItem("BAS500", 2)], redeem_points=200)
    assert (r.subtotal_cents, r.redeem_discount_cents, r.total_cents) == (5000, 1000, 4000)
    assert (r.points_redeemed, r.points_earned, r.points_balance) == (200, 40, 40)
    kinds = [(e.kind, e.delta) for e in shop.points.history(c.id)]
    assert kinds == [("earn", 200), ("redeem", -200), ("earn", 40)]


@pytest.mark.parametrize(("items", "message"), [
    ([SaleItem("NOPE")], "unknown product 'NOPE'"),
    ([SaleItem("BAS250", 0)], "from 1 to 100,000"),
    ([SaleItem("BAS250", -2)], "from 1 to 100,000"),
    ([SaleItem("BAS250"), SaleItem("NOPE", 1)], "unknown product"),
    ([], "at least one item"),
    ([SaleItem("BAS250", 1, discount_cents=5000)], "larger than the line"),
])
def test_bad_sale_lines_are_refused_and_nothing_changes(catalogue, items, message) -> None:
    shop = catalogue
    c = shop.customers.sign_up("(415) 555-0132")
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 8)])
    before = fingerprint(shop)
    with pytest.raises((ValidationError, NotFound), match=message):
        shop.sales.record_sale(c.id, items)
    assert fingerprint(shop) == before


@pytest.mark.parametrize(("redeem", "message"), [
    (300, "the balance is 200"),          # more than the balance
    (50, "the minimum is 100"),           # below the minimum
    (-100, "cannot be negative"),
])
def test_bad_redemptions_are_refused_and_nothing_changes(catalogue, redeem, message) -> None:
    shop = catalogue
    c = shop.customers.sign_up("(415) 555-0132")
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 8)])  # 200 points
    before = fingerprint(shop)
    with pytest.raises(ValidationError, match=message):
        shop.sales.record_sale(c.id, [SaleItem("BAS500", 4)], redeem_points=redeem)
    assert fingerprint(shop) == before


def test_redemption_in_whole_steps(catalogue, owner) -> None:
    shop = catalogue
    shop.points.set_program(PointsProgram(redeem_points=100, redeem_cents=5 * 100 // 25, min_redeem_points=0),
                            actor=owner)  # 100 points = 20 cents: a step of 5 points buys a whole cent
    c = shop.customers.sign_up("(415) 555-0132")
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 8)])
    before = fingerprint(shop)
    with pytest.raises(ValidationError, match="steps of 5"):
        shop.sales.record_sale(c.id, [SaleItem("BAS500")], redeem_points=102)
    assert fingerprint(shop) == before
    assert shop.sales.record_sale(c.id, [SaleItem("BAS500")], redeem_points=105).redeem_discount_cents == 21


def test_redemption_cannot_pay_more_than_the_basket_share(catalogue) -> None:
    shop = catalogue
    c = shop.customers.sign_up("(415) 555-0132")
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 40)])  # 1000 points
    before = fingerprint(shop)
    with pytest.raises(ValidationError, match="at most 145"):  # 50% of $14.50 is $7.25 = 145 points
        shop.sales.record_sale(c.id, [SaleItem("BAS250")], redeem_points=200)
    assert fingerprint(shop) == before


def test_a_sale_for_an_unknown_customer_changes_nothing(catalogue) -> None:
    before = fingerprint(catalogue)
    with pytest.raises(NotFound):
        catalogue.sales.record_sale(999, [SaleItem("BAS250")], store="Somewhere new")
    assert fingerprint(catalogue) == before


def _redeem_in_own_process(path: str, customer_id: int, start: multiprocessing.synchronize.Barrier,
                           results: multiprocessing.queues.Queue) -> None:
    shop = open_shop(path)
    try:
        start.wait(timeout=20)
        r = shop.sales.record_sale(customer_id, [SaleItem("BAS500", 4)], redeem_points=200)
        results.put(("ok", r.points_balance))
    except ValidationError as exc:
        results.put(("refused", str(exc)))
    except ShopUnavailable as exc:
        results.put(("busy", str(exc)))
    finally:
        shop.close()


def test_two_counters_redeeming_at_once_cannot_overdraw(catalogue, db_path: Path) -> None:
    """Two real processes redeem the same 200 points at the same moment: exactly one succeeds."""
    shop = catalogue
    c = shop.customers.sign_up("(415) 555-0132")
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 8)])  # 200 points: enough for one redemption only
    ctx = multiprocessing.get_context("spawn" if multiprocessing.get_start_method(True) == "spawn" else "fork")
    start, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_redeem_in_own_process, args=(str(db_path), c.id, start, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    outcomes = sorted(results.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    assert [o[0] for o in outcomes] == ["ok", "refused"], outcomes
    assert "the balance is 90" in outcomes[1][1]  # the loser saw the winner's sale: 200 − 200 + 90 earned
    assert shop.points.balance(c.id) == 90
    assert shop.check()["balances"] == []


def test_integer_totals_never_float(catalogue, owner) -> None:
    shop = catalogue
    shop.points.set_program(PointsProgram(earn_points=3, earn_per_cents=200, redeem_points=7, redeem_cents=3,
                                          min_redeem_points=0, max_redeem_percent=100), actor=owner)
    c = shop.customers.sign_up("(415) 555-0132")
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 9)])
    r = shop.sales.record_sale(c.id, [SaleItem("BAS250", 3, unit_price_cents=333), SaleItem("WB250", 7)],
                               redeem_points=state_points(shop, c.id))
    for value in plain(r).values():
        assert not isinstance(value, float)
    p = shop.sales.purchase(r.purchase_id)
    assert sum(ln.redeem_discount_cents for ln in p.lines) == r.redeem_discount_cents
    assert sum(ln.points_redeemed for ln in p.lines) == r.points_redeemed
    assert sum(ln.points_earned for ln in p.lines) == r.points_earned


def state_points(shop, customer_id: int) -> int:
    balance = shop.points.balance(customer_id)
    return balance - balance % shop.points.program().redeem_step
