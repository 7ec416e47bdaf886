"""A shared folder as the transport (Syncthing, a cloud drive kept on the device, or a LAN share).

Layout: ``<folder>/nodes/<node-id>/seg-<first>-<last>.jsonl`` plus ``status.json``; only a node writes its own
folder. Files are written in a staging folder outside the synced tree, flushed, then renamed in."""

from __future__ import annotations

import errno
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from loyalty_app.sync.records import sign_status
from loyalty_app.sync.views import NodeStatus

SEGMENT = re.compile(r"^seg-(\d+)-(\d+)(.*)\.jsonl$")
TEMP_MARKERS = (".tmp", ".part", ".partial", "~", ".syncthing.", ".dropbox", ".crdownload")


@dataclass(frozen=True)
class SegmentFile:
    path: Path
    first: int
    last: int
    conflict_copy: bool  # '.sync-conflict-…', "(… conflicted copy …)", '-PCNAME' or ' (1)' variants


def is_temp_name(name: str) -> bool:
    return name.startswith((".", "~")) or any(m in name for m in TEMP_MARKERS)


class FolderTransport:
    repairs = True  # the writer checks its own folder and rewrites what was damaged there

    def __init__(self, root: Path, staging: Path) -> None:
        self.root = Path(root)
        self.staging = Path(staging)

    def node_dir(self, node_id: str) -> Path:
        return self.root / "nodes" / node_id

    def nodes(self) -> list[str]:
        base = self.root / "nodes"
        return sorted(p.name for p in base.iterdir() if p.is_dir() and not is_temp_name(p.name)) \
            if base.is_dir() else []

    def segments(self, node_id: str) -> list[SegmentFile]:
        folder = self.node_dir(node_id)
        if not folder.is_dir():
            return []
        out = []
        for p in folder.iterdir():
            m = SEGMENT.match(p.name)
            if not m or not p.is_file():
                continue
            rest = m.group(3)
            if is_temp_name(p.name) and "sync-conflict" not in rest:
                continue
            out.append(SegmentFile(p, int(m.group(1)), int(m.group(2)), bool(rest)))
        return sorted(out, key=lambda s: (s.first, s.last, s.conflict_copy, s.path.name))

    def read(self, segment: SegmentFile) -> str:
        try:
            return segment.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def write_text(self, node_id: str, name: str, text: str) -> Path:
        return self._write_file(node_id, name, text)

    def write_status(self, node_id: str, status: NodeStatus, key: str) -> None:
        self._write_file(node_id, "status.json", sign_status(key, status, indent=1))

    def read_status(self, node_id: str) -> str | None:
        """A node's signed status file as it is (``verified_status`` reads it), None when there is none."""
        try:
            return (self.node_dir(node_id) / "status.json").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _write_file(self, node_id: str, name: str, text: str) -> Path:
        target_dir = self.node_dir(node_id)
        target_dir.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir(parents=True, exist_ok=True)
        tmp = self.staging / f"{node_id}-{name}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        target = target_dir / name
        try:
            os.replace(tmp, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            # Staging on another disk than the shared folder: copy beside the target under a temp name first.
            near = target_dir / f".{name}.tmp"
            shutil.copyfile(tmp, near)
            os.replace(near, target)
            tmp.unlink(missing_ok=True)
        return target
