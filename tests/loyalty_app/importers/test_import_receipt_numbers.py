"""A till that starts its receipt numbers again (each day, or after a reset): every sale is imported once, none is
lost as a 'duplicate' of another sale that had its number, and importing a file again still adds nothing."""

from __future__ import annotations

from pathlib import Path

from loyalty_app.importers.engine import ImportOptions
from loyalty_app.importers.generic import parse_mapping
from loyalty_app.importers.options import read_report

MAP = parse_mapping("receipt=Receipt,date=Date,time=Time,phone=Phone,sku=SKU,name=Item,qty=Qty,amount=Amount")
HEADER = "Receipt,Date,Time,Phone,SKU,Item,Qty,Amount\n"
PHONE = "(415) 555-0132"


def _file(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def _import(shop, path: Path):
    return shop.imports.import_file(path, ImportOptions(mapping=MAP, report=path.with_suffix(".report.csv")))


def _history(shop) -> list[tuple[str, int, list[str]]]:
    customer = shop.lookup.find_one(PHONE)
    return sorted((p.occurred_at, p.total_cents, [ln.sku for ln in p.lines])
                  for p in shop.lookup.history_page(customer.id, limit=None))


def test_the_same_sale_read_at_another_time_is_not_counted_twice_and_the_report_says_why(shop, tmp_path):
    # The same export read once more after the shop's time zone was corrected: one hour later, same amount.
    _import(shop, _file(tmp_path, "first.csv", [f"7,2026-05-01,10:00,{PHONE},OIL-250,Olive oil,1,12.00"]))
    later = _file(tmp_path, "later.csv", [f"7,2026-05-01,11:00,{PHONE},OIL-250,Olive oil,1,12.00"])
    s = _import(shop, later)
    assert (s.lines_imported, s.duplicates, s.warnings) == (0, 1, 1)
    [line], total = read_report(later.with_suffix(".report.csv"))
    assert total == 1 and line.row == 2 and line.level == "warning"
    assert line.reason.startswith("receipt 7 was imported before for the same customer and amount at 2026-05-01 10:00, "
                                  "and this row says 2026-05-01 11:00: counted as already imported")
    assert len(_history(shop)) == 1


def test_lines_of_one_receipt_apart_in_the_file_at_the_same_time_are_still_refused(shop, tmp_path):
    apart = _file(tmp_path, "apart.csv", [f"5,2026-05-01,10:00,{PHONE},OIL-250,Olive oil,1,12.00",
                                          f"6,2026-05-01,10:30,{PHONE},TEA-100,Green tea,1,4.50",
                                          f"5,2026-05-01,10:00,{PHONE},VIN-500,Vinegar,1,7.50"])
    s = _import(shop, apart)
    assert (s.lines_imported, s.rejected) == (2, 1)
    [line], _ = read_report(apart.with_suffix(".report.csv"))
    assert line.row == 4 and line.reason.startswith("more lines of 5 further down the file")


def test_a_pos_receipt_number_is_one_sale_whatever_time_or_amount_a_later_export_gives_it(catalogue, tmp_path):
    # Square, Shopify and Loyverse never give two sales one number, and their exports and live pulls may write a
    # sale's minute or amount a little differently: the number alone says it is the same sale.
    from tests.paths import FIXTURES

    shop = catalogue
    text = (FIXTURES / "pos" / "loyverse_items.csv").read_text(encoding="utf-8-sig")
    first = shop.imports.import_file(FIXTURES / "pos" / "loyverse_items.csv", ImportOptions(report=tmp_path / "r.csv"))
    moved = tmp_path / "loyverse_again.csv"
    moved.write_text(text.replace("7/28/26 1:33 PM", "7/28/26 1:34 PM").replace(",29.00,0.00,29.00,", ",28.00,0.00,"
                                                                                 "28.00,"), encoding="utf-8")
    again = shop.imports.import_file(moved, ImportOptions(report=tmp_path / "r2.csv"))
    assert (again.lines_imported, again.duplicates, again.warnings) == (0, first.lines_imported, 0)


def test_the_next_days_receipts_under_the_same_numbers_are_refused_with_their_reason_never_counted_as_old(
        shop, tmp_path):
    day1 = _file(tmp_path, "day1.csv", [f"1,2026-05-01,10:00,{PHONE},OIL-250,Olive oil,1,12.00",
                                        f"2,2026-05-01,11:00,{PHONE},TEA-100,Green tea,2,9.00"])
    day2 = _file(tmp_path, "day2.csv", [f"1,2026-05-02,10:05,{PHONE},VIN-500,Vinegar,1,7.50",
                                        f"3,2026-05-02,12:00,{PHONE},OIL-500,Olive oil,1,21.00"])
    assert _import(shop, day1).lines_imported == 2
    s = _import(shop, day2)
    assert (s.lines_imported, s.duplicates, s.rejected) == (1, 0, 1)
    [line], _ = read_report(day2.with_suffix(".report.csv"))
    assert (line.row, line.level) == (2, "rejected")
    assert line.reason.startswith("receipt 1 was used before for another sale at 2026-05-01 10:00 ($12.00), and "
                                  "this row says 2026-05-02 10:05: not imported, so that neither is counted as the "
                                  "other (this till starts its receipt numbers again): add it at the counter")
    again = _import(shop, day2)
    assert (again.lines_imported, again.duplicates, again.rejected) == (0, 1, 1)
    assert [(at[:10], cents) for at, cents, _ in _history(shop)] == [
        ("2026-05-01", 1200), ("2026-05-01", 900), ("2026-05-02", 2100)]
    assert shop.check() == {k: [] for k in shop.check()}


def test_one_file_with_a_number_used_on_two_days_keeps_the_first_and_reports_the_second(shop, tmp_path):
    week = _file(tmp_path, "week.csv", [f"1,2026-05-01,10:00,{PHONE},OIL-250,Olive oil,1,12.00",
                                        f"1,2026-05-02,10:00,{PHONE},VIN-500,Vinegar,1,7.50"])
    s = _import(shop, week)
    assert (s.lines_imported, s.rejected) == (1, 1)
    [line], _ = read_report(week.with_suffix(".report.csv"))
    assert line.row == 3 and line.reason.startswith("receipt 1 was used before for another sale at 2026-05-01 10:00")
    again = _import(shop, week)
    assert (again.lines_imported, again.duplicates, again.rejected) == (0, 1, 1)
    assert [cents for _, cents, _ in _history(shop)] == [1200]


def test_a_refund_under_a_number_refunded_before_at_another_time_is_refused_not_dropped(shop, tmp_path):
    _import(shop, _file(tmp_path, "r1.csv", [f"1,2026-05-01,10:00,{PHONE},TEA-100,Green tea,2,9.00",
                                             f"1,2026-05-01,15:00,{PHONE},TEA-100,Green tea,-1,-4.50"]))
    r2 = _file(tmp_path, "r2.csv", [f"1,2026-05-02,16:00,{PHONE},TEA-100,Green tea,-1,-4.50"])
    s = _import(shop, r2)
    assert (s.returns_imported, s.duplicates, s.rejected) == (0, 0, 1)
    [line], _ = read_report(r2.with_suffix(".report.csv"))
    assert line.reason.startswith("receipt 1:refund was used before for another refund at 2026-05-01 15:00, and "
                                  "this row says 2026-05-02 16:00: not imported")
    assert shop.customers.get(shop.lookup.find_one(PHONE).id).points_balance == 9 - 4


def test_the_next_days_sale_of_the_same_amount_to_someone_else_is_refused_not_taken_for_the_first(shop, tmp_path):
    _import(shop, _file(tmp_path, "d1.csv", [f"1,2026-05-01,10:00,{PHONE},COF,Coffee,1,4.50"]))
    d2 = _file(tmp_path, "d2.csv", ["1,2026-05-02,10:00,(415) 555-0199,COF,Coffee,1,4.50"])
    s = _import(shop, d2)
    assert (s.lines_imported, s.duplicates, s.warnings, s.rejected) == (0, 0, 0, 1)
    [line], _ = read_report(d2.with_suffix(".report.csv"))
    assert line.reason.startswith("receipt 1 was used before for another sale at 2026-05-01 10:00 ($4.50)")
