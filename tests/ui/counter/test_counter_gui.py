"""The counter, driven as a cashier drives it: keyboard first, on a real temporary database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from loyalty_app.sales import SaleItem
from tests.counter_support import find, window

pytestmark = pytest.mark.gui
__all__ = ["window"]  # the fixture, from tests.counter_support


def _scan(qtbot, window, code: str) -> None:
    qtbot.keyClicks(window.counter.sale_panel.item_input, code)
    qtbot.keyClick(window.counter.sale_panel.item_input, Qt.Key.Key_Return)


@pytest.mark.parametrize("typed", ["(415) 555-0132", "415.555.0132", "+1 415 555 0132", "4155550132"])
def test_cashier_finds_customer_by_any_phone_format(catalogue, window, qtbot, typed) -> None:
    catalogue.customers.sign_up(phone="+14155550132", name="Ada")
    find(qtbot, window, typed)
    assert window.counter.customer_panel.name_label.text() == "Ada"


def test_a_scanned_card_opens_its_customer_and_a_lost_card_says_so(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    card = catalogue.customers.attach_card(ada.id)
    find(qtbot, window, card)
    assert window.counter.customer_panel.name_label.text() == "Ada"
    catalogue.customers.report_card_lost(card)
    qtbot.keyClick(window.counter.lookup_input, Qt.Key.Key_Escape)
    find(qtbot, window, card)
    assert "reported lost" in window.counter.lookup_message.text()
    assert "phone" in window.counter.lookup_message.text()
    assert window.counter.customer_panel.customer_id is None


def test_several_names_match_and_the_arrow_keys_pick_one(catalogue, window, qtbot) -> None:
    catalogue.customers.sign_up("+14155550132", name="Ada Lovelace")
    catalogue.customers.sign_up("+14155550133", name="Ada Byron")
    find(qtbot, window, "ada")
    assert window.counter.matches_list.isVisible() and window.counter.matches_list.count() == 2
    qtbot.keyClick(window.counter.matches_list, Qt.Key.Key_Down)
    qtbot.keyClick(window.counter.matches_list, Qt.Key.Key_Return)
    assert window.counter.customer_panel.name_label.text() in ("Ada Lovelace", "Ada Byron")
    assert not window.counter.matches_list.isVisible()


def test_an_unknown_number_offers_sign_up_with_the_phone_filled_in(catalogue, window, qtbot) -> None:
    find(qtbot, window, "(415) 555-0177")
    assert "No customer with (415) 555-0177" in window.counter.lookup_message.text()
    dialog = window.counter.sign_up()
    assert dialog.phone_input.text() == "(415) 555-0177"
    assert not any(dialog.consent.answers().values())
    qtbot.keyClicks(dialog.name_input, "Grace")
    dialog.submit()
    assert window.counter.customer_panel.name_label.text() == "Grace"
    grace = catalogue.lookup.find_one("+14155550177")
    assert not grace.email_consent


def test_an_invalid_phone_is_explained_inline_and_nothing_is_written(catalogue, window, qtbot) -> None:
    before = len(catalogue.customers.list())
    find(qtbot, window, "555-12")
    assert "too short" in window.counter.lookup_message.text()
    dialog = window.counter.sign_up()
    qtbot.keyClicks(dialog.phone_input, "12")
    dialog.submit()
    assert "too short" in dialog.error_label.text() and dialog.isVisible()
    assert len(catalogue.customers.list()) == before


def test_a_sale_by_sku_barcode_and_name_earns_points(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    find(qtbot, window, "415 555 0132")
    _scan(qtbot, window, "BAS250")
    _scan(qtbot, window, "4006381333931")  # the white balsamic's barcode
    _scan(qtbot, window, "lemon")
    panel = window.counter.sale_panel
    assert [r.sku for r in panel.basket.rows] == ["BAS250", "WB250", "LEM250"]
    assert panel.total_label.text() == "Total $41.50"
    qtbot.keyClick(panel.item_input, Qt.Key.Key_F12)
    assert "saved" in panel.status_label.text() and "+41 points" in panel.status_label.text()
    assert catalogue.customers.get(ada.id).points_balance == 41
    assert window.counter.customer_panel.balance_label.text() == "41 points"
    assert panel.basket.rows == []


def test_redeeming_points_shows_value_and_respects_the_program(catalogue, window, qtbot, owner) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.points.adjust(ada.id, 250, "welcome back", actor=owner)
    find(qtbot, window, "4155550132")
    _scan(qtbot, window, "BAS500")
    panel = window.counter.sale_panel
    assert panel.redeem_spin.maximum() == 250  # points may pay 50% of $25.00: 250 points at 5¢ each
    panel.redeem_spin.setValue(500)
    assert panel.redeem_spin.value() == 250
    assert "$12.50 off" in panel.redeem_label.text() and "0 points left" in panel.redeem_label.text()
    assert panel.total_label.text() == "Total $12.50"
    panel.redeem_spin.setValue(120)
    assert panel.total_label.text() == "Total $19.00"
    assert panel.finish() is not None
    assert catalogue.customers.get(ada.id).points_balance == 250 - 120 + 19


def test_an_anonymous_sale_needs_no_customer(catalogue, window, qtbot) -> None:
    qtbot.keyClick(window.counter.lookup_input, Qt.Key.Key_Escape)
    _scan(qtbot, window, "WB250")
    assert window.counter.sale_panel.who_label.text() == "Anonymous sale"
    pid = window.counter.sale_panel.finish()
    assert catalogue.sales.purchase(pid).customer_id is None


def test_an_unknown_sku_is_reported_inline_and_the_basket_stays(catalogue, window, qtbot) -> None:
    _scan(qtbot, window, "BAS250")
    _scan(qtbot, window, "NOPE-999")
    panel = window.counter.sale_panel
    assert "Unknown product 'NOPE-999'" in panel.item_message.text()
    assert [r.sku for r in panel.basket.rows] == ["BAS250"]


def test_a_return_shows_the_points_effect_before_it_is_confirmed(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    sale = catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2), SaleItem("WB250", 1)])
    find(qtbot, window, "4155550132")
    window.counter.customer_panel.history_table.selectRow(0)
    picked = window.counter.customer_panel.selected_sku()
    dialog = window.counter.return_selected()
    assert dialog is not None and dialog.ok_button.isEnabled()  # the line picked in the history, preselected
    assert [(line.sku, spin.value()) for line, spin in dialog.spins if spin.value()] == [
        (picked, {"BAS250": 2, "WB250": 1}[picked])]
    for _line, spin in dialog.spins:
        spin.setValue(0)
    assert not dialog.ok_button.isEnabled()
    dialog.spins[0][1].setValue(1)
    assert dialog.preview_label.text() == ("Refund $14.50. 14 points earned will be taken back, "
                                           "0 redeemed points given back.")
    assert catalogue.customers.get(ada.id).points_balance == 41  # nothing written yet
    dialog.confirm()
    assert catalogue.customers.get(ada.id).points_balance == 41 - 14
    window.counter.customer_panel.history_table.selectRow(0)
    again = window.counter.return_selected()
    assert again is not None
    bas = next(spin for line, spin in again.spins if line.sku == "BAS250")
    assert bas.maximum() == 1  # one of the two already came back
    assert sale.purchase_id == dialog.purchase_id


def test_history_answers_what_was_that_oil_i_bought(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1), SaleItem("WB250", 1)])
    catalogue.sales.record_sale(ada.id, [SaleItem("LEM250", 1)])
    find(qtbot, window, "4155550132")
    panel = window.counter.customer_panel
    assert "Last time: Lemon olive oil 250 ml ×1" in panel.last_basket_label.text()
    qtbot.keyClicks(panel.history_search, "basil")
    assert panel.history_filter.rowCount() == 1
    assert panel.history_filter.index(0, 1).data() == "Basil olive oil 250 ml"


def test_a_scanner_burst_replaces_the_customer_on_screen(catalogue, window, qtbot) -> None:
    catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.customers.sign_up("+14155550133", name="Grace")
    find(qtbot, window, "4155550132")
    _scan(qtbot, window, "BAS250")
    find(qtbot, window, "4155550133")
    assert window.counter.customer_panel.name_label.text() == "Grace"
    assert window.counter.sale_panel.who_label.text() == "Sale for Grace"


def test_the_slip_is_saved_as_pdf_and_printed(catalogue, window, qtbot, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    card = catalogue.customers.attach_card(ada.id)
    find(qtbot, window, "4155550132")
    _scan(qtbot, window, "BAS250")
    window.counter.sale_panel.finish()
    dialog = window.show_last_slip()
    assert "Balance now" in dialog.preview.toPlainText()
    dialog.save_to(str(tmp_path / "slip.pdf"))
    text = subprocess.run(["pdftotext", str(tmp_path / "slip.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Earned" in text and "14" in text and "Test Olive Co" in text
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(tmp_path / "slip.pdf"), str(tmp_path / "slip")], check=True)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "slip-1.png")], capture_output=True,
                             text=True).stdout.strip()
    assert decoded == card
    printer = QPrinter()  # the printer is faked: it writes a PDF instead of paper
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_slip(printer)
    printed = subprocess.run(["pdftotext", str(tmp_path / "printed.pdf"), "-"], capture_output=True, text=True)
    assert "Balance now" in printed.stdout


def test_editing_adds_a_phone_and_merging_needs_the_owner(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    dup = catalogue.customers.sign_up("+14155550133", name="Ada L.")
    catalogue.sales.record_sale(dup.id, [SaleItem("WB250", 1)])
    find(qtbot, window, "4155550132")
    dialog = window.counter.edit_customer()
    qtbot.keyClicks(dialog.phone_input, "415 555 0134")
    dialog._on_add_phone()
    assert catalogue.customers.phones(ada.id) == ["+14155550132", "+14155550134"]
    qtbot.keyClicks(dialog.merge_input, "4155550133")
    qtbot.keyClicks(dialog.owner_pin, "1111")  # the cashier's PIN is not enough
    dialog._on_merge()
    assert "not an owner's PIN" in dialog.message.text()
    qtbot.keyClicks(dialog.owner_pin, "1234")
    dialog._on_merge()
    assert catalogue.customers.get(ada.id).points_balance == 12
    assert "+14155550133" in catalogue.customers.phones(ada.id)


def test_table_models_keep_qt_s_contract(catalogue, window, qtbot, qtmodeltester) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1), SaleItem("WB250", 2)])
    find(qtbot, window, "4155550132")
    _scan(qtbot, window, "LEM250")
    qtmodeltester.check(window.counter.customer_panel.history_model)
    qtmodeltester.check(window.counter.sale_panel.basket)


def test_screenshot_option_renders_the_real_window(demo_template, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from ui.app import main

    path, stats = demo_template
    out = tmp_path / "counter.png"
    assert main(["--db", str(path), "--screenshot", str(out), "--customer", stats["sample_phone"]]) == 0
    image = QImage(str(out))
    assert image.width() >= 1280 and image.height() >= 800
