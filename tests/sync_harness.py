"""A simulated network between stores for sync tests: each store has its own copy of the shared folder, and
deliveries between copies can be delayed, reordered, duplicated, truncated, renamed as conflict copies,
accompanied by temp files, or cut off entirely (a partition)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from loyalty_app.clock import FixedClock
from loyalty_app.shop import Shop, open_shop

START = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
CONFLICT_NAMES = (".sync-conflict-20261102-101010-ABCDEFG", " (Store-PC's conflicted copy 2026-11-02)", " (1)")


@dataclass
class Node:
    name: str
    shop: Shop
    clock: FixedClock
    view: Path
    owner: object = None

    @property
    def node_id(self) -> str:
        return self.shop.ctx.node_id


@dataclass
class Network:
    root: Path
    nodes: list[Node] = field(default_factory=list)
    partitioned: set[frozenset[str]] = field(default_factory=set)
    key: str | None = None  # the shop's sync key, made by the first store and given to each that joins
    hub: str | None = None  # a PostgreSQL hub's address instead of the shared folder

    def add_node(self, name: str, skew_seconds: int = 0, connect: bool = True) -> Node:
        clock = FixedClock(START)
        clock.advance(seconds=skew_seconds)
        view = self.root / f"view-{name}"
        view.mkdir(parents=True, exist_ok=True)
        shop = open_shop(self.root / f"{name}.sqlite", clock=clock)
        shop.initialise(shop_name="Olive & Vine", owner_pin="1234", default_store=name)
        node = Node(name, shop, clock, view)
        node.owner = shop.staff.verify_owner("1234")
        if connect:
            self.connect(node, view)
        self.nodes.append(node)
        return node

    def connect(self, node: Node, folder: Path) -> None:
        node.shop.sync.setup(None if self.hub else folder, node.name, key=self.key, postgres=self.hub,
                             actor=node.owner)
        self.key = node.shop.sync.key(actor=node.owner)

    def tick(self, seconds: int = 30) -> None:
        for n in self.nodes:
            n.clock.advance(seconds=seconds)

    def deliver(self, src: Node, dst: Node, mode: str = "whole") -> None:
        """Copy src's own folder into dst's view of the shared folder, in one of the ways networks misbehave."""
        if frozenset((src.name, dst.name)) in self.partitioned or src is dst:
            return
        here = src.view / "nodes" / src.node_id
        there = dst.view / "nodes" / src.node_id
        if not here.is_dir():
            return
        there.mkdir(parents=True, exist_ok=True)
        files = sorted(here.iterdir(), key=lambda p: p.name, reverse=(mode == "reversed"))
        for i, f in enumerate(files):
            target = there / f.name
            if mode == "truncated" and f.name.startswith("seg-") and i == len(files) - 1:
                data = f.read_bytes()
                target.write_bytes(data[: max(1, len(data) // 2)])
            elif mode == "conflict" and f.name.startswith("seg-"):
                stem = f.name[: -len(".jsonl")]
                shutil.copyfile(f, there / f"{stem}{CONFLICT_NAMES[i % len(CONFLICT_NAMES)]}.jsonl")
            elif mode == "latest-only" and f.name.startswith("seg-") and i != len(files) - 1:
                continue
            else:
                shutil.copyfile(f, target)
        if mode == "temp":
            (there / ".syncthing.seg-999-1000.jsonl.tmp").write_text("{half a record")
            (there / "seg-5000-5001.jsonl.part").write_text("{")

    def deliver_all(self, mode: str = "whole") -> None:
        for src in self.nodes:
            for dst in self.nodes:
                self.deliver(src, dst, mode)

    def settle(self) -> None:
        """Heal everything: whole deliveries and syncs until nothing moves."""
        self.partitioned.clear()
        for _ in range(2 if self.hub else 4):  # through a hub every store sees every other at each round
            for n in self.nodes:
                n.shop.sync.sync_now()
            self.deliver_all()
        for n in self.nodes:
            n.shop.sync.sync_now()

    def close(self) -> None:
        for n in self.nodes:
            n.shop.close()


def state(shop: Shop) -> dict[str, object]:
    """What must be the same in every store: customers (by their surviving UUID) with phones, consent,
    name, history and balance; and the set of ledger entries."""
    db = shop.ctx.db
    out: dict[str, object] = {}
    for c in shop.customers.list():
        profile = shop.lookup.profile(c.id)
        out[c.uuid] = {
            "name": c.name, "phones": sorted(profile.phones), "consent": c.email_consent, "email": c.email,
            "balance": c.points_balance,
            "history": sorted((h.purchase_uuid, tuple((ln.sku, ln.qty, ln.returned_qty)
                                                          for ln in h.lines)) for h in profile.history),
        }
    out["ledger"] = sorted(r[0] for r in db.conn.execute("SELECT uuid FROM points_ledger"))
    return out
