"""Sizes written into POS item names become families of sizes, so imported histories get refills and up-sells."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty_app.importers.engine import ImportOptions
from loyalty_app.products import size_in_name

HEADER = ("Date,Time,Time Zone,Category,Item,Qty,Price Point Name,SKU,Gross Sales,Discounts,Net Sales,Tax,"
          "Transaction ID,Event Type,Location,Customer ID,Customer Name")


@pytest.mark.parametrize(("name", "expected"), [
    ("Basil olive oil (250 ml)", ("Basil olive oil", "250 ml")),  # Square and Loyverse: item (variant)
    ("Basil olive oil - 500ml", ("Basil olive oil", "500 ml")),  # Shopify: product - variant
    ("1L Extra virgin", ("Extra virgin", "1 l")),
    ("Assam (Loose, 100 g)", ("Assam (Loose)", "100 g")),
    ("Olive oil 0,5 l", ("Olive oil", "0,5 l")),
    ("Balsamic 8.5 fl. oz", ("Balsamic", "8.5 fl oz")),
    ("Honey 500gr", ("Honey", "500 g")),
    ("Chanel No. 5", None),  # a number without a unit is no size
    ("Earl Grey 2 gift box", None),
    ("Tea 6 x 250 ml", None),  # a pack of six, not a size
    ("Oil 250 ml / 500 ml duo", None),  # two sizes: no single one to file it under
    ("250 ml", None),  # nothing left to name the family
])
def test_a_size_is_read_from_a_name_only_when_it_is_unmistakable(name, expected) -> None:
    assert size_in_name(name) == expected


def test_imported_variants_become_one_family_with_refills_and_an_up_sell(shop, tmp_path: Path) -> None:
    rows = [HEADER]
    for n, day in enumerate(("2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01")):  # every month, the small one
        rows.append(f"{day},10:00:00,Pacific Time (US & Canada),Infused oils,Basil olive oil,1,250 ml,,$14.50,$0.00,"
                    f"$14.50,$0.00,TA{n},Payment,Main Street,CUST-ADA,Ada Lovelace")
    for n, day in enumerate(("2026-08-10", "2026-09-20")):  # someone else buys the big bottle: $4.80 per 100 ml
        rows.append(f"{day},11:00:00,Pacific Time (US & Canada),Infused oils,Basil olive oil,1,500 ml,,$24.00,$0.00,"
                    f"$24.00,$0.00,TB{n},Payment,Main Street,CUST-BO,Bo Chen")
    path = tmp_path / "items-detail.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary = shop.imports.import_file(path, ImportOptions(report=tmp_path / "report.csv"))
    assert (summary.format, summary.lines_imported, summary.rejected) == ("square-items", 6, 0)
    products = {p.name: p for p in shop.products.list()}
    small, big = products["Basil olive oil (250 ml)"], products["Basil olive oil (500 ml)"]
    assert (small.family, small.size, big.family, big.size) == ("Basil olive oil", "250 ml", "Basil olive oil",
                                                                "500 ml")
    ada = shop.lookup.find_one("Ada Lovelace")
    refills = shop.suggestions.refill_due(ada.id)
    # every 31, 31 and 30 days: due 31 days after the last, on 1 November
    assert [(r.name, r.due_on.isoformat()) for r in refills] == [("Basil olive oil (250 ml)", "2026-11-01")]
    upsell = [s for s in shop.suggestions.for_customer(ada.id) if s.kind == "up-sell"]
    assert [(s.name, s.reason) for s in upsell] == [("Basil olive oil (500 ml)",
                                                     "due for Basil olive oil; 500 ml saves $1.00 per 100 ml")]


def test_a_product_list_without_family_or_size_columns_reads_them_from_the_name(shop, owner) -> None:
    text = "sku,name,price\nEV1L,Extra virgin 1 l,$30.00\nEV500,Extra virgin (500 ml),$17.00\nGIFT,Gift card,$25\n"
    summary = shop.product_import.import_products(text, actor=owner)
    assert summary.errors == []
    got = {p.sku: (p.family, p.size) for p in shop.products.list()}
    assert got == {"EV1L": ("Extra virgin", "1 l"), "EV500": ("Extra virgin", "500 ml"), "GIFT": (None, None)}
