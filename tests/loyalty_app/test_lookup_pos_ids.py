"""Customers an import knows only by the POS's customer id are found by `#12` and `pos:ID`, at the CLI and counter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from loyalty_app.importers.engine import ImportOptions, import_file
from loyalty_app.importers.generic import parse_mapping

MAP = "receipt=Receipt,time=When,customer=Client,sku=SKU,name=Item,amount=Amount"


def _import(shop, tmp_path: Path, rows: str) -> None:
    f = tmp_path / "till.csv"
    f.write_text("Receipt,When,Client,SKU,Item,Amount\n" + rows, encoding="utf-8")
    s = import_file(shop, f, ImportOptions(mapping=parse_mapping(MAP), report=tmp_path / "r.csv"))
    assert s.rejected == 0


def test_cli_finds_a_pos_only_customer_by_pos_id_and_by_number(catalogue, cli, tmp_path):
    _import(catalogue, tmp_path, "R1,2026-10-01 10:00,C-77,BAS250,Basil olive oil 250 ml,14.50\n"
                                 "R2,2026-10-01 11:00,C-78,WB250,White balsamic 250 ml,12.00\n")
    by_pos = cli("lookup", "pos:C-77", "--json")
    assert by_pos.code == 0, by_pos.err
    p = by_pos.json()
    assert (p["name"], p["phones"], p["points_balance"]) == (None, [], 14)
    assert [ln["sku"] for ln in p["last_basket"]] == ["BAS250"]
    by_number = cli("lookup", f"#{p['id']}")
    assert by_number.code == 0 and by_number.out.startswith(f"(no name)  #{p['id']}\n")
    assert cli("lookup", "POS: C-78", "--json").json()["last_basket"][0]["sku"] == "WB250"


def test_unknown_numbers_and_pos_ids_say_so_in_one_line(catalogue, cli, tmp_path):
    _import(catalogue, tmp_path, "R1,2026-10-01 10:00,C-77,BAS250,Basil olive oil 250 ml,14.50\n")
    for query in ("#999", "pos:C-99"):
        r = cli("lookup", query)
        assert (r.code, r.out, r.err) == (1, "", f"loyalty: no customer matches '{query}'\n")


def test_a_merged_or_erased_customer_number(catalogue, owner, tmp_path):
    shop = catalogue
    _import(shop, tmp_path, "R1,2026-10-01 10:00,C-77,BAS250,Basil olive oil 250 ml,14.50\n")
    dup = shop.lookup.find_one("pos:C-77")
    ada = shop.customers.sign_up(phone="+14155550132", name="Ada")
    shop.customers.merge(ada.id, dup.id, actor=owner)
    assert [c.id for c in shop.lookup.find(f"#{dup.id}").matches] == [ada.id]
    assert [c.id for c in shop.lookup.find("pos:C-77").matches] == [ada.id]
    shop.privacy.erase_customer(ada.id, actor=owner)
    assert shop.lookup.find(f"#{ada.id}").matches == []


@pytest.mark.gui
def test_the_counter_opens_a_customer_typed_as_pos_id_or_number(catalogue, qtbot, tmp_path):
    from ui.main_window import MainWindow

    _import(catalogue, tmp_path, "R1,2026-10-01 10:00,C-77,BAS250,Basil olive oil 250 ml,14.50\n")
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    window.show()
    for typed in ("pos:C-77", f"#{catalogue.lookup.find_one('pos:C-77').id}"):
        window.counter.customer_panel.clear()
        window.counter.lookup_input.clear()
        qtbot.keyClicks(window.counter.lookup_input, typed)
        qtbot.keyClick(window.counter.lookup_input, Qt.Key.Key_Return)
        assert window.counter.customer_panel.balance_label.text().startswith("14 points")


def test_keys_met_later_in_the_same_batch_join_the_customer_just_created(catalogue, tmp_path):
    shop = catalogue
    f = tmp_path / "till.csv"
    f.write_text("Receipt,When,Client,Phone,Email,SKU,Item,Amount\n"
                 "R1,2026-10-01 10:00,,415-555-0174,,BAS250,Basil olive oil 250 ml,14.50\n"
                 "R2,2026-10-02 10:00,C-90,(415) 555 0174,noor@example.com,WB250,White balsamic 250 ml,12.00\n"
                 "R3,2026-10-03 10:00,C-90,,,WB250,White balsamic 250 ml,12.00\n", encoding="utf-8")
    mapping = parse_mapping("receipt=Receipt,time=When,customer=Client,phone=Phone,email=Email,sku=SKU,name=Item,"
                            "amount=Amount")
    s = import_file(shop, f, ImportOptions(mapping=mapping, report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.customers_created, s.rejected) == (3, 1, 0)
    noor = shop.lookup.find_one("pos:C-90")
    assert noor.id == shop.lookup.find_one("415-555-0174").id == shop.lookup.find_one("noor@example.com").id
    assert shop.customers.get(noor.id).points_balance == 14 + 12 + 12
    assert shop.check() == {k: [] for k in shop.check()}


def test_a_pos_id_typed_in_other_capitals_is_found_and_the_profile_names_it(catalogue, cli, tmp_path):
    _import(catalogue, tmp_path, "R1,2026-10-01 10:00,GQ7ZXW2K1M3,BAS250,Basil olive oil 250 ml,14.50\n"
                                 "R2,2026-10-01 11:00,ab-1,WB250,White balsamic 250 ml,12.00\n"
                                 "R3,2026-10-01 12:00,AB-1,BAS250,Basil olive oil 250 ml,14.50\n")
    square = catalogue.lookup.find_one("pos:gq7zxw2k1m3")
    assert catalogue.lookup.find_one("pos:GQ7ZXW2K1M3").id == square.id
    # Two ids that differ only in capitals are two customers: each is found as typed.
    small, big = catalogue.lookup.find_one("pos:ab-1"), catalogue.lookup.find_one("pos:AB-1")
    assert small.id != big.id
    out = cli("lookup", "pos:gq7zxw2k1m3")
    assert out.code == 0, out.err
    assert "  POS ids: pos:GQ7ZXW2K1M3 (csv)\n" in out.out
