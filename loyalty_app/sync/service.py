"""Sync between stores: publish this node's change records, ingest the peers', and tell how far each peer is."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from db import hub_queries as hub
from db import settings_queries as setq
from db import sync_queries as q
from db.hub_queries import HubUnreachable
from loyalty_app.clock import from_iso
from loyalty_app.context import ShopContext, Staff, new_uuid
from loyalty_app.errors import Conflict, NotFound, ShopUnavailable, ValidationError
from loyalty_app.sync.backfill import backfill
from loyalty_app.sync.folder_transport import FolderTransport
from loyalty_app.sync.hub_transport import HubTransport
from loyalty_app.sync.ingest import Ingestor
from loyalty_app.sync.publish import Publisher, SyncStopped
from loyalty_app.sync.records import KEY_PATTERN, new_key, verified_status
from loyalty_app.sync.views import NodeStatus, PeerProgress, Rejoined, SyncRound, SyncStatus

__all__ = ["SyncService", "SyncStopped"]

DEFAULT_STALE_MINUTES = 10
DEFAULT_OFFLINE_CAP = 500
KEY_NEEDED = ("this shared folder already holds other stores: give the shop's sync key with --key "
              "(`loyalty sync key` at a connected store shows it)")


class SyncService:
    def __init__(self, ctx: ShopContext, staging: Path) -> None:
        self.ctx = ctx
        self.staging = staging

    # -- set-up ----------------------------------------------------------------------------------------
    @property
    def configured(self) -> bool:
        return bool(self.ctx.settings.get("sync_folder") or self.ctx.settings.get("sync_hub"))

    def transport(self) -> FolderTransport:
        url = self.ctx.settings.get("sync_hub")
        if url:
            return HubTransport(url, self.staging / "hub" / self.ctx.node_id, self.staging, self.ctx.node_id)
        folder = self.ctx.settings.get("sync_folder")
        if not folder:
            raise ValidationError("this counter is not connected to other stores: run sync setup first")
        return FolderTransport(Path(folder), self.staging)

    @property
    def _key(self) -> str:
        key = self.ctx.settings.get("sync_key", "")
        if not KEY_PATTERN.match(key):
            raise ValidationError("this counter has no sync key: run sync setup again with the shop's --key")
        return key

    def setup(self, folder: Path | None, store: str, *, key: str | None = None, postgres: str | None = None,
              fresh_key: bool = False, actor: Staff | None = None) -> SyncRound:
        """Connect this counter to the shared folder (owner): publish everything it holds, then ingest.

        The first store makes the shop's sync key; every store that joins is given it (``key``). ``fresh_key``
        makes a new one for stores connected before records were signed (their files are signed again)."""
        owner = self.ctx.require_owner(actor, "connecting to other stores")
        if not store.strip():
            raise ValidationError("name this store (e.g. 'Downtown') so the others can tell it apart")
        key = (key or "").strip().lower() or None
        if key is not None and not KEY_PATTERN.match(key):
            raise ValidationError("the sync key is 64 letters and digits (0-9, a-f), as `loyalty sync key` shows it")
        if postgres:
            probe = HubTransport(postgres, self.staging / "hub" / self.ctx.node_id, self.staging, self.ctx.node_id)
            try:
                others = probe.other_nodes()
            except HubUnreachable as exc:
                raise ShopUnavailable(f"the hub cannot be reached ({exc}): check the address and the network") from exc
            finally:
                probe.close()
            where = postgres
        elif folder is not None:
            folder = Path(folder)
            folder.mkdir(parents=True, exist_ok=True)
            others = [n for n in FolderTransport(folder, self.staging).nodes() if n != self.ctx.node_id]
            where = str(folder.resolve())
        else:
            raise ValidationError("give the shared folder (--folder) or the hub's address (--postgres)")
        key = key or (None if fresh_key else self.ctx.settings.get("sync_key"))
        if not key:
            if others and not fresh_key:
                raise ValidationError(KEY_NEEDED)
            key = new_key()
        with self.ctx.write():
            was = self.ctx.settings.get("sync_hub" if postgres else "sync_folder")
            if was != where:
                setq.set_setting(self.ctx.db, "sync_published_seq", "0")  # a new folder or hub gets everything
            setq.set_setting(self.ctx.db, "sync_hub" if postgres else "sync_folder", where)
            setq.set_setting(self.ctx.db, "sync_folder" if postgres else "sync_hub", "")
            setq.set_setting(self.ctx.db, "sync_store", store.strip())
            setq.set_setting(self.ctx.db, "default_store", store.strip())  # this counter's sales are this store's
            if key != self.ctx.settings.get("sync_key"):
                shutil.rmtree(self.staging / "kept" / self.ctx.node_id, ignore_errors=True)  # signed again
            setq.set_setting(self.ctx.db, "sync_key", key)
            backfill(self.ctx)
            self.ctx.audit("sync.setup", "hub" if postgres else where, {"store": store}, owner)
        self.ctx.reload_settings()
        return self.sync_now()

    def key(self, *, actor: Staff | None = None) -> str:
        """The shop's sync key (owner), to give to a store that joins."""
        self.ctx.require_owner(actor, "showing the sync key")
        return self._key

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

    def rejoin(self, *, actor: Staff | None = None) -> SyncRound:
        """A store restored from a backup carries on as a new member (owner): it takes a new node id, publishes
        what it holds under it, and reads its old node's records, so the sales made after the backup come back."""
        owner = self.ctx.require_owner(actor, "rejoining the other stores")
        self.transport()
        old, new = self.ctx.node_id, new_uuid()
        with self.ctx.write():
            q.upsert_peer(self.ctx.db, old, {"applied_seq": q.max_change_seq(self.ctx.db),
                                             "store_name": self.ctx.settings.get("sync_store"),
                                             "removed_at": self.ctx.now_iso()})
            setq.set_setting(self.ctx.db, "node_id", new)
            setq.set_setting(self.ctx.db, "sync_published_seq", "0")
            setq.set_setting(self.ctx.db, "sync_rejoined", json.dumps({"at": self.ctx.now_iso(), "was": old}))
            self.ctx.audit("sync.rejoin", old, {"new_node": new}, owner)
        self.ctx.reload_settings()
        return self.sync_now()

    def remove(self, store: str, *, actor: Staff | None = None) -> list[str]:
        """Stop counting a store that closed or whose PC is gone (owner): it no longer holds back redemptions
        here, and the other stores hear of it. Its records already taken in stay."""
        owner = self.ctx.require_owner(actor, "removing a store")
        peers = [p for p in q.list_peers(self.ctx.db) if (p["store_name"] or "").lower() == store.strip().lower()
                 or p["node_id"] == store.strip()]
        if not peers:
            raise NotFound(f"no store called {store!r} is connected: `loyalty sync status` lists them")
        with self.ctx.write():
            for p in peers:
                q.upsert_peer(self.ctx.db, p["node_id"], {"removed_at": self.ctx.now_iso()})
            self.ctx.audit("sync.remove", store, {"nodes": [p["node_id"] for p in peers]}, owner)
        return [p["node_id"] for p in peers]

    # -- together --------------------------------------------------------------------------------------
    def ingest(self, progress: Callable[[int], None] | None = None) -> dict[str, int]:
        return Ingestor(self.ctx, self.transport(), self._key).run(progress)

    def sync_now(self) -> SyncRound:
        transport = self.transport()
        try:
            published = Publisher(self.ctx, transport, self._key, self.staging / "kept").run()
            if isinstance(transport, HubTransport):
                transport.pull()
            received = Ingestor(self.ctx, transport, self._key).run()
            peers = q.list_peers(self.ctx.db, removed=True)
            transport.write_status(self.ctx.node_id, NodeStatus(
                node=self.ctx.node_id, store=self.ctx.settings.get("sync_store"), at=self.ctx.now_iso(),
                last_seq=int(self.ctx.settings.get("sync_published_seq", "0")),
                read={p["node_id"]: p["applied_seq"] for p in peers},
                removed=sorted(p["node_id"] for p in peers if p["removed_at"])), self._key)
        except HubUnreachable as exc:
            raise ShopUnavailable(f"the hub cannot be reached ({exc}): this store keeps selling and sends its "
                                  "records when the hub is back") from exc
        finally:
            if isinstance(transport, HubTransport):
                transport.close()
        return SyncRound(published, sum(received.values()), self.status())

    def status(self) -> SyncStatus:
        transport = self.transport()
        now = self.ctx.now()
        stale_after = timedelta(minutes=int(self.ctx.settings.get("sync_stale_minutes", DEFAULT_STALE_MINUTES)))
        held: dict[str, int] = {}
        for h in q.list_held(self.ctx.db):
            held[h["node_id"]] = held.get(h["node_id"], 0) + 1
        peers = []
        for p in q.list_peers(self.ctx.db):
            segs = transport.segments(p["node_id"])
            theirs = verified_status(self._key, transport.read_status(p["node_id"]))
            available = theirs.last_seq if theirs and theirs.last_seq is not None else max([0, *[s.last for s in segs]])
            seen = from_iso(p["last_seen_at"]) if p["last_seen_at"] else None
            peers.append(PeerProgress(
                node=p["node_id"], store=p["store_name"], applied_seq=p["applied_seq"],
                not_yet_received=max(0, available - p["applied_seq"]) + held.get(p["node_id"], 0),
                held=held.get(p["node_id"], 0), acknowledged_seq=p["acked_seq"], last_seen=p["last_seen_at"],
                stale=seen is None or now - seen > stale_after,
                conflict_copies=sum(1 for s in segs if s.conflict_copy)))
        was = json.loads(self.ctx.settings.get("sync_rejoined") or "null")
        rejoined = Rejoined(was["at"], was["was"]) if was else None
        return SyncStatus(
            node=self.ctx.node_id, store=self.ctx.settings.get("sync_store"), currency=self.ctx.currency,
            last_seq=q.max_change_seq(self.ctx.db),
            published_seq=int(self.ctx.settings.get("sync_published_seq", "0")), peers=peers, rejoined=rejoined,
            removed=[p["store_name"] or p["node_id"][:8] for p in q.list_peers(self.ctx.db, removed=True)
                     if p["removed_at"] and p["node_id"] != (rejoined.was if rejoined else None)],
            alarms=[dict(a) for a in q.list_alarms(self.ctx.db, 20)],
            overdrafts=[dict(o) for o in q.list_overdrafts(self.ctx.db)],
            over_returns=[dict(o) for o in q.list_over_returns(self.ctx.db)])

    # -- points while apart ----------------------------------------------------------------------------
    def check_offline_redemption(self, customer_id: int, points: int) -> None:
        """Redemptions the other stores have not yet taken in are capped per customer, from the first minute
        apart: a store redeems beyond the cap only once every other store has acknowledged its earlier
        redemptions, so the worst overdraft is (number of stores - 1) x the cap."""
        if not self.configured or points <= 0:
            return
        if self.ctx.settings.get("sync_hub") and self._hub_allows(customer_id, points):
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

    def _hub_allows(self, customer_id: int, points: int) -> bool:
        """Online with a hub: the redemption is checked there under the customer's row lock and held until this
        store's record of it arrives, so no two stores overdraw. False: the hub is out of reach (cap applies)."""
        group = q.customer_group_uuids(self.ctx.db, customer_id)
        transport = self.transport()
        assert isinstance(transport, HubTransport)
        try:
            Publisher(self.ctx, transport, self._key, self.staging / "kept").run()  # the hub counts ours too
            left = hub.hold_points(transport.conn(), group, points, self.ctx.node_id,
                                   q.max_change_seq(self.ctx.db))
        except HubUnreachable:
            return False
        finally:
            transport.close()
        if left < 0:
            raise Conflict(f"the hub counts {left + points} points for this customer across the stores: {points} "
                           "cannot be redeemed")
        return True
