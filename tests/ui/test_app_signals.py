"""A write made through one screen reaches the others through the window's app-wide signals: the catalogue, a
customer and the shop's settings, each seen on the other open screens without reopening them."""

from __future__ import annotations

import shutil

import pytest

from loyalty_app.importers.presets import set_watch_folder
from tests.paths import FIXTURES
from ui.import_wizard.watch_runner import WatchFolderRunner
from ui.main_window import MainWindow

POS = FIXTURES / "pos"
pytestmark = pytest.mark.gui


@pytest.fixture
def window(catalogue, qtbot) -> MainWindow:
    w = MainWindow(catalogue)
    qtbot.addWidget(w)
    w.show()
    return w


def test_a_product_added_in_the_back_office_can_be_announced_at_once(window) -> None:
    compose = window.mail.compose
    compose.choose_product("LEM250")
    assert compose.product_combo.findData("FIG250") == -1
    assert window.backoffice.unlock("1234")
    dialog = window.backoffice.products.open_add()
    dialog.sku.setText("FIG250")
    dialog.name.setText("Fig balsamic 250 ml")
    dialog.price.setText("13.00")
    dialog._on_buttons_accepted()
    assert compose.product_combo.itemText(compose.product_combo.findData("FIG250")) == "Fig balsamic 250 ml (FIG250)"
    assert compose.product_combo.currentData() == "LEM250"  # what the owner had chosen stays chosen
    products = window.backoffice.products
    products.set_active(window.shop.products.find("LEM250"), False)
    assert compose.product_combo.findData("LEM250") == -1  # no longer sold: no longer offered


def test_an_import_elsewhere_refreshes_the_customer_at_the_counter(window, qtbot, tmp_path) -> None:
    shop = window.shop
    ada = shop.customers.sign_up("+14155550132", name="Ada Lovelace", email="ada@example.com")
    window.counter.lookup("(415) 555-0132")
    panel = window.counter.customer_panel
    assert (panel.balance_label.text(), panel.last_basket_label.text()) == ("0 points", "No purchases yet.")
    window.counter.sale_panel.add_item("WB250")  # a sale in progress at the counter meanwhile
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    set_watch_folder(shop, str(inbox))
    shutil.copy(POS / "shopify_orders.csv", inbox)
    runner = window.findChild(WatchFolderRunner, "watch_folder_runner")
    with qtbot.waitSignal(runner.sig_done, timeout=20000):
        assert runner.tick()
    balance = shop.lookup.profile(ada.id).points_balance
    assert balance > 0
    assert panel.balance_label.text() == f"{balance:,} points"
    assert panel.last_basket_label.text().startswith("Last time: ")
    assert window.counter.sale_panel.who_label.text() == "Sale for Ada Lovelace"
    assert [r.sku for r in window.counter.sale_panel.basket.rows] == ["WB250"]  # the basket is untouched


def test_a_new_points_program_changes_what_the_counter_shows(window, owner, qtbot) -> None:
    shop = window.shop
    ada = shop.customers.sign_up("+14155550171", name="Ada")
    shop.points.adjust(ada.id, 300, "opening balance", actor=owner)
    window.counter.lookup("415 555 0171")
    assert window.counter.customer_panel.value_label.text() == "worth $15.00"
    assert window.backoffice.unlock("1234")
    program = window.backoffice.program
    program.redeem_value.setText("10.00")  # 100 points now buy $10 off instead of $5
    saved: list[bool] = []
    program.sig_program_saved.connect(lambda: saved.append(True))
    program.save()  # first what it does to points already earned, worked out in the background
    qtbot.waitUntil(lambda: bool(saved) or program.save_button.text() == "Save anyway", timeout=20000)
    if not saved:
        program.save()
    assert saved == [True]
    assert window.counter.customer_panel.value_label.text() == "worth $30.00"
