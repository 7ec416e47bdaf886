"""Returns: whole or partial, linked to the sale's lines, points reversed and redeemed points given back exactly."""

from __future__ import annotations

import pytest

from loyalty_app.errors import Conflict, NotFound, ValidationError
from loyalty_app.sales import SaleItem
from loyalty_app.views import plain
from tests.core_helpers import fingerprint


@pytest.fixture
def member(catalogue):
    c = catalogue.customers.sign_up("(415) 555-0132")
    catalogue.sales.record_sale(c.id, [SaleItem("BAS500", 8)])  # 200 points
    return c


def test_a_sale_with_redemption_then_its_return_leaves_the_balance_where_it_was(catalogue, member) -> None:
    shop = catalogue
    start = shop.points.balance(member.id)
    sale = shop.sales.record_sale(member.id, [SaleItem("BAS250", 2), SaleItem("WB250", 3)], redeem_points=100)
    r = shop.sales.return_items(sale.purchase_id)
    assert (r.points_reversed, r.points_restored) == (sale.points_earned, sale.points_redeemed)
    assert r.refund_cents == sale.total_cents
    assert r.points_balance == start == shop.points.balance(member.id)
    assert shop.check() == {name: [] for name in shop.check()}


def test_partial_returns_add_up_to_the_full_return(catalogue, member) -> None:
    shop = catalogue
    sale = shop.sales.record_sale(member.id, [SaleItem("BAS250", 3), SaleItem("WB250", 1)], redeem_points=100)
    parts = [shop.sales.return_items(sale.purchase_id, [("BAS250", 1)]) for _ in range(3)]
    parts.append(shop.sales.return_items(sale.purchase_id, [("2", 1)]))  # by line number
    assert sum(p.points_reversed for p in parts) == sale.points_earned
    assert sum(p.points_restored for p in parts) == sale.points_redeemed
    assert sum(p.refund_cents for p in parts) == sale.total_cents
    assert shop.points.balance(member.id) == 200


def test_return_json_says_points_reversed_and_new_balance(catalogue, member) -> None:
    sale = catalogue.sales.record_sale(member.id, [SaleItem("BAS250", 2)])
    data = plain(catalogue.sales.return_items(sale.purchase_id, [("BAS250", 1)]))
    assert data["points_reversed"] == 14 and data["points_restored"] == 0
    assert data["points_balance"] == 200 + 29 - 14


def test_returning_a_purchase_that_does_not_exist_changes_nothing(catalogue, member) -> None:
    before = fingerprint(catalogue)
    with pytest.raises(NotFound, match="no purchase #999"):
        catalogue.sales.return_items(999)
    assert fingerprint(catalogue) == before


def test_a_line_cannot_be_returned_twice_or_beyond_its_quantity(catalogue, member) -> None:
    shop = catalogue
    sale = shop.sales.record_sale(member.id, [SaleItem("BAS250", 2), SaleItem("WB250")])
    shop.sales.return_items(sale.purchase_id, [("WB250", 1)])
    before = fingerprint(shop)
    with pytest.raises(Conflict, match="1 bought, 1 already returned"):
        shop.sales.return_items(sale.purchase_id, [("WB250", 1)])
    with pytest.raises(Conflict, match="cannot return 3"):
        shop.sales.return_items(sale.purchase_id, [("BAS250", 3)])
    with pytest.raises(Conflict):  # the same line twice in one return
        shop.sales.return_items(sale.purchase_id, [("BAS250", 2), ("BAS250", 1)])
    with pytest.raises(NotFound, match="not on this purchase"):
        shop.sales.return_items(sale.purchase_id, [("LEM250", 1)])
    with pytest.raises(ValidationError, match="from 1 to 100,000"):
        shop.sales.return_items(sale.purchase_id, [("BAS250", 0)])
    assert fingerprint(shop) == before
    shop.sales.return_items(sale.purchase_id)
    before = fingerprint(shop)
    with pytest.raises(Conflict, match="already been returned"):
        shop.sales.return_items(sale.purchase_id)
    assert fingerprint(shop) == before


def test_returning_spent_points_may_take_the_balance_below_zero(catalogue) -> None:
    """The stated policy: the reversal is written in full, the balance goes negative and is never redeemable."""
    shop = catalogue
    c = shop.customers.sign_up("(415) 555-0133")
    first = shop.sales.record_sale(c.id, [SaleItem("BAS500", 8)])  # 200 points
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 4)], redeem_points=200)  # spends them, earns 90
    r = shop.sales.return_items(first.purchase_id)
    assert r.points_reversed == 200 and r.points_balance == -110
    assert shop.check()["negative_balances"] == []
    with pytest.raises(ValidationError, match=r"the balance is -110 \(below zero after a return"):
        shop.sales.record_sale(c.id, [SaleItem("BAS500", 4)], redeem_points=100)
    profile = shop.lookup.profile(c.id)
    assert profile.points_balance == -110 and profile.points_value_cents == 0
    later = shop.sales.record_sale(c.id, [SaleItem("BAS500", 6)])  # repaid by later earnings
    assert later.points_balance == -110 + 150


def test_return_of_an_anonymous_sale_moves_no_points(catalogue) -> None:
    sale = catalogue.sales.record_sale(None, [SaleItem("BAS250", 2)])
    r = catalogue.sales.return_items(sale.purchase_id)
    assert (r.refund_cents, r.points_reversed, r.points_balance) == (2900, 0, None)


def test_preview_matches_the_return(catalogue, member) -> None:
    sale = catalogue.sales.record_sale(member.id, [SaleItem("BAS250", 3)], redeem_points=100)
    before = fingerprint(catalogue)
    preview = catalogue.sales.preview_return(sale.purchase_id, [("BAS250", 2)])
    assert fingerprint(catalogue) == before
    r = catalogue.sales.return_items(sale.purchase_id, [("BAS250", 2)])
    assert (preview.refund_cents, preview.points_reversed, preview.points_restored) == (
        r.refund_cents, r.points_reversed, r.points_restored)
