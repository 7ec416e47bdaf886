"""The desktop app connects to the other stores and syncs by itself, showing how far each store is."""

from __future__ import annotations

from pathlib import Path

from loyalty_app.sales import SaleItem
from tests.sync_harness import Network
from ui.main_window import MainWindow


def test_the_window_connects_a_store_and_syncs_in_the_background(tmp_path: Path, qtbot) -> None:
    net = Network(tmp_path)
    down = net.add_node("Downtown")
    down.shop.products.add(sku="BAS250", name="Basil olive oil 250 ml", price_cents=1450, actor=down.owner)
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])
    harbour = net.add_node("Harbour", connect=False)
    try:
        net.tick()
        down.shop.sync.sync_now()
        window = MainWindow(harbour.shop)
        qtbot.addWidget(window)
        dialog = window.connect_stores()
        dialog.folder_input.setText(str(down.view))  # both counters on one machine share one folder here
        dialog.store_input.setText("Harbour")
        dialog.pin_input.setText("1234")
        dialog.connect_stores()
        assert "already holds other stores: give the shop's sync key" in dialog.message.text()
        dialog.key_input.setText(net.key)
        dialog.pin_input.setText("1111")
        dialog.connect_stores()
        assert "not an owner's PIN" in dialog.message.text()
        dialog.pin_input.setText("1234")
        dialog.connect_stores()
        with qtbot.waitSignal(window.sync_runner.sig_status, timeout=10000):
            window.sync_runner.sync_soon()
        assert "Downtown: 0 changes not yet received" in window.sync_label.text()
        window.counter.lookup("650 321 4477")
        assert window.counter.customer_panel.name_label.text() == "Ada"
        assert window.counter.customer_panel.balance_label.text() == "29 points"
        window.close()
        qtbot.waitUntil(lambda: not window.sync_runner.busy, timeout=10000)
    finally:
        net.close()
