"""End to end: two stores on one machine, connected through two real Syncthing instances on loopback, sell to
the same regular while paused apart, then resume: both converge, nothing lost or doubled."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from loyalty_app.sales import SaleItem
from tests.sync_harness import Network, state
from tests.syncthing_pair import SyncthingPair, have_syncthing

pytestmark = pytest.mark.skipif(not have_syncthing(), reason="syncthing is not installed (scripts/dev installs it)")


def _converge(net: Network, pair: SyncthingPair, done, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for n in net.nodes:
            n.shop.sync.sync_now()
        pair.a.scan()
        pair.b.scan()
        if done():
            return
        pair.b.wait_events(2)
    raise AssertionError("the stores did not converge through Syncthing in time")


def test_two_stores_sell_while_apart_and_converge_through_syncthing(tmp_path: Path) -> None:
    pair = SyncthingPair(tmp_path)
    pair.start()
    net = Network(tmp_path / "stores")
    try:
        down = net.add_node("Downtown", connect=False)
        down.shop.products.add(sku="BAS250", name="Basil olive oil 250 ml", price_cents=1450, actor=down.owner)
        ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
        down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])
        harbour = net.add_node("Harbour", skew_seconds=4, connect=False)
        # Each store's shared folder is its own Syncthing folder (no simulated deliveries in this test).
        net.connect(down, pair.a.folder)
        net.connect(harbour, pair.b.folder)
        _converge(net, pair, lambda: harbour.shop.lookup.find("650 321 4477").matches != [])

        pair.pause()
        net.tick(60)
        down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
        there = harbour.shop.lookup.find_one("650 321 4477")
        harbour.shop.sales.record_sale(there.id, [SaleItem("BAS250", 3)])
        down.shop.customers.sign_up("(650) 321-9900", name="Grace")
        net.tick(5)
        harbour.shop.customers.sign_up("650.321.9900", name="Grace H.")
        for n in net.nodes:
            n.shop.sync.sync_now()
        assert state(down.shop) != state(harbour.shop)

        pair.resume()
        _converge(net, pair, lambda: state(down.shop) == state(harbour.shop)
                  and len(state(down.shop)[ada.uuid]["history"]) == 3)
        final = state(down.shop)
        assert final[ada.uuid]["balance"] == 29 + 14 + 43
        graces = [c for k, c in final.items() if k != "ledger" and "+16503219900" in c["phones"]]
        assert len(graces) == 1 and graces[0]["name"] == "Grace"  # the earlier sign-up survived, in both
        for n in net.nodes:
            assert all(not problems for problems in n.shop.check().values())
    finally:
        net.close()
        pair.stop()
