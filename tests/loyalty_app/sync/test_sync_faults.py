"""Sync under faults: an edited record is never applied and does not stall the stream; a cut or edited file is
rewritten by its writer from its own copy and named, with its store, by the receiver."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from loyalty_app.errors import Conflict, ValidationError
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from loyalty_app.sync.service import SyncStopped
from tests.sync_harness import Network, state


@pytest.fixture
def net(tmp_path: Path):
    network = Network(tmp_path)
    a = network.add_node("Downtown")
    a.shop.products.add(sku="BAS250", name="Basil olive oil 250 ml", price_cents=1450, actor=a.owner)
    network.add_node("Harbour", skew_seconds=7)
    network.settle()
    yield network
    network.close()


def _files(node, of) -> list[Path]:
    folder = node.view / "nodes" / of.node_id
    return sorted(folder.glob("seg-*.jsonl"), key=lambda p: int(p.name.split("-")[1]))


def _reseal(path: Path, edit) -> None:
    """Edit a file's records and seal it again with a plain SHA-256, as anyone with the folder could."""
    body = [edit(line) for line in path.read_text(encoding="utf-8").splitlines()[:-1]]
    h = hashlib.sha256()
    for line in body:
        h.update(line.encode("utf-8") + b"\n")
    seal = json.dumps({"seal": {"count": len(body), "sha256": h.hexdigest()}}, sort_keys=True)
    path.write_text("\n".join([*body, seal]) + "\n", encoding="utf-8")


def _inflate(line: str) -> str:
    obj = json.loads(line)
    if obj["type"] == "ledger.entry" and obj["data"]["delta"] == 100:
        obj["data"]["delta"] = 98440
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


