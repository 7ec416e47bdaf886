"""Publishing this node's change records as signed segment files. The writer keeps its own copy of every file
outside the synced folder, so a file there that was cut, edited or deleted (and that Syncthing may have copied
back from another store) is rewritten from that copy; a file it never wrote is moved out of its folder."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from db import settings_queries as setq
from db import sync_queries as q
from loyalty_app.context import ShopContext
from loyalty_app.errors import LoyaltyError
from loyalty_app.sync.folder_transport import FolderTransport
from loyalty_app.sync.records import Record, decode_segment, encode_segment

SEGMENT_RECORDS = 2000


class SyncStopped(LoyaltyError):
    """This node must not write: its folder holds records it did not write (a cloned PC, a restored backup)."""


def segment_name(first: int, last: int) -> str:
    return f"seg-{first}-{last}.jsonl"


class Publisher:
    def __init__(self, ctx: ShopContext, transport: FolderTransport, key: str, kept: Path) -> None:
        self.ctx = ctx
        self.transport = transport
        self.key = key
        self.node = ctx.node_id
        self.kept = kept / self.node  # outside the synced folder: our own copy of every file we published
        self.index_path = self.kept / "index.json"

    def alarm(self, kind: str, details: str) -> None:
        with self.ctx.write():
            if not q.alarm_seen(self.ctx.db, kind, details):
                q.insert_alarm(self.ctx.db, {"at": self.ctx.now_iso(), "kind": kind, "record_uuid": None,
                                             "node_id": self.node, "details": details})

    def run(self) -> int:
        published = int(self.ctx.settings.get("sync_published_seq", "0"))
        index = self._index()
        if self.transport.repairs:
            published = self._check_own_folder(published, index)
        written = 0
        while True:
            rows = q.list_changes_after(self.ctx.db, published, SEGMENT_RECORDS)
            if not rows:
                break
            records = [Record(r["uuid"], self.node, r["seq"], r["hlc"], r["type"], r["entity_uuid"],
                              json.loads(r["data"])) for r in rows]
            self._put(segment_name(records[0].seq, records[-1].seq), encode_segment(records, self.key), index)
            published = records[-1].seq
            with self.ctx.write():
                setq.set_setting(self.ctx.db, "sync_published_seq", str(published))
            written += len(records)
        self.ctx.reload_settings()
        return written

    # -- our copy ----------------------------------------------------------------------------------------
    def _index(self) -> dict[str, list[int]]:
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _put(self, name: str, text: str, index: dict[str, list[int]]) -> None:
        """Keep our copy first, then place the file in the shared folder and remember how it looks there."""
        self.kept.mkdir(parents=True, exist_ok=True)
        mine = self.kept / name
        tmp = self.kept / f".{name}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, mine)
        target = self.transport.write_text(self.node, name, text)
        st = target.stat()
        index[name] = [st.st_size, st.st_mtime_ns]
        tmp_index = self.kept / ".index.json.tmp"
        tmp_index.write_text(json.dumps(index), encoding="utf-8")
        os.replace(tmp_index, self.index_path)

    def _check_own_folder(self, published: int, index: dict[str, list[int]]) -> int:
        """Every file we wrote is in the folder as we wrote it; anything else there is dealt with."""
        seen = set()
        for seg in self.transport.segments(self.node):
            name = seg.path.name
            seen.add(name)
            try:
                st = seg.path.stat()
            except OSError:
                continue
            if seg.last > published:  # past what this database published: whose is it?
                published = self._unknown_file(seg.path, seg.first, seg.last, published, index)
                continue
            if index.get(name) == [st.st_size, st.st_mtime_ns]:
                continue  # as we left it: not read again
            mine = self.kept / name
            if not seg.conflict_copy and mine.is_file():
                text = mine.read_text(encoding="utf-8")
                if self.transport.read(seg) != text:
                    self._put(name, text, index)
                    self.alarm("file-repaired", f"{name} of this store was damaged in the shared folder "
                                                "(cut short or edited): rewritten from this store's own copy")
                else:
                    index[name] = [st.st_size, st.st_mtime_ns]
                continue
            published = self._unknown_file(seg.path, seg.first, seg.last, published, index)
        for name in list(index):  # deleted from the shared folder: put back
            if name not in seen and (self.kept / name).is_file():
                self._put(name, (self.kept / name).read_text(encoding="utf-8"), index)
        return published

    def _unknown_file(self, path: Path, first: int, last: int, published: int, index: dict[str, list[int]]) -> int:
        """A file in our folder we have no copy of: ours from before a crash, a restored backup's, or junk."""
        seg = decode_segment(path.read_text(encoding="utf-8", errors="replace"), self.key)
        mine = [r for r in seg.records if r.node == self.node]
        if any(not q.change_exists(self.ctx.db, r.uuid) for r in mine):
            raise SyncStopped(
                f"the shared folder holds records of this counter ({path.name}) that this database did not "
                "write: is this a copied PC or a restored backup? Sync is stopped before the copies diverge; "
                "the owner can run `loyalty sync rejoin` to carry on as a new member of the shop (the records "
                "written after the backup come back).")
        if mine and seg.whole and (min(r.seq for r in mine), max(r.seq for r in mine)) == (first, last):
            # Written just before a crash: already out there.
            self._put(path.name, path.read_text(encoding="utf-8"), index)
            return max(published, last)
        rows = q.list_changes_after(self.ctx.db, first - 1, last - first + 1)
        if len(rows) == last - first + 1 and rows and rows[-1]["seq"] == last:  # our range: written again
            records = [Record(r["uuid"], self.node, r["seq"], r["hlc"], r["type"], r["entity_uuid"],
                              json.loads(r["data"])) for r in rows]
            self._put(path.name, encode_segment(records, self.key), index)
            self.alarm("file-repaired", f"{path.name} of this store was damaged in the shared folder: "
                                        "written again from this store's records")
            return max(published, last)
        aside = self.kept.parent / "set-aside"
        aside.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(aside / f"{self.node}-{path.name}"))
        self.alarm("file-set-aside", f"{path.name} in this store's folder was not written by it (or is damaged "
                                     f"beyond repair): moved out of the shared folder to {aside}")
        return published
