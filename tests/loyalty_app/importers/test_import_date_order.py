"""A file's slashed dates are read one way round for the whole file: the way its unambiguous dates show, never
March for one row and May for the next; a file that writes both ways is refused before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty_app.errors import ValidationError
from loyalty_app.importers.engine import ImportOptions
from loyalty_app.importers.generic import parse_mapping
from loyalty_app.importers.options import read_report

MAP = parse_mapping("receipt=Receipt,date=Date,phone=Phone,sku=SKU,name=Item,qty=Qty,amount=Amount")
PHONE = "(415) 555-0132"


def _file(tmp_path: Path, dates: list[str]) -> Path:
    path = tmp_path / "till.csv"
    path.write_text("Receipt,Date,Phone,SKU,Item,Qty,Amount\n" + "".join(
        f"R{n},{d},{PHONE},OIL-250,Olive oil,1,12.00\n" for n, d in enumerate(dates, 1)), encoding="utf-8")
    return path


def _days(shop) -> list[str]:
    customer = shop.lookup.find_one(PHONE)
    return sorted(p.occurred_at[:10] for p in shop.lookup.history_page(customer.id, limit=None))


def test_a_day_first_file_in_a_month_first_shop_is_read_day_first_throughout(shop, tmp_path):
    path = _file(tmp_path, ["05/03/2026", "14/03/2026", "06/03/2026"])  # the 14th shows the order
    s = shop.imports.import_file(path, ImportOptions(mapping=MAP, report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.rejected, s.warnings) == (3, 0, 1)
    assert _days(shop) == ["2026-03-05", "2026-03-06", "2026-03-14"]
    [note], _ = read_report(tmp_path / "r.csv")
    assert (note.row, note.level) == (3, "warning")
    assert note.reason == ("this file's dates are read day first, as '14/03/2026' in row 3 shows (this shop's region "
                           "writes them month first)")


def test_a_file_with_only_dates_that_read_both_ways_follows_the_shops_region(shop, tmp_path):
    s = shop.imports.import_file(_file(tmp_path, ["05/03/2026", "06/03/2026"]),
                                 ImportOptions(mapping=MAP, report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.warnings) == (2, 0)
    assert _days(shop) == ["2026-05-03", "2026-06-03"]  # a US shop: month first


def test_a_file_that_writes_dates_both_ways_is_refused_and_nothing_is_written(shop, tmp_path):
    path = _file(tmp_path, ["14/03/2026", "05/03/2026", "03/15/2026"])
    with pytest.raises(ValidationError) as err:
        shop.imports.import_file(path, ImportOptions(mapping=MAP, report=tmp_path / "r.csv"))
    assert str(err.value).startswith("the file writes its dates both day first (row 2: '14/03/2026') and month "
                                     "first (row 4: '03/15/2026')")
    assert not shop.lookup.find(PHONE).matches  # nobody was signed up from it either
    assert shop.imports.import_file(_file(tmp_path, ["14/03/2026"]), ImportOptions(
        mapping=MAP, report=tmp_path / "r2.csv")).lines_imported == 1  # the shop took nothing from the refused file
    assert _days(shop) == ["2026-03-14"]


def test_an_order_chosen_by_hand_that_the_file_contradicts_is_refused(shop, tmp_path):
    path = _file(tmp_path, ["05/03/2026", "14/03/2026"])
    with pytest.raises(ValidationError, match=r"to be read month first, but row 3's '14/03/2026' can only be day "):
        shop.imports.import_file(path, ImportOptions(mapping=MAP, day_first=False, report=tmp_path / "r.csv"))
    s = shop.imports.import_file(path, ImportOptions(mapping=MAP, day_first=True, report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.warnings) == (2, 0)
    assert _days(shop) == ["2026-03-05", "2026-03-14"]
