"""Sales imported at one store reach the other stores with the same customers, lines and points."""

from __future__ import annotations

from pathlib import Path

from loyalty_app.importers.engine import ImportOptions
from tests.paths import FIXTURES
from tests.sync_harness import Network, state

POS = FIXTURES / "pos"


def test_imported_sales_and_refunds_sync_to_the_other_store(tmp_path: Path) -> None:
    net = Network(tmp_path)
    try:
        down = net.add_node("Downtown")
        down.shop.products.add(sku="BAS250", name="Basil olive oil 250 ml", price_cents=1450, actor=down.owner)
        down.shop.products.add(sku="WB250", name="White balsamic 250 ml", price_cents=1200,
                               barcode="4006381333931", actor=down.owner)
        harbour = net.add_node("Harbour", skew_seconds=7)
        net.settle()
        for name in ("square_customers.csv", "square_items.csv"):
            down.shop.imports.import_file(POS / name, ImportOptions(report=tmp_path / f"{name}.report.csv"))
        net.tick()
        net.settle()
        ada = harbour.shop.lookup.find_one("(415) 555-0132")
        assert harbour.shop.customers.get(ada.id).points_balance == 38 - 14
        assert state(down.shop) == state(harbour.shop)
        assert all(not problems for problems in harbour.shop.check().values())
    finally:
        net.close()
