"""Taking in the other stores' records. Only files past what was applied are read (plus any holding a record
held back). A record whose signature fails, or that a damaged file lost, is never applied: it is held back with
an alarm naming the file and the store, and the records after it still go in; it is applied if a good copy
arrives (the writer rewrites a damaged file from its own copy)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from db import sync_queries as q
from loyalty_app.context import ShopContext
from loyalty_app.sync.apply import Applier
from loyalty_app.sync.folder_transport import FolderTransport
from loyalty_app.sync.records import Record, decode_segment, verified_status
from loyalty_app.sync.views import NodeStatus

BATCH = 2000
WAITING = "waits for a record held back"
DAMAGED = "its file is damaged (cut short or edited)"


@dataclass
class Stream:
    node: str
    store: str
    status: NodeStatus | None
    records: dict[int, Record] = field(default_factory=dict)
    bad: dict[int, tuple[str, str]] = field(default_factory=dict)  # seq -> (why, file)


class Ingestor:
    def __init__(self, ctx: ShopContext, transport: FolderTransport, key: str) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.transport = transport
        self.key = key
        self.applier = Applier(ctx)

    def alarm(self, kind: str, node: str, details: str, record_uuid: str | None = None) -> None:
        if not q.alarm_seen(self.db, kind, details):
            q.insert_alarm(self.db, {"at": self.ctx.now_iso(), "kind": kind, "record_uuid": record_uuid,
                                     "node_id": node, "details": details})

    def run(self, progress: Callable[[int], None] | None = None) -> dict[str, int]:
        me = self.ctx.node_id
        peers = {p["node_id"]: p for p in q.list_peers(self.db, removed=True)}
        held: dict[str, set[int]] = {}
        for h in q.list_held(self.db):
            held.setdefault(h["node_id"], set()).add(int(h["seq"]))
        streams = [self._stream(node, peers.get(node), held.get(node, set()))
                   for node in self.transport.nodes() if node != me]
        applied = {s.node: 0 for s in streams}
        progressing = True
        while progressing:  # a record waiting for another store's record is retried after the others moved on
            progressing = False
            for s in streams:
                n = self._apply(s)
                applied[s.node] += n
                progressing = progressing or n > 0
                if progress:
                    progress(sum(applied.values()))
        return applied

    def _stream(self, node: str, peer: Any, held: set[int]) -> Stream:
        status = verified_status(self.key, self.transport.read_status(node))
        store = (status.store if status else None) or (peer["store_name"] if peer else None) or node[:8]
        s = Stream(node, str(store), status)
        after = int(peer["applied_seq"]) if peer else 0
        damaged = []
        for seg in self.transport.segments(node):
            if seg.last <= after and not any(seg.first <= h <= seg.last for h in held):
                continue  # applied already: not read again
            got = decode_segment(self.transport.read(seg), self.key)
            for r in got.records:
                known = s.records.get(r.seq)
                if r.node != node:
                    s.bad.setdefault(r.seq, (f"it names another store's node ({r.node[:8]})", seg.path.name))
                elif known is not None and known.uuid != r.uuid:
                    with self.ctx.write():
                        self.alarm("seq-clash", node, f"two records of {store} claim seq {r.seq}", r.uuid)
                else:
                    s.records[r.seq] = r
            for seq, why in got.bad.items():
                s.bad.setdefault(seq, (why, seg.path.name))
            if not got.whole:
                damaged.append(seg)
        for seg in damaged:
            lost = [n for n in range(max(seg.first, after + 1), seg.last + 1) if n not in s.records]
            for n in lost:
                s.bad.setdefault(n, (DAMAGED, seg.path.name))
            if lost and not seg.conflict_copy:
                with self.ctx.write():
                    held_back = "1 record is" if len(lost) == 1 else f"{len(lost)} records are"
                    self.alarm("damaged-file", node, f"{store}'s file {seg.path.name} is damaged (cut short or "
                                                     f"edited): {held_back} held back until {store} writes it "
                                                     "again")
        for n in list(s.bad):
            if n in s.records:
                del s.bad[n]  # a good copy came in another file (a conflict copy, a rewrite)
        return s

    def _apply(self, s: Stream) -> int:
        peer = q.get_peer(self.db, s.node)
        seq = int(peer["applied_seq"]) if peer else 0
        count = 0
        status = s.status
        with self.ctx.write():
            for h in q.list_held(self.db, s.node):  # held back earlier: in now that a good copy is here
                rec = s.records.get(int(h["seq"]))
                if rec is not None and self.applier.apply(rec):
                    q.release(self.db, s.node, rec.seq)
                    self.ctx.observe_hlc(rec.hlc)
                    count += 1
            values: dict[str, Any] = {}
            acked = status.read.get(self.ctx.node_id) if status else None
            if acked is not None and (peer is None or peer["acked_seq"] != acked):
                values["acked_seq"] = acked
            if status and status.store and (peer is None or peer["store_name"] != status.store):
                values["store_name"] = status.store
            if status and status.at and (peer is None or peer["last_seen_at"] != status.at):
                values["last_seen_at"] = status.at
            if values or peer is None:
                q.upsert_peer(self.db, s.node, values)
            for gone in status.removed if status else []:  # a store the owner removed (or one that rejoined anew)
                other = q.get_peer(self.db, str(gone))
                if gone != self.ctx.node_id and (other is None or not other["removed_at"]):
                    q.upsert_peer(self.db, str(gone), {"removed_at": self.ctx.now_iso()})
        while True:
            with self.ctx.write():
                batch, stuck = 0, False
                while batch < BATCH and not stuck:
                    nxt = seq + 1
                    rec = s.records.get(nxt)
                    if rec is not None:
                        if self.applier.apply(rec):
                            self.ctx.observe_hlc(rec.hlc)
                            count += 1
                        elif q.list_held(self.db):
                            q.hold(self.db, {"node_id": s.node, "seq": nxt, "reason": WAITING,
                                             "at": self.ctx.now_iso()})
                        else:
                            stuck = True  # waits for another store's record: retried after the others
                            break
                    elif nxt in s.bad:
                        why, name = s.bad[nxt]
                        q.hold(self.db, {"node_id": s.node, "seq": nxt, "reason": why, "file": name,
                                         "at": self.ctx.now_iso()})
                        if why != DAMAGED:  # a damaged file has one alarm for all it lost
                            self.alarm("record-held", s.node, f"{s.store}'s record {nxt} in {name} was not "
                                                              f"applied: {why}")
                    else:
                        stuck = True
                        break
                    seq = nxt
                    batch += 1
                if batch:
                    q.upsert_peer(self.db, s.node, {"applied_seq": seq})
            if stuck or not batch:
                break
        return count
