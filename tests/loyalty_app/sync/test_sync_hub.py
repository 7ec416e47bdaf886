"""A chain on a central PostgreSQL hub (a real server, started for the session): ten stores converge, a
redemption is checked at the hub while it is reachable, an outage falls back to the offline cap, and a store
killed mid-push sends its records again without doubling any."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from db import hub_queries
from loyalty_app.errors import Conflict, ShopUnavailable
from loyalty_app.sales import SaleItem
from tests.pg_server import PgServer, pg_bin
from tests.sync_harness import Network, state


@pytest.fixture(scope="session")
def pg_server():
    if pg_bin() is None:
        pytest.skip("PostgreSQL is not installed (scripts/dev test installs Debian's postgresql)")
    server = PgServer()
    yield server
    server.close()


def _chain(tmp_path: Path, url: str, stores: int) -> Network:
    net = Network(tmp_path, hub=url)
    first = net.add_node("Store 1")
    first.shop.products.add(sku="BAS250", name="Basil olive oil 250 ml", price_cents=1450, actor=first.owner)
    for i in range(2, stores + 1):
        net.add_node(f"Store {i}", skew_seconds=i)
    net.settle()
    return net


def _hub_rows(url: str, node: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM loyalty_records WHERE node = %s", (node,)).fetchone()
        return int(row[0]) if row else 0


def test_ten_stores_share_one_customer_base_through_the_hub(tmp_path: Path, pg_server: PgServer) -> None:
    net = _chain(tmp_path, pg_server.new_database(), 10)
    try:
        for i, node in enumerate(net.nodes):
            c = node.shop.customers.sign_up(f"(650) 321-44{i:02d}", name=f"Regular {i}")
            node.shop.sales.record_sale(c.id, [SaleItem("BAS250", 1 + i % 3)])
        net.settle()
        states = [state(n.shop) for n in net.nodes]
        assert all(s == states[0] for s in states) and len(states[0]) == 11  # ten customers and the ledger
        last = net.nodes[-1].shop
        assert last.lookup.profile(last.lookup.find_one("650 321 4400").id).points_balance == 14
        assert sorted(p.store or "" for p in last.sync.status().peers) == sorted(f"Store {i}" for i in range(1, 10))
        for n in net.nodes:
            assert all(not problems for problems in n.shop.check().values())
    finally:
        net.close()


def test_while_the_hub_is_reachable_two_stores_cannot_overdraw(tmp_path: Path, pg_server: PgServer) -> None:
    net = _chain(tmp_path, pg_server.new_database(), 2)
    try:
        a, b = net.nodes
        ada = a.shop.customers.sign_up("(650) 321-4477", name="Ada")
        a.shop.points.adjust(ada.id, 400, "opening balance", actor=a.owner)
        net.settle()
        there = b.shop.lookup.find_one("650 321 4477")
        a.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 20)], redeem_points=300)  # not yet synced
        with pytest.raises(Conflict, match="the hub counts 100 points for this customer across the stores: 300 "
                                           "cannot be redeemed"):
            b.shop.sales.record_sale(there.id, [SaleItem("BAS250", 20)], redeem_points=300)
        b.shop.sales.record_sale(there.id, [SaleItem("BAS250", 20)], redeem_points=100)
        earned = b.shop.sales.record_sale(there.id, [SaleItem("BAS250", 10)]).points_earned  # not yet synced
        assert earned >= 100
        b.shop.sales.record_sale(there.id, [SaleItem("BAS250", 1)], redeem_points=100)  # the hub counts it
        net.settle()
        assert a.shop.customers.get(ada.id).points_balance >= 0
        assert state(a.shop) == state(b.shop)
    finally:
        net.close()


def test_a_hub_outage_keeps_stores_selling_under_the_offline_cap(tmp_path: Path, pg_server: PgServer) -> None:
    net = _chain(tmp_path, pg_server.new_database(), 3)
    try:
        a, b, _ = net.nodes
        a.shop.sync.configure(offline_redeem_cap=300, actor=a.owner)
        ada = a.shop.customers.sign_up("(650) 321-4477", name="Ada")
        a.shop.points.adjust(ada.id, 1000, "opening balance", actor=a.owner)
        net.settle()
        pg_server.stop()
        try:
            with pytest.raises(ShopUnavailable, match="the hub cannot be reached .*: this store keeps selling"):
                a.shop.sync.sync_now()
            a.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 20)], redeem_points=300)
            with pytest.raises(Conflict, match="at most 300 points per customer can be redeemed here"):
                a.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 20)], redeem_points=100)
            there = b.shop.lookup.find_one("650 321 4477")
            b.shop.sales.record_sale(there.id, [SaleItem("BAS250", 2)])
        finally:
            pg_server.start()
        net.settle()
        states = [state(n.shop) for n in net.nodes]
        assert states[0] == states[1] == states[2]
        assert len(states[0][ada.uuid]["history"]) == 2
        for n in net.nodes:
            assert all(not problems for problems in n.shop.check().values())
    finally:
        net.close()


def test_a_store_killed_mid_push_sends_everything_again_once(tmp_path: Path, pg_server: PgServer,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    url = pg_server.new_database()
    net = _chain(tmp_path, url, 2)
    try:
        a, b = net.nodes
        ada = a.shop.customers.sign_up("(650) 321-4477", name="Ada")
        for _ in range(3):
            a.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
        before = _hub_rows(url, a.node_id)
        real_push = hub_queries.push

        def dies_mid_push(conn, node, store, lines, points):  # the records are in, then the store is gone
            with conn.cursor() as cur:
                cur.execute("BEGIN")
                cur.execute("INSERT INTO loyalty_records (node, store, seq, line) VALUES (%s, %s, %s, %s)",
                            (node, store, *lines[0]))
            conn.pgconn.finish()
            raise hub_queries.HubUnreachable("the connection died")

        monkeypatch.setattr(hub_queries, "push", dies_mid_push)
        with pytest.raises(ShopUnavailable):
            a.shop.sync.sync_now()
        assert _hub_rows(url, a.node_id) == before  # nothing of the half push stayed at the hub
        monkeypatch.setattr(hub_queries, "push", real_push)
        net.settle()
        assert _hub_rows(url, a.node_id) == a.shop.sync.status().last_seq
        assert state(a.shop) == state(b.shop)
        assert len(state(b.shop)[ada.uuid]["history"]) == 3
    finally:
        net.close()
