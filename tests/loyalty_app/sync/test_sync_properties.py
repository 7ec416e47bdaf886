"""Random histories on three stores with a misbehaving network: all converge, nothing lost or doubled."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_app.errors import LoyaltyError
from loyalty_app.sales import SaleItem
from tests.sync_harness import Network, state

# CI runs a modest number; `SYNC_EXAMPLES=500 pytest tests/loyalty_app/sync/test_sync_properties.py` digs deeper.
EXAMPLES = int(os.environ.get("SYNC_EXAMPLES", "15"))
PHONES = ["+1 650 321 4410", "(650) 321-4411", "650.321.4412"]
NODES = st.integers(min_value=0, max_value=2)
OPS = st.one_of(
    st.tuples(st.just("signup"), NODES, st.integers(0, 2)),
    st.tuples(st.just("sale"), NODES, st.integers(0, 2), st.integers(1, 3), st.booleans()),
    st.tuples(st.just("return"), NODES),
    st.tuples(st.just("adjust"), NODES, st.integers(0, 2), st.integers(1, 300)),
    st.tuples(st.just("email"), NODES, st.integers(0, 2), st.booleans()),
    st.tuples(st.just("name"), NODES, st.integers(0, 2), st.sampled_from(["Ada", "Grace", "Zoë"])),
    st.tuples(st.just("sync"), NODES),
    st.tuples(st.just("deliver"), NODES, NODES,
              st.sampled_from(["whole", "truncated", "reversed", "conflict", "temp", "latest-only"])),
    st.tuples(st.just("partition"), NODES, NODES),
    st.tuples(st.just("heal")),
    st.tuples(st.just("tick"), st.integers(1, 900)),
)


def _customer(node, phone_idx):
    result = node.shop.lookup.find(PHONES[phone_idx])
    return result.matches[0] if result.matches else None


def _run(net: Network, op: tuple) -> None:
    kind = op[0]
    if kind in ("sync", "deliver", "partition", "heal", "tick"):
        if kind == "sync":
            net.nodes[op[1]].shop.sync.sync_now()
        elif kind == "deliver":
            net.deliver(net.nodes[op[1]], net.nodes[op[2]], op[3])
        elif kind == "partition":
            net.partitioned.add(frozenset((net.nodes[op[1]].name, net.nodes[op[2]].name)))
        elif kind == "heal":
            net.partitioned.clear()
        else:
            net.tick(op[1])
        return
    node = net.nodes[op[1]]
    shop = node.shop
    if kind == "return":
        last = shop.ctx.db.conn.execute("SELECT max(id) FROM purchases").fetchone()[0]
        if last:
            shop.sales.return_items(last, [("1", 1)])
        return
    customer = _customer(node, op[2])
    if kind == "signup":
        if customer is None:
            shop.customers.sign_up(PHONES[op[2]])
    elif customer is None:
        return
    elif kind == "sale":
        balance = shop.customers.get(customer.id).points_balance
        redeem = 100 if op[4] and balance >= 100 else 0
        shop.sales.record_sale(customer.id, [SaleItem("BAS250", op[3] * 4)], redeem_points=redeem)
    elif kind == "adjust":
        shop.points.adjust(customer.id, op[3], "goodwill", actor=node.owner)
    elif kind == "email":
        if not customer.email:
            shop.customers.edit(customer.id, email=f"c{customer.uuid[:8]}@example.com")
        shop.customers.set_email_consent(customer.id, op[3])
    elif kind == "name":
        shop.customers.edit(customer.id, name=op[3])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, min_size=5, max_size=30))
def test_three_stores_converge_whatever_the_network_did(ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        net = Network(Path(tmp))
        try:
            a = net.add_node("A")
            a.shop.products.add(sku="BAS250", name="Basil olive oil 250 ml", price_cents=1450, actor=a.owner)
            net.add_node("B", skew_seconds=3)
            net.add_node("C", skew_seconds=-2)
            net.settle()
            for op in ops:
                try:
                    _run(net, op)
                except LoyaltyError:
                    pass  # refused as a cashier would see it (e.g. capped redemption, nothing to return)
                net.tick(5)
            net.settle()
            states = [state(n.shop) for n in net.nodes]
            assert states[0] == states[1] == states[2]
            for n in net.nodes:
                assert all(not problems for problems in n.shop.check().values()), n.shop.check()
                n.shop.sync.ingest()  # re-ingesting everything changes nothing
            assert [state(n.shop) for n in net.nodes] == states
            phones = [p for c in states[0].values() if isinstance(c, dict) for p in c["phones"]]
            assert len(phones) == len(set(phones))  # one number, one customer, in every store
        finally:
            net.close()
