"""Two and three stores sharing customers through a folder: nothing lost, nothing doubled, all converge."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty_app.errors import Conflict
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from loyalty_app.sync.service import SyncStopped
from tests.sync_harness import Network, state


@pytest.fixture
def net(tmp_path: Path):
    network = Network(tmp_path)
    a = network.add_node("Downtown")
    for sku, name, price in (("BAS250", "Basil olive oil 250 ml", 1450), ("WB250", "White balsamic 250 ml", 1200)):
        a.shop.products.add(sku=sku, name=name, price_cents=price, actor=a.owner)
    network.add_node("Harbour", skew_seconds=7)
    network.settle()
    yield network
    network.close()


def test_a_regular_is_known_in_the_other_store_with_history_and_one_balance(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])
    net.tick()
    net.settle()
    there = harbour.shop.lookup.find_one("650.321.4477")
    profile = harbour.shop.lookup.profile(there.id)
    assert profile.name == "Ada" and profile.points_balance == 29
    assert profile.last_basket[0].sku == "BAS250"
    harbour.shop.sales.record_sale(there.id, [SaleItem("WB250", 1)])
    net.tick()
    net.settle()
    assert down.shop.customers.get(ada.id).points_balance == 29 + 12
    assert state(down.shop) == state(harbour.shop)
    assert all(not problems for problems in down.shop.check().values())


def test_same_phone_signed_up_in_both_stores_while_apart_merges_identically(net: Network) -> None:
    down, harbour = net.nodes
    net.partitioned.add(frozenset(("Downtown", "Harbour")))
    first = down.shop.customers.sign_up("+1 650 321 4477", name="Ada")
    net.tick()
    second = harbour.shop.customers.sign_up("(650) 321-4477", name="Ada L.")
    down.shop.sales.record_sale(first.id, [SaleItem("BAS250", 1)])
    harbour.shop.sales.record_sale(second.id, [SaleItem("WB250", 3)])
    for n in net.nodes:
        n.shop.sync.sync_now()
    net.settle()
    s_down, s_harbour = state(down.shop), state(harbour.shop)
    assert s_down == s_harbour
    customers = [k for k in s_down if k != "ledger"]
    assert customers == [first.uuid]  # the earlier sign-up survives, in both stores
    merged = s_down[first.uuid]
    assert merged["balance"] == 14 + 36 and len(merged["history"]) == 2
    down.shop.ctx.actor = down.owner
    assert any(entry.action == "sync.merge" for entry in down.shop.audit_log())


def test_misbehaving_deliveries_lose_and_double_nothing(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    for i in range(5):
        down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 1 + i % 2)])
        down.shop.sync.sync_now()
        net.tick()
    for mode in ("truncated", "reversed", "conflict", "temp", "latest-only"):
        net.deliver(down, harbour, mode)
        harbour.shop.sync.ingest()
    net.settle()
    assert state(down.shop) == state(harbour.shop)
    assert len(state(harbour.shop)[ada.uuid]["history"]) == 5
    harbour.shop.sync.ingest()  # re-ingesting changes nothing
    assert state(down.shop) == state(harbour.shop)
    status = harbour.shop.sync.status()
    assert status.peers[0].store == "Downtown" and status.peers[0].not_yet_received == 0


def test_redemptions_while_a_store_is_out_of_touch_are_capped(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.points.adjust(ada.id, 2000, "opening balance", actor=down.owner)
    down.shop.sync.configure(offline_redeem_cap=300, actor=down.owner)
    net.settle()
    net.tick(seconds=3600)  # an hour without hearing from Harbour
    down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 10)], redeem_points=200)
    with pytest.raises(Conflict, match="at most 300 points"):
        down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 10)], redeem_points=200)
    net.settle()
    down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 10)], redeem_points=200)


def test_stores_apart_from_the_first_minute_overdraw_at_most_the_cap(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.points.adjust(ada.id, 400, "opening balance", actor=down.owner)
    down.shop.sync.configure(offline_redeem_cap=300, actor=down.owner)
    net.settle()
    there = harbour.shop.lookup.find_one("650 321 4477")
    net.partitioned.add(frozenset(("Downtown", "Harbour")))
    net.tick()  # thirty seconds apart: no store is stale yet
    first = down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 20)], redeem_points=300)
    with pytest.raises(Conflict, match="Harbour has not yet taken in this store's latest redemptions: until it "
                                       r"does, at most 300 points per customer can be redeemed here \(300 waiting\)"):
        down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 20)], redeem_points=100)
    second = harbour.shop.sales.record_sale(there.id, [SaleItem("BAS250", 20)], redeem_points=300)
    net.settle()
    # 600 points spent on a balance of 400: overdrawn by 200, within (stores - 1) x cap = 300.
    assert down.shop.customers.get(ada.id).points_balance == 400 - 600 + first.points_earned + second.points_earned
    down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 20)], redeem_points=100)  # acknowledged: free again
    assert all(not problems for problems in down.shop.check().values())


def test_one_line_returned_in_both_stores_while_apart_is_bounded_flagged_and_checks_clean(net: Network,
                                                                                          cli) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    sale = down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 3)])
    net.settle()
    there = harbour.shop.lookup.find_one("650 321 4477")
    bought_there = harbour.shop.lookup.profile(there.id).history[0].purchase_id
    net.partitioned.add(frozenset(("Downtown", "Harbour")))
    down.shop.sales.return_items(sale.purchase_id, [("BAS250", 2)])
    net.tick()
    harbour.shop.sales.return_items(bought_there, [("BAS250", 2)])
    net.settle()
    assert state(down.shop) == state(harbour.shop)
    for n in net.nodes:
        assert all(not problems for problems in n.shop.check().values()), n.shop.check()
        line = n.shop.sales.purchase(n.shop.lookup.profile(n.shop.lookup.find_one("6503214477").id)
                                     .history[0].purchase_id).lines[0]
        assert line.returned_qty == 3
        # Every point the line earned is taken back once, not twice.
        assert n.shop.customers.get(n.shop.lookup.find_one("6503214477").id).points_balance == 0
        status = n.shop.sync.status()
        assert [(o["sku"], o["excess_qty"], o["excess_refund_cents"]) for o in status.over_returns] == [
            ("BAS250", 1, 2 * 2900 - 4350)]
        assert any(a["kind"] == "over-return" and "4 returned of 3 in two stores while apart; $14.50 refunded "
                   "beyond the line" in a["details"] for a in status.alarms)
    out = cli("sync", "status", db=down.shop.path).out
    assert "returned in two stores: purchase #1 BAS250: 4 returned of 3, $14.50 refunded beyond the line" in out


def test_a_copied_counter_stops_writing_and_says_so(net: Network, tmp_path: Path) -> None:
    down, _ = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.sync.sync_now()
    clone_path = tmp_path / "cloned-pc.sqlite"
    down.shop.ctx.db.conn.execute("VACUUM INTO ?", (str(clone_path),))
    clone = open_shop(clone_path, clock=down.clock)
    try:
        clone.sales.record_sale(ada.id, [SaleItem("WB250", 1)])
        clone.sync.sync_now()  # the clone writes into the original's folder first
        down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
        with pytest.raises(SyncStopped, match="copied PC or a restored backup"):
            down.shop.sync.sync_now()
    finally:
        clone.close()


def test_the_command_line_connects_two_stores(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "shared"
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    for db in (a, b):
        assert cli("init", "--shop-name", "Olive & Vine", "--owner-pin", "1234", db=db).code == 0
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    assert cli("product", "add", "--sku", "BAS250", "--name", "Basil", "--price", "14.50", db=a).code == 0
    assert cli("sync", "setup", "--folder", str(folder), "--store", "Downtown", db=a).code == 0
    refused = cli("sync", "setup", "--folder", str(folder), "--store", "Harbour", db=b)
    assert refused.code != 0 and "give the shop's sync key with --key" in refused.err
    key = cli("sync", "key", "--json", db=a).json()["key"]
    assert cli("sync", "setup", "--folder", str(folder), "--store", "Harbour", "--key", key, db=b).code == 0
    monkeypatch.delenv("LOYALTY_STAFF")
    monkeypatch.delenv("LOYALTY_PIN")
    assert cli("customer", "add", "--phone", "(650) 321-4477", "--name", "Ada", db=a).code == 0
    assert cli("sale", "--customer", "650 321 4477", "--item", "BAS250:2", db=a).code == 0
    assert cli("sync", "now", db=a).code == 0
    now = cli("sync", "now", "--json", db=b).json()
    assert now["received"] > 0 and now["peers"][0]["store"] == "Downtown"
    profile = cli("lookup", "+16503214477", "--json", db=b).json()
    assert profile["name"] == "Ada" and profile["points_balance"] == 29
    status = cli("sync", "status", db=b)
    assert "Downtown: 0 changes not yet received" in status.out
    assert cli("sale", "--customer", "650 321 4477", "--item", "BAS250:1", db=b).code == 0
    assert cli("sync", "now", db=b).code == 0 and cli("sync", "now", db=a).code == 0
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    for db in (a, b):  # each sale carries the store it was made in, not the shop's name
        for store, units in (("Downtown", 2), ("Harbour", 1)):
            report = cli("report", "popular", "--store", store, "--json", db=db)
            assert report.code == 0, report.err
            assert [(r["sku"], r["units"]) for r in report.json()["rows"]] == [("BAS250", units)]
