"""Any till's CSV with a column mapping: tab-separated, refunds matched by customer, presets."""

from __future__ import annotations

import pytest

from loyalty_app.errors import ValidationError
from loyalty_app.importers.engine import ImportOptions
from loyalty_app.importers.generic import parse_mapping
from tests.paths import FIXTURES

POS = FIXTURES / "pos"
MAP = ("receipt=Ticket,time=Sold at,customer=Client,phone=Tel,name=Article,sku=Ref,qty=Qty,amount=Line total,"
       "category=Rayon,store=Till")


def test_mapped_tab_separated_till_export(catalogue, tmp_path):
    shop = catalogue
    s = shop.imports.import_file(POS / "generic_till.tsv", ImportOptions(mapping=parse_mapping(MAP),
                                                                   report=tmp_path / "r.csv"))
    assert (s.format, s.lines_imported, s.rejected, s.customers_created, s.products_created) == (
        "generic", 4, 1, 1, 1)
    c = shop.lookup.find_one("415-555-0160")
    # $35.50 earns 35; the refunded chili oil (1 of 3, $7.00 of $21.00) takes back its share of 21 points.
    assert shop.customers.get(c.id).points_balance == 35 - 7
    chili = [p for p in shop.products.list() if p.needs_review][0]
    assert chili.name == "Chili oil 100 ml" and chili.category == "Oils" and chili.price_cents == 700
    again = shop.imports.import_file(POS / "generic_till.tsv", ImportOptions(mapping=parse_mapping(MAP),
                                                                       report=tmp_path / "r2.csv"))
    assert (again.lines_imported, again.duplicates) == (0, 4)
    assert shop.check() == {k: [] for k in shop.check()}


def test_mapping_mistakes_are_explained(catalogue, tmp_path):
    with pytest.raises(ValidationError, match="not a field to map"):
        parse_mapping("colour=Red")
    with pytest.raises(ValidationError, match="no column 'Prix'"):
        catalogue.imports.import_file(POS / "generic_till.tsv",
                    ImportOptions(mapping={"time": "Sold at", "name": "Article", "amount": "Prix"}))
    with pytest.raises(ValidationError, match="map them with --map"):
        catalogue.imports.import_file(POS / "generic_till.tsv", ImportOptions())


def test_presets_are_saved_by_name(shop):
    shop.imports.save_preset("Till 2", "generic", parse_mapping(MAP), True)
    assert shop.imports.get_preset("Till 2").mapping["amount"] == "Line total"
    assert [p.name for p in shop.imports.list_presets()] == ["Till 2"]
    assert shop.imports.get_preset("Till 2").day_first is True
