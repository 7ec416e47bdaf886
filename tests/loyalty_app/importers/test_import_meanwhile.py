"""What the counter saves while an import runs (a sign-up, a new product) is used by the import's later batches,
never created a second time."""

from __future__ import annotations

from pathlib import Path

from loyalty_app.importers.engine import ImportOptions, import_file
from loyalty_app.importers.generic import parse_mapping
from loyalty_app.shop import open_shop

MAP = "receipt=Receipt,time=When,phone=Phone,email=Email,sku=SKU,name=Item,qty=Qty,amount=Amount"
ROWS = [
    "R1,2026-10-05 10:00,415-555-0172,,BAS250,Basil olive oil 250 ml,1,14.50",
    "R2,2026-10-05 11:00,,,BAS250,Basil olive oil 250 ml,1,14.50",
    "R3,2026-10-06 10:00,(415) 555-0174,,BAS250,Basil olive oil 250 ml,1,14.50",
    "R4,2026-10-06 11:00,,grace@example.com,FIG100,Fig balsamic 100 ml,2,19.00",
]


def test_a_sign_up_and_a_product_added_at_the_counter_mid_import_are_linked_not_doubled(catalogue, db_path, clock,
                                                                                       owner, tmp_path: Path):
    shop = catalogue
    f = tmp_path / "till.csv"
    f.write_text("Receipt,When,Phone,Email,SKU,Item,Qty,Amount\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    counter = open_shop(db_path, clock=clock)  # another connection, as a second program would hold
    made: list[int] = []

    def meanwhile(done: int, size: int) -> None:
        if not made:  # after the first committed batch, the counter signs two people up and adds a product
            made.append(counter.customers.sign_up(phone="+14155550174", name="Ada").id)
            made.append(counter.customers.sign_up(email="grace@example.com", name="Grace").id)
            counter.products.add(sku="FIG100", name="Fig balsamic (counter)", price_cents=950, actor=owner)

    try:
        s = import_file(shop, f, ImportOptions(mapping=parse_mapping(MAP), report=tmp_path / "r.csv",
                                               batch_lines=2), progress=meanwhile)
    finally:
        counter.close()
    assert (s.lines_imported, s.rejected, s.customers_created, s.products_created) == (4, 0, 1, 0)
    ada, grace = made
    assert [c.id for c in shop.lookup.find("(415) 555-0174").matches] == [ada]
    assert [c.id for c in shop.lookup.find("grace@example.com").matches] == [grace]
    assert [p.occurred_at for p in shop.lookup.profile(ada).history] == ["2026-10-06T17:00:00Z"]  # R3, 10:00 in the shop
    grace_basket = shop.lookup.profile(grace).last_basket
    assert [(ln.sku, ln.name, ln.qty) for ln in grace_basket] == [("FIG100", "Fig balsamic (counter)", 2)]
