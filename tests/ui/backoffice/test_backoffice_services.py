"""Back-office services: product list import, program change warnings and history, staff PINs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from loyalty_app.errors import PermissionDenied
from loyalty_app.points_rules import PointsProgram
from loyalty_app.sales import SaleItem

CSV = """SKU;Name;Price;Family;Size;Category;Tags;Refill days;Barcode;Launch date;Active
BAS250;Basil oil 250 ml;15,50;Basil oil;250 ml;Infused;basil;40;;;
NEW1;Fig balsamic 250 ml;13,00;Fig balsamic;250 ml;Balsamic;fig, dark;60;;2026-11-15;yes
NEW2;;9,00;;;;;;;;
NEW3;Bad price;twelve;;;;;;;;
NEW4;Bad refill;5,00;;;;;soon;;;
NEW5;Old stock;4,00;;;;;;;;no
"""


def test_import_adds_updates_and_explains_each_bad_row(catalogue, owner):
    s = catalogue.product_import.import_products(CSV, actor=owner)
    assert s.added == ["NEW1", "NEW5"] and s.updated == ["BAS250"]
    assert [(e.line, e.sku) for e in s.errors] == [(4, "NEW2"), (5, "NEW3"), (6, "NEW4")]
    assert "needs a name" in s.errors[0].message
    assert "'twelve' is not an amount of money" in s.errors[1].message
    assert "refill days 'soon'" in s.errors[2].message
    bas = catalogue.products.find("BAS250")
    assert (bas.price_cents, bas.refill_days, bas.name) == (1550, 40, "Basil oil 250 ml")
    fig = catalogue.products.find("NEW1")
    assert (fig.tags, fig.launched_on, fig.price_cents) == (["dark", "fig"], "2026-11-15", 1300)
    assert catalogue.products.find("NEW5").active is False
    assert "3 with problems" in s.text() and "line 5 (NEW3)" in s.text()


def test_import_is_for_the_owner_and_needs_the_key_columns(catalogue):
    sam = catalogue.staff.sign_in("sam", "1111")
    with pytest.raises(PermissionDenied):
        catalogue.product_import.import_products(CSV, actor=sam)
    owner = catalogue.staff.verify_owner("1234")
    with pytest.raises(Exception, match="needs a 'price' column"):
        catalogue.product_import.import_products("sku,name\nA,B\n", actor=owner)


@pytest.fixture
def earned(catalogue, owner):
    shop = catalogue
    for i, phone in enumerate(["+14155550161", "+14155550162", "+14155550163"]):
        c = shop.customers.sign_up(phone, name=f"C{i}")
        shop.sales.record_sale(c.id, [SaleItem("BAS500", 2 + 2 * i)],
                               occurred_at=datetime(2025, 6 + i, 1, 18, tzinfo=UTC))
    return shop  # 50, 100 and 150 points


def test_lowering_the_redemption_value_warns_with_counts(earned):
    old = earned.points.program()
    impacts = earned.points.assess_change(dataclasses.replace(old, redeem_cents=400))
    [imp] = impacts
    assert (imp.points, imp.customers) == (300, 3)
    assert "worth less" in imp.message and "$15.00 to $12.00" in imp.message
    assert earned.points.assess_change(dataclasses.replace(old, redeem_cents=600)) == []


def test_introducing_expiry_warns_about_points_that_would_expire(earned):
    old = earned.points.program()
    impacts = earned.points.assess_change(dataclasses.replace(old, expiry_mode="after_earning", expiry_months=17))
    # Now is 2026-11-02: only the June 2025 credit (50 points) is older than 17 months.
    [imp] = impacts
    assert (imp.points, imp.customers) == (50, 1)
    assert "50 points of 1 customer were earned more than 17 months ago" in imp.message


def test_raising_the_minimum_warns_who_can_no_longer_redeem(earned):
    old = earned.points.program()
    [imp] = earned.points.assess_change(dataclasses.replace(old, min_redeem_points=120))
    assert (imp.points, imp.customers) == (100, 1)  # the 50-point customer could not redeem before either


def test_program_changes_are_kept_with_who_and_when(shop, owner, clock):
    clock.advance(days=1)
    shop.points.set_program(PointsProgram(earn_points=2), actor=owner)
    history = shop.points.program_history()
    assert [h.program.earn_points for h in history] == [2, 1]
    assert history[0].changed_by_name == "owner" and history[0].changed_at == "2026-11-03T18:30:00Z"
    sam = shop.staff.sign_in("sam", "1111")
    with pytest.raises(PermissionDenied):
        shop.points.set_program(PointsProgram(), actor=sam)


def test_wrong_pins_lock_the_name_for_a_minute(shop, clock):
    for _ in range(5):
        with pytest.raises(PermissionDenied, match="^wrong name or PIN$"):
            shop.staff.sign_in("sam", "9999")
    with pytest.raises(PermissionDenied, match="too many wrong PINs"):
        shop.staff.sign_in("sam", "1111")  # even the right PIN waits
    clock.advance(seconds=61)
    assert shop.staff.sign_in("sam", "1111").name == "sam"


def test_staff_management_is_owner_only(shop, owner):
    sam = shop.staff.sign_in("sam", "1111")
    with pytest.raises(PermissionDenied):
        shop.staff.add("eve", "cashier", "2222", actor=sam)
    shop.staff.add("eve", "cashier", "2222", actor=owner)
    shop.staff.set_pin("eve", "3333", actor=owner)
    assert shop.staff.sign_in("eve", "3333").role == "cashier"
    shop.staff.set_active("eve", False, actor=owner)
    with pytest.raises(PermissionDenied, match="^wrong name or PIN$"):
        shop.staff.sign_in("eve", "3333")