def test_an_edited_and_resealed_record_is_never_applied_and_the_stream_goes_on(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.sync.sync_now()
    down.shop.points.adjust(ada.id, 100, "goodwill", actor=down.owner)
    down.shop.sync.sync_now()
    down.shop.points.adjust(ada.id, 40, "birthday", actor=down.owner)
    down.shop.sync.sync_now()
    net.deliver(down, harbour)
    edited = _files(harbour, down)[-2]
    _reseal(edited, _inflate)
    harbour.shop.sync.ingest()
    there = harbour.shop.lookup.find_one("650 321 4477")
    assert harbour.shop.customers.get(there.id).points_balance == 40  # the later record went in, the forged not
    status = harbour.shop.sync.status()
    assert status.peers[0].held == 1
    assert any(a["kind"] == "record-held" and a["details"].startswith("Downtown's record ")
               and f"in {edited.name} was not applied: its signature does not match the shop's sync key"
               in a["details"] for a in status.alarms)
    net.settle()  # Downtown's own file comes again, whole: the held record goes in once
    assert harbour.shop.customers.get(there.id).points_balance == 140
    assert state(down.shop) == state(harbour.shop)
    assert harbour.shop.sync.status().peers[0].held == 0


def test_a_record_signed_with_another_key_is_refused(net: Network, tmp_path: Path) -> None:
    down, harbour = net.nodes
    stranger = Network(tmp_path / "elsewhere").add_node("Intruder")  # its own shop, its own key
    try:
        stranger.shop.customers.sign_up("(650) 321-9999", name="Mallory")
        stranger.shop.sync.sync_now()
        src = stranger.view / "nodes" / stranger.node_id
        dst = harbour.view / "nodes" / stranger.node_id
        dst.mkdir(parents=True)
        for f in src.iterdir():
            dst.joinpath(f.name).write_bytes(f.read_bytes())
        harbour.shop.sync.ingest()
        assert harbour.shop.lookup.find("650 321 9999").matches == []
        assert any("its signature does not match the shop's sync key" in a["details"]
                   for a in harbour.shop.sync.status().alarms)
    finally:
        stranger.shop.close()


def test_a_cut_file_is_named_with_its_store_and_the_writer_rewrites_it(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    for points in (10, 20, 30):
        down.shop.points.adjust(ada.id, points, "goodwill", actor=down.owner)
    down.shop.sync.sync_now()
    down.shop.points.adjust(ada.id, 5, "later", actor=down.owner)
    down.shop.sync.sync_now()
    net.deliver(down, harbour)
    cut = _files(harbour, down)[-2]
    text = cut.read_text(encoding="utf-8")
    cut.write_text(text[: text.rindex('"kind":"adjust"')], encoding="utf-8")  # the last records cut off
    harbour.shop.sync.ingest()
    there = harbour.shop.lookup.find_one("650 321 4477")
    assert harbour.shop.customers.get(there.id).points_balance == 10 + 20 + 5  # what came whole went in
    status = harbour.shop.sync.status()
    assert any(a["kind"] == "damaged-file" and a["details"] ==
               f"Downtown's file {cut.name} is damaged (cut short or edited): 1 record is held back until "
               "Downtown writes it again" for a in status.alarms)
    assert status.peers[0].not_yet_received == 1

    # The damage travels back to the writer (Syncthing would copy it): the writer puts its own copy back.
    own = _files(down, down)[-2]
    own.write_text(cut.read_text(encoding="utf-8"), encoding="utf-8")
    down.shop.sync.sync_now()
    assert own.read_text(encoding="utf-8") == text
    assert any(a["kind"] == "file-repaired" and a["details"].startswith(f"{own.name} of this store was damaged")
               for a in down.shop.sync.status().alarms)
    net.deliver(down, harbour)
    harbour.shop.sync.ingest()
    assert harbour.shop.customers.get(there.id).points_balance == 65
    assert harbour.shop.sync.status().peers[0].not_yet_received == 0
    assert state(down.shop) == state(harbour.shop)


def test_a_file_under_a_higher_sequence_name_does_not_stop_a_store_publishing(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.sync.sync_now()
    last = _files(down, down)[-1]
    first = int(last.name.split("-")[1])
    (last.parent / f"seg-{first}-9999.jsonl").write_bytes(last.read_bytes())  # its records, a bigger name
    (last.parent / "seg-10000-10001.jsonl").write_text("{not a record}\n")
    down.shop.points.adjust(ada.id, 25, "goodwill", actor=down.owner)
    down.shop.sync.sync_now()
    net.settle()
    assert harbour.shop.customers.get(harbour.shop.lookup.find_one("650 321 4477").id).points_balance == 25
    names = [a["details"] for a in down.shop.sync.status().alarms if a["kind"] == "file-set-aside"]
    assert sorted(n.split(" ")[0] for n in names) == ["seg-10000-10001.jsonl", f"seg-{first}-9999.jsonl"]
    assert harbour.shop.sync.status().peers[0].not_yet_received == 0


def test_a_store_restored_from_a_backup_rejoins_and_gets_back_what_it_sold_after(net: Network,
                                                                                 tmp_path: Path) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.sync.sync_now()
    backup = tmp_path / "downtown-backup.sqlite"
    down.shop.ctx.db.conn.execute("VACUUM INTO ?", (str(backup),))
    down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])  # after the backup
    net.settle()
    path = down.shop.path
    down.shop.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(backup, path)
    down.shop = open_shop(path, clock=down.clock)
    with pytest.raises(SyncStopped, match="loyalty sync rejoin"):
        down.shop.sync.sync_now()
    status = down.shop.sync.rejoin(actor=down.owner)
    assert status.status.rejoined is not None and status.status.rejoined.was != status.status.node
    net.settle()
    assert down.shop.customers.get(ada.id).points_balance == 29  # the sale made after the backup came back
    assert state(down.shop) == state(harbour.shop)
    assert all(not problems for problems in down.shop.check().values())
    assert [p.store for p in harbour.shop.sync.status().peers] == ["Downtown"]  # the old node is retired


def test_a_store_that_is_gone_can_be_removed_and_no_longer_caps_the_others(net: Network, cli) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.points.adjust(ada.id, 1000, "opening balance", actor=down.owner)
    down.shop.sync.configure(offline_redeem_cap=300, actor=down.owner)
    net.settle()
    net.partitioned.add(frozenset(("Downtown", "Harbour")))  # Harbour's PC is gone for good
    down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 20)], redeem_points=300)
    with pytest.raises(Conflict, match="Harbour has not yet taken in"):
        down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 20)], redeem_points=200)
    assert down.shop.sync.remove("Harbour", actor=down.owner) == [harbour.node_id]
    down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 20)], redeem_points=200)
    status = cli("sync", "status", db=down.shop.path)
    assert "  Harbour: removed" in status.out and "Harbour: 0 changes" not in status.out


def test_stores_connected_before_records_were_signed_get_a_key_and_their_history_signed(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada")
    down.shop.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])
    net.settle()
    for n in net.nodes:  # as a shop connected by the version before signing: no key anywhere
        with n.shop.ctx.write():
            n.shop.ctx.db.conn.execute("DELETE FROM settings WHERE key = 'sync_key'")
        n.shop.ctx.reload_settings()
    with pytest.raises(ValidationError, match="this counter has no sync key"):
        down.shop.sync.sync_now()
    with pytest.raises(ValidationError, match="already holds other stores: give the shop's sync key"):
        down.shop.sync.setup(down.view, "Downtown", actor=down.owner)
    down.shop.sync.setup(down.view, "Downtown", fresh_key=True, actor=down.owner)
    net.key = down.shop.sync.key(actor=down.owner)
    net.connect(harbour, harbour.view)
    net.settle()
    bay = net.add_node("Bay")  # joins later: reads the whole history, signed again with the new key
    net.settle()
    assert state(bay.shop) == state(down.shop) == state(harbour.shop)
    assert bay.shop.lookup.profile(bay.shop.lookup.find_one("650 321 4477").id).points_balance == 29
    assert not any(a["kind"] == "record-held" for a in bay.shop.sync.status().alarms)
