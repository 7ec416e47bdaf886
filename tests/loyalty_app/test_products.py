"""Products: SKU, barcode, family of sizes, tags, size and unit, price, refill interval; owner only."""

from __future__ import annotations

import pytest

from loyalty_app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from loyalty_app.products import parse_size
from tests.core_helpers import fingerprint


def test_catalogue_fields(catalogue) -> None:
    p = catalogue.products.find("bas250")  # SKUs are found whatever the case
    assert (p.sku, p.family, p.size, p.size_quantity, p.size_unit) == ("BAS250", "Basil olive oil", "250 ml", 250,
                                                                      "ml")
    assert p.tags == ["basil", "infused"] and p.price_cents == 1450 and p.refill_days == 45 and p.active
    assert p.launched_on == "2026-11-02"
    assert catalogue.products.find("4006381333931").sku == "WB250"  # by barcode
    assert [x.sku for x in catalogue.products.search("basil")] == ["BAS250", "BAS500"]


@pytest.mark.parametrize(("text", "parsed"), [("250 ml", (250, "ml")), ("1 l", (1000, "ml")),
                                              ("1.5 kg", (1500, "g")), ("0,5 l", (500, "ml")),
                                              ("12", (12, "pc")), ("a bottle", (None, None))])
def test_sizes(text, parsed) -> None:
    assert parse_size(text) == parsed


def test_unknown_sku_is_not_found(catalogue) -> None:
    with pytest.raises(NotFound, match="unknown product 'NOPE'"):
        catalogue.products.find("NOPE")


def test_adding_products_is_owner_only(shop) -> None:
    before = fingerprint(shop)
    with pytest.raises(PermissionDenied, match="owner"):
        shop.products.add(sku="X1", name="X", price_cents=100)
    cashier = shop.staff.sign_in("sam", "1111")
    with pytest.raises(PermissionDenied, match="cashier"):
        shop.products.add(sku="X1", name="X", price_cents=100, actor=cashier)
    assert fingerprint(shop) == before


@pytest.mark.parametrize(("changes", "message"), [
    ({"sku": " "}, "needs a SKU"), ({"name": ""}, "needs a name"), ({"price_cents": -1}, "zero or more"),
    ({"refill_days": 0}, "positive number of days"), ({"barcode": "ABC"}, "must be digits"),
    ({"launched_on": "yesterday"}, "not a date"),
])
def test_bad_product_fields_are_refused(shop, owner, changes, message) -> None:
    before = fingerprint(shop)
    values = {"sku": "X1", "name": "X", "price_cents": 100, **changes}
    with pytest.raises(ValidationError, match=message):
        shop.products.add(**values, actor=owner)
    assert fingerprint(shop) == before


def test_duplicate_sku_and_barcode(catalogue, owner) -> None:
    with pytest.raises(Conflict, match="already exists"):
        catalogue.products.add(sku="bas250", name="Again", price_cents=1, actor=owner)
    with pytest.raises(Conflict, match="barcode"):
        catalogue.products.add(sku="NEW", name="New", price_cents=1, barcode="4006381333931", actor=owner)


def test_edit_and_deactivate(catalogue, owner) -> None:
    p = catalogue.products.edit("LEM250", price_cents=1600, refill_days=30, active=False, actor=owner)
    assert (p.price_cents, p.refill_days, p.active) == (1600, 30, False)
    assert "LEM250" not in [x.sku for x in catalogue.products.list(include_inactive=False)]
