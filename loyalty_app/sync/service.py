"""Sync between stores: publish this node's change records, ingest the peers', and tell how far each peer is."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from db import settings_queries as setq
from db import sync_queries as q
from loyalty_app.clock import from_iso
from loyalty_app.context import ShopContext, Staff
from loyalty_app.errors import Conflict, LoyaltyError, ValidationError
from loyalty_app.sync.apply import Applier
from loyalty_app.sync.backfill import backfill
from loyalty_app.sync.folder_transport import FolderTransport
from loyalty_app.sync.records import Record, decode_segment

SEGMENT_RECORDS = 2000
DEFAULT_STALE_MINUTES = 10
DEFAULT_OFFLINE_CAP = 500


class SyncStopped(LoyaltyError):
    """This node must not write: its folder holds records it did not write (a cloned PC, a restored backup)."""


class SyncService:
    def __init__(self, ctx: ShopContext, staging: Path) -> None:
        self.ctx = ctx
        self.staging = staging

    # -- set-up ----------------------------------------------------------------------------------------
    @property
    def configured(self) -> bool:
        return bool(self.ctx.settings.get("sync_folder"))

    def transport(self) -> FolderTransport:
        folder = self.ctx.settings.get("sync_folder")
        if not folder:
            raise ValidationError("this counter is not connected to other stores: run sync setup first")
        return FolderTransport(Path(folder), self.staging)

    def setup(self, folder: Path, store: str, *, actor: Staff | None = None) -> dict[str, Any]:
        """Connect this counter to the shared folder (owner): publish everything it holds, then ingest."""
        owner = self.ctx.require_owner(actor, "connecting to other stores")
        if not store.strip():
            raise ValidationError("name this store (e.g. 'Downtown') so the others can tell it apart")
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        with self.ctx.write():
            if self.ctx.settings.get("sync_folder") != str(folder.resolve()):
                setq.set_setting(self.ctx.db, "sync_published_seq", "0")  # a new folder gets everything
            setq.set_setting(self.ctx.db, "sync_folder", str(folder.resolve()))
            setq.set_setting(self.ctx.db, "sync_store", store.strip())
            backfill(self.ctx)
            self.ctx.audit("sync.setup", str(folder), {"store": store}, owner)
        self.ctx.reload_settings()
        return self.sync_now()

    def configure(self, *, offline_redeem_cap: int | None = None, stale_minutes: int | None = None,
                  actor: Staff | None = None) -> None:
        """The owner's limits for points while stores are apart."""
        owner = self.ctx.require_owner(actor, "changing sync limits")
        changes = {"sync_offline_redeem_cap": offline_redeem_cap, "sync_stale_minutes": stale_minutes}
        if any(v is not None and v < 0 for v in changes.values()):
            raise ValidationError("sync limits cannot be negative")
        with self.ctx.write():
            for key, value in changes.items():
                if value is not None:
                    setq.set_setting(self.ctx.db, key, str(value))
            self.ctx.audit("sync.configure", None, {k: v for k, v in changes.items() if v is not None}, owner)
        self.ctx.reload_settings()

    # -- publishing ------------------------------------------------------------------------------------
    def publish(self) -> int:
        transport = self.transport()
        node = self.ctx.node_id
        published = int(self.ctx.settings.get("sync_published_seq", "0"))
        published = self._check_own_folder(transport, node, published)
        written = 0
        while True:
            rows = q.list_changes_after(self.ctx.db, published, SEGMENT_RECORDS)
            if not rows:
                break
            records = [Record(r["uuid"], node, r["seq"], r["hlc"], r["type"], r["entity_uuid"],
                              json.loads(r["data"])) for r in rows]
            transport.write_segment(node, records)
            published = records[-1].seq
            with self.ctx.write():
                setq.set_setting(self.ctx.db, "sync_published_seq", str(published))
            written += len(records)
        self.ctx.reload_settings()
        return written

    def _check_own_folder(self, transport: FolderTransport, node: str, published: int) -> int:
        """Files in our own folder past what we published are ours only if every record is in our log."""
        for seg in transport.segments(node):
            if seg.last <= published:
                continue
            records = decode_segment(transport.read(seg)) or []
            if records and all(q.change_exists(self.ctx.db, r.uuid) for r in records):
                published = max(published, seg.last)  # written just before a crash: already out there
                continue
            raise SyncStopped(
                f"the shared folder holds records of this counter ({seg.path.name}) that this database did not "
                "write — is this a copied PC or a restored backup? Sync is stopped; ask for help before selling "
                "on both.")
        return published

    # -- ingesting -------------------------------------------------------------------------------------
    def ingest(self, progress: Callable[[int], None] | None = None) -> dict[str, int]:
        transport = self.transport()
        me = self.ctx.node_id
        streams = {node: self._stream(transport, node) for node in transport.nodes() if node != me}
        applied = {node: 0 for node in streams}
        progressing = True
        while progressing:  # a record waiting for another store's record is retried after the others moved on
            progressing = False
            for node, records in streams.items():
                n = self._apply_stream(node, records, transport)
                applied[node] += n
                progressing = progressing or n > 0
                if progress:
                    progress(sum(applied.values()))
        return applied

    def _stream(self, transport: FolderTransport, node: str) -> dict[int, Record]:
        """Every whole record of a peer, from its segments and any conflict copies (keyed records: a union)."""
        by_seq: dict[int, Record] = {}
        for seg in transport.segments(node):
            records = decode_segment(transport.read(seg))
            if records is None:
                continue  # unsealed or damaged: wait until it is whole
            for r in records:
                known = by_seq.get(r.seq)
                if known is not None and known.uuid != r.uuid:
                    with self.ctx.write():
                        q.insert_alarm(self.ctx.db, {"at": self.ctx.now_iso(), "kind": "seq-clash",
                                                     "record_uuid": r.uuid, "node_id": node,
                                                     "details": f"two records claim seq {r.seq}"})
                    continue
                by_seq[r.seq] = r
        return by_seq

    def _apply_stream(self, node: str, records: dict[int, Record], transport: FolderTransport) -> int:
        peer = q.get_peer(self.ctx.db, node)
        seq = int(peer["applied_seq"]) if peer else 0
        applier = Applier(self.ctx)
        count = 0
        status = transport.read_status(node) or {}
        acked = (status.get("read") or {}).get(self.ctx.node_id)
        if isinstance(acked, int):
            with self.ctx.write():
                q.upsert_peer(self.ctx.db, node, {"acked_seq": acked})
        while seq + 1 in records:
            with self.ctx.write():
                batch = 0
                while seq + 1 in records and batch < SEGMENT_RECORDS:
                    rec = records[seq + 1]
                    if not applier.apply(rec):
                        break
                    self.ctx.observe_hlc(rec.hlc)
                    seq += 1
                    batch += 1
                q.upsert_peer(self.ctx.db, node, {"applied_seq": seq, "store_name": status.get("store"),
                                                  "last_seen_at": status.get("at") or self.ctx.now_iso()})
            count += batch
            if batch == 0 or (seq + 1 in records and batch < SEGMENT_RECORDS):
                break
        if count == 0 and status:
            with self.ctx.write():
                q.upsert_peer(self.ctx.db, node, {"store_name": status.get("store"),
                                                  "last_seen_at": status.get("at")})
        return count

    # -- together --------------------------------------------------------------------------------------
    def sync_now(self) -> dict[str, Any]:
        published = self.publish()
        received = self.ingest()
        self.transport().write_status(self.ctx.node_id, {
            "node": self.ctx.node_id, "store": self.ctx.settings.get("sync_store"), "at": self.ctx.now_iso(),
            "last_seq": int(self.ctx.settings.get("sync_published_seq", "0")),
            "read": {p["node_id"]: p["applied_seq"] for p in q.list_peers(self.ctx.db)}})
        return {"published": published, "received": sum(received.values()), **self.status()}

    def status(self) -> dict[str, Any]:
        transport = self.transport()
        now = self.ctx.now()
        stale_after = timedelta(minutes=int(self.ctx.settings.get("sync_stale_minutes", DEFAULT_STALE_MINUTES)))
        peers = []
        for p in q.list_peers(self.ctx.db):
            theirs = (transport.read_status(p["node_id"]) or {}).get("last_seq")
            segs = transport.segments(p["node_id"])
            available = max([theirs or 0, *[s.last for s in segs]])
            seen = from_iso(p["last_seen_at"]) if p["last_seen_at"] else None
            peers.append({"node": p["node_id"], "store": p["store_name"], "applied_seq": p["applied_seq"],
                          "not_yet_received": max(0, available - p["applied_seq"]),
                          "last_seen": p["last_seen_at"],
                          "stale": seen is None or now - seen > stale_after,
                          "conflict_copies": sum(1 for s in segs if s.conflict_copy)})
        return {"node": self.ctx.node_id, "store": self.ctx.settings.get("sync_store"), "currency": self.ctx.currency,
                "last_seq": q.max_change_seq(self.ctx.db),
                "published_seq": int(self.ctx.settings.get("sync_published_seq", "0")), "peers": peers,
                "alarms": [dict(a) for a in q.list_alarms(self.ctx.db, 20)],
                "overdrafts": [dict(o) for o in q.list_overdrafts(self.ctx.db)],
                "over_returns": [dict(o) for o in q.list_over_returns(self.ctx.db)]}

    # -- points while apart ----------------------------------------------------------------------------
    def check_offline_redemption(self, customer_id: int, points: int) -> None:
        """Redemptions the other stores have not yet taken in are capped per customer, from the first minute
        apart: a store redeems beyond the cap only once every other store has acknowledged its earlier
        redemptions, so the worst overdraft is (number of stores - 1) x the cap."""
        if not self.configured or points <= 0:
            return
        peers = q.list_peers(self.ctx.db)
        if not peers:
            return
        acked = min(int(p["acked_seq"]) for p in peers)
        cap = int(self.ctx.settings.get("sync_offline_redeem_cap", DEFAULT_OFFLINE_CAP))
        waiting = q.unacknowledged_redeemed(self.ctx.db, customer_id, acked)
        if waiting + points > cap:
            behind = [p for p in peers if int(p["acked_seq"]) == acked] or peers
            names = ", ".join(p["store_name"] or p["node_id"][:8] for p in behind)
            raise Conflict(f"{names} has not yet taken in this store's latest redemptions: until it does, at most "
                           f"{cap} points per customer can be redeemed here ({waiting} waiting). Try again when "
                           "the stores have synced.")
