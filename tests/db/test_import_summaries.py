"""Imported batches keep the owner reports' summaries exactly as the per-row triggers would, in any row order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from loyalty_app.importers.engine import ImportOptions, import_file
from loyalty_app.importers.generic import parse_mapping
from loyalty_app.sales import SaleItem

MAP = "receipt=Receipt,time=When,phone=Phone,sku=SKU,name=Item,qty=Qty,amount=Amount,store=Till"
ROWS = [  # receipts out of time order, two tills, one customer buying the same things again and again
    "R1,2026-10-05 10:00,415-555-0172,BAS250,Basil olive oil 250 ml,1,14.50,Harbour",
    "R1,2026-10-05 10:00,415-555-0172,WB250,White balsamic 250 ml,2,24.00,Harbour",
    "R2,2026-09-01 09:00,415-555-0172,BAS250,Basil olive oil 250 ml,1,14.50,Main Street",
    "R3,2026-10-20 16:00,415-555-0172,BAS250,Basil olive oil 250 ml,3,43.50,Harbour",
    "R4,2026-09-01 09:00,415-555-0172,WB250,White balsamic 250 ml,1,12.00,Harbour",
    "R5,2026-10-05 10:00,,BAS250,Basil olive oil 250 ml,1,14.50,Harbour",
    "R6,2026-09-15 12:00,415-555-0173,LEM250,Lemon olive oil 250 ml,1,15.00,",
    "R7,2026-10-12 11:00,415-555-0172,LEM250,Lemon olive oil 250 ml,1,15.00,Main Street",
    "R8,2026-10-10 11:00,415-555-0173,BAS250,Basil olive oil 250 ml,1,14.50,Main Street",
]


def _summaries_clean(shop) -> bool:
    return shop.check()["report_summaries"] == []


def test_batches_in_any_order_leave_the_summaries_equal_to_the_sales(catalogue, tmp_path: Path):
    shop = catalogue
    ada = shop.customers.sign_up(phone="+14155550172", name="Ada")
    at = datetime(2026, 10, 1, 17, 0, tzinfo=UTC)  # a counter sale between the imported ones
    shop.sales.record_sale(ada.id, [SaleItem("BAS250"), SaleItem("LEM250")], occurred_at=at, store="Harbour")
    f = tmp_path / "till.csv"
    f.write_text("Receipt,When,Phone,SKU,Item,Qty,Amount,Till\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    s = import_file(shop, f, ImportOptions(mapping=parse_mapping(MAP), report=tmp_path / "r.csv", batch_lines=2))
    assert (s.lines_imported, s.rejected) == (9, 0)
    assert _summaries_clean(shop)
    # The counter's own triggers are in place again: a sale after the import keeps the summaries right too.
    shop.sales.record_sale(ada.id, [SaleItem("WB250")], occurred_at=datetime(2026, 9, 20, tzinfo=UTC))
    assert _summaries_clean(shop)


def test_a_second_import_interleaved_with_the_first(catalogue, tmp_path: Path):
    shop = catalogue
    f1, f2 = tmp_path / "a.csv", tmp_path / "b.csv"
    head = "Receipt,When,Phone,SKU,Item,Qty,Amount,Till\n"
    f1.write_text(head + "\n".join(ROWS[0::2]) + "\n", encoding="utf-8")
    f2.write_text(head + "\n".join(ROWS[1::2]).replace("R1,", "R9,") + "\n", encoding="utf-8")
    for f in (f1, f2):
        import_file(shop, f, ImportOptions(mapping=parse_mapping(MAP), report=tmp_path / "r.csv", batch_lines=3))
    assert _summaries_clean(shop)
