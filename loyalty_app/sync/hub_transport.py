"""A central PostgreSQL hub as the transport, for chains. Each store pushes its signed records to the hub's
append-only table (keyed by node and seq, all of a push or none) and pulls the others' by the hub's own sequence
into a local mirror folder, which is then taken in exactly like a shared folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from db import hub_queries as hub
from loyalty_app.sync.folder_transport import FolderTransport
from loyalty_app.sync.records import seal_lines, sign_status
from loyalty_app.sync.views import NodeStatus


class HubTransport(FolderTransport):
    repairs = False  # the hub's table is append-only: nothing there to rewrite

    def __init__(self, url: str, mirror: Path, staging: Path, node: str) -> None:
        super().__init__(mirror, staging)
        self.url = url
        self.node = node
        self._conn: Any = None

    def conn(self) -> Any:
        if self._conn is None:
            self._conn = hub.connect(self.url)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- pushing -----------------------------------------------------------------------------------------
    def write_text(self, node_id: str, name: str, text: str) -> Path:
        lines, points = [], []
        for line in text.splitlines():
            obj = json.loads(line)
            if "seal" in obj:
                continue
            lines.append((int(obj["seq"]), line))
            if obj.get("type") == "ledger.entry":
                points.append((str(obj["entity"]), str(obj["data"]["customer"]), int(obj["data"]["delta"])))
        hub.push(self.conn(), node_id, None, lines, points)
        out = self.root / "pushed" / name  # what the publisher measures; not part of the mirror's nodes
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        return out

    def write_status(self, node_id: str, status: NodeStatus, key: str) -> None:
        hub.put_status(self.conn(), node_id, sign_status(key, status))

    # -- pulling -----------------------------------------------------------------------------------------
    def pull(self) -> int:
        """The others' new records by the hub's sequence into the mirror; returns how many."""
        cursor_file = self.root / "cursor.json"
        try:
            cursor = int(json.loads(cursor_file.read_text(encoding="utf-8"))["hub_seq"])
        except (OSError, ValueError, KeyError, TypeError):
            cursor = 0
        got = 0
        while True:
            rows = hub.pull(self.conn(), cursor, self.node)
            if not rows:
                break
            by_node: dict[str, list[tuple[int, str]]] = {}
            for _, node, seq, line in rows:
                by_node.setdefault(node, []).append((seq, line))
            for node, recs in by_node.items():
                recs.sort()
                self._write_file(node, f"seg-{recs[0][0]}-{recs[-1][0]}.jsonl", seal_lines([t for _, t in recs]))
            cursor = rows[-1][0]
            got += len(rows)
            self._write_file_at(cursor_file, json.dumps({"hub_seq": cursor}))
        for node, status in hub.statuses(self.conn()).items():
            if node != self.node:
                self._write_file(node, "status.json", json.dumps(json.loads(status), indent=1, sort_keys=True))
        return got

    def _write_file_at(self, path: Path, text: str) -> None:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)

    def other_nodes(self) -> list[str]:
        return [n for n in hub.statuses(self.conn()) if n != self.node]
