"""Beside the till: no sale rung at our counter once a POS is connected; redemptions held until the POS carries them."""

from __future__ import annotations

import pytest

from loyalty_app.errors import ValidationError
from loyalty_app.sales import SaleItem
from tests.pos_servers import FakeSquare, money

T0 = "2026-11-02T18:35:00.000Z"  # rung at the till five minutes after the redemption here


@pytest.fixture
def square(httpserver, catalogue, owner, monkeypatch):
    fake = FakeSquare(httpserver)
    fake.customers["C-ADA"] = {"given_name": "Ada", "phone_number": "+14155550132"}
    fake.skus["V-BAS250"] = "BAS250"
    monkeypatch.setenv("SQUARE_TOKEN", fake.token)
    return fake


def connect(shop, owner, fake):
    shop.pos.connect("square", "till", token_env="SQUARE_TOKEN", api_base=fake.base, since="2026-11-01",
                     actor=owner)


def ledger(shop, cid):
    return [(r.kind, r.delta) for r in shop.points.history(cid)]


def test_counter_sale_refused_once_a_pos_is_connected(catalogue, owner, square):
    shop = catalogue
    ada = shop.customers.sign_up("+14155550132", name="Ada")
    shop.sales.record_sale(ada.id, [SaleItem("BAS250")])  # no POS yet: the counter sells
    connect(shop, owner, square)
    with pytest.raises(ValidationError) as err:
        shop.sales.record_sale(ada.id, [SaleItem("BAS250")])
    assert str(err.value) == (
        "this shop rings its sales on Square: ring this one at the till and it comes in with its points at the "
        "next pull (for a customer who did not show their card there, attach the order here afterwards); nothing "
        "was saved")
    assert shop.ctx.db.conn.execute("SELECT count(*) FROM purchases").fetchone()[0] == 1


def _rung_with_discount(fake, oid, at, discount, *, customer="C-ADA", version=1):
    o = fake.sale(oid, at, [("V-BAS250", "Basil olive oil 250 ml", 4, 1450)], customer=customer, version=version)
    o["line_items"][0]["total_discount_money"] = money(discount)
    o["line_items"][0]["total_money"] = money(4 * 1450 - discount)
    o["total_discount_money"] = money(discount)


def test_redemption_held_then_confirmed_by_the_pulled_order(catalogue, owner, square):
    shop = catalogue
    ada = shop.customers.sign_up("+14155550132", name="Ada")
    shop.points.adjust(ada.id, 300, "opening balance", actor=owner)
    connect(shop, owner, square)
    held = shop.pos.hold_redemption(ada.id, 100, 5800)
    assert held.key_into_pos == "key a discount of $5.00 into the till for Ada"
    assert held.points_balance == 200
    _rung_with_discount(square, "O1", T0, 500)
    [s] = shop.pos.pull()
    assert s.redemptions_confirmed == 1
    assert shop.pos.till.pending() == []
    # 53 points on the $53.00 paid after the discount; the 100 redeemed stay redeemed.
    assert sorted(ledger(shop, ada.id)) == [("adjust", 300), ("earn", 53), ("redeem", -100)]
    assert shop.customers.get(ada.id).points_balance == 253
    # Confirmed, it is never given back, however far later pulls go.
    square.sale("O2", "2026-11-03T09:00:00.000Z", [("V-BAS250", "Basil olive oil 250 ml", 1, 1450)])
    shop.pos.pull()
    assert shop.customers.get(ada.id).points_balance == 253
    assert shop.check() == {k: [] for k in shop.check()}


def test_redemption_never_carried_is_given_back_with_an_audit_line(catalogue, owner, square):
    shop = catalogue
    ada = shop.customers.sign_up("+14155550132", name="Ada")
    shop.points.adjust(ada.id, 300, "opening balance", actor=owner)
    connect(shop, owner, square)
    held = shop.pos.hold_redemption(ada.id, 100, 5800)
    assert held.expires_at == "2026-11-02T20:30:00Z"  # two hours by default
    # The till rang it without the discount; pulled orders have not passed the deadline yet: still held.
    _rung_with_discount(square, "O1", T0, 0)
    shop.pos.pull()
    assert [r.id for r in shop.pos.till.pending()] == [held.id]
    assert shop.customers.get(ada.id).points_balance == 200 + 58
    # An order rung after the deadline shows the POS is pulled past it: the points come back, audited.
    square.sale("O2", "2026-11-02T21:00:00.000Z", [("V-BAS250", "Basil olive oil 250 ml", 1, 1450)])
    shop.pos.pull()
    assert shop.pos.till.pending() == []
    assert shop.customers.get(ada.id).points_balance == 300 + 58
    audit = [(a.action, a.subject) for a in _audit(shop, owner) if a.action.startswith("pos.r")]
    assert sorted(audit) == [("pos.redemption_held", str(held.id)),
                                              ("pos.redemption_reversed", str(held.id))]
    reason = shop.ctx.db.conn.execute("SELECT reason FROM points_ledger ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert reason == (f"redemption #{held.id} never reached the POS (no order carried $5.00 off by "
                      "2026-11-02T20:30:00Z): points given back")
    assert shop.check() == {k: [] for k in shop.check()}


def test_redemption_refused_beyond_the_balance_or_the_basket_share(catalogue, owner, square):
    shop = catalogue
    ada = shop.customers.sign_up("+14155550132", name="Ada")
    shop.points.adjust(ada.id, 150, "opening balance", actor=owner)
    connect(shop, owner, square)
    with pytest.raises(ValidationError, match="cannot redeem 200 points: the balance is 150"):
        shop.pos.hold_redemption(ada.id, 200, 10000)
    with pytest.raises(ValidationError, match=r"at most 90 \(50% of the basket\)"):
        shop.pos.hold_redemption(ada.id, 100, 900)
    assert shop.pos.till.pending() == [] and shop.customers.get(ada.id).points_balance == 150


def _audit(shop, owner):
    shop.ctx.actor = owner
    try:
        return shop.audit_log()
    finally:
        shop.ctx.actor = None
