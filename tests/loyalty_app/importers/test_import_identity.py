"""A row's SKU is its identity: same-named SKUs stay apart, name-only rows match by name, absurd quantities refused."""

from __future__ import annotations

import csv
from pathlib import Path

from loyalty_app.importers.engine import ImportOptions, import_file

MAP = "receipt=Receipt,time=When,phone=Phone,sku=SKU,name=Item,qty=Qty,amount=Amount"
HEADER = ["Receipt", "When", "Phone", "SKU", "Item", "Qty", "Amount"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def _import(shop, path: Path, tmp_path: Path):
    from loyalty_app.importers.generic import parse_mapping

    return import_file(shop, path, ImportOptions(mapping=parse_mapping(MAP), report=tmp_path / "report.csv"))


def test_same_named_skus_stay_separate_products_known_at_the_counter(catalogue, tmp_path):
    shop = catalogue
    f = _write(tmp_path / "till.csv", [
        ["R1", "2026-10-01 10:00", "415-555-0170", "ETH-WB", "Ethiopia Yirgacheffe", "1", "16.00"],
        ["R1", "2026-10-01 10:00", "415-555-0170", "ETH-GR", "Ethiopia Yirgacheffe", "1", "16.50"],
        # A new SKU named like a catalogue product is still its own product.
        ["R2", "2026-10-02 10:00", "415-555-0170", "BAS250-GIFT", "Basil olive oil 250 ml", "1", "19.00"],
    ])
    s = _import(shop, f, tmp_path)
    assert (s.lines_imported, s.products_created, s.rejected) == (3, 3, 0)
    assert shop.products.find("ETH-WB").name == shop.products.find("ETH-GR").name == "Ethiopia Yirgacheffe"
    assert shop.products.find("ETH-GR").price_cents == 1650
    assert shop.products.find("BAS250-GIFT").id != shop.products.find("BAS250").id
    history = shop.lookup.profile(shop.lookup.find_one("415-555-0170").id).history
    assert sorted(ln.sku for p in history for ln in p.lines) == ["BAS250-GIFT", "ETH-GR", "ETH-WB"]


def test_rows_without_a_sku_fall_back_to_the_name(catalogue, tmp_path):
    shop = catalogue
    f = _write(tmp_path / "till.csv", [
        ["R1", "2026-10-01 10:00", "", "", "basil olive oil  250 ML", "2", "29.00"],
        ["R2", "2026-10-01 11:00", "", "", "Walnut oil", "1", "11.00"],
        ["R3", "2026-10-01 12:00", "", "", "Walnut oil", "1", "11.00"],
    ])
    s = _import(shop, f, tmp_path)
    assert (s.lines_imported, s.products_created) == (4 - 1, 1)
    assert [p.name for p in shop.products.list() if p.needs_review] == ["Walnut oil"]


def test_an_absurd_quantity_is_refused_with_its_reason_and_the_rest_imports(catalogue, tmp_path):
    shop = catalogue
    f = _write(tmp_path / "till.csv", [
        ["R1", "2026-10-01 10:00", "415-555-0171", "FUEL", "Diesel", "150971941", "88.00"],
        ["R2", "2026-10-01 11:00", "415-555-0171", "BAS250", "Basil olive oil 250 ml", "1", "14.50"],
    ])
    s = _import(shop, f, tmp_path)
    assert (s.lines_imported, s.rejected) == (1, 1)
    with (tmp_path / "report.csv").open(encoding="utf-8-sig", newline="") as fh:
        report = list(csv.reader(fh))
    assert report[1][:3] == ["2", "rejected", "quantity 150971941 is not plausible for one line (more than "
                                              "100,000 units): fix the row and import it again"]
    assert report[1][3:] == ["R1", "2026-10-01 10:00", "415-555-0171", "FUEL", "Diesel", "150971941", "88.00"]
    assert [p.sku for p in shop.products.list() if p.sku == "FUEL"] == []


def test_rows_without_sku_named_like_several_products_are_filed_once_with_a_warning(catalogue, tmp_path):
    from loyalty_app.importers.options import read_report

    shop = catalogue
    f = _write(tmp_path / "till.csv", [
        ["R1", "2026-10-01 10:00", "415-555-0170", "ETH-WB", "Ethiopia Yirgacheffe", "1", "16.00"],
        ["R1", "2026-10-01 10:00", "415-555-0170", "ETH-GR", "Ethiopia Yirgacheffe", "1", "16.50"],
        ["R2", "2026-10-02 10:00", "415-555-0170", "", "ethiopia  yirgacheffe", "1", "16.00"],
        ["R3", "2026-10-03 10:00", "415-555-0170", "", "Ethiopia Yirgacheffe", "2", "32.00"],
        ["R4", "2026-10-04 10:00", "415-555-0170", "", "Basil olive oil 250 ml", "1", "12.00"],  # one product
    ])
    s = _import(shop, f, tmp_path)
    assert (s.lines_imported, s.products_created, s.warnings) == (5, 2, 1)
    [note], total = read_report(tmp_path / "report.csv")
    assert total == 1 and (note.row, note.level) == (4, "warning")
    assert note.reason == ("'ethiopia  yirgacheffe' is the name of several products and this row has no SKU: it and "
                           "the other rows of that name without SKU were filed under ETH-WB, the first with it. Give "
                           "the rows their SKU to choose")
    customer = shop.lookup.find_one("415-555-0170")
    skus = sorted(ln.sku for p in shop.lookup.history_page(customer.id, limit=None) for ln in p.lines)
    assert skus == ["BAS250", "ETH-GR", "ETH-WB", "ETH-WB", "ETH-WB"]


def test_a_line_paid_under_a_cent_a_unit_is_imported_with_a_warning_to_check_its_quantity(catalogue, tmp_path):
    from loyalty_app.importers.options import read_report

    shop = catalogue
    f = _write(tmp_path / "till.csv", [
        ["R1", "2026-10-01 10:00", "415-555-0171", "FUEL", "Diesel", "100000", "88.00"],
        ["R1", "2026-10-01 10:00", "415-555-0171", "BAS250", "Basil olive oil 250 ml", "1", "14.50"],
        ["R2", "2026-10-01 11:00", "415-555-0171", "BAS250", "Basil olive oil 250 ml", "100", "1.00"],  # a cent
    ])
    s = _import(shop, f, tmp_path)
    assert (s.lines_imported, s.rejected, s.warnings) == (3, 0, 1)
    [note], _ = read_report(tmp_path / "report.csv")
    assert (note.row, note.level, note.reason) == (2, "warning", "100,000 units of FUEL for $88.00 is less than a "
                                                                 "cent a unit: imported as written; check the quantity")
