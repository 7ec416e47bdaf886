"""The record format (independent of any transport): JSON lines, one record each, and a seal line at the end."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Record:
    """One change: written once by ``node`` as its ``seq``-th record, ordered across nodes by ``hlc``.

    ``hlc`` is '<13-digit ms>.<5-digit counter>.<node id>', so plain string order is hybrid-clock order with the
    node id as the tie-break."""

    uuid: str
    node: str
    seq: int
    hlc: str
    type: str
    entity: str
    data: dict[str, Any]

    def to_line(self) -> str:
        return json.dumps({"uuid": self.uuid, "node": self.node, "seq": self.seq, "hlc": self.hlc,
                           "type": self.type, "entity": self.entity, "data": self.data},
                          sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_obj(cls, o: dict[str, Any]) -> Record:
        return cls(str(o["uuid"]), str(o["node"]), int(o["seq"]), str(o["hlc"]), str(o["type"]),
                   str(o["entity"]), dict(o["data"]))

    @property
    def millis(self) -> int:
        return int(self.hlc.split(".", 1)[0])


def _digest(lines: list[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def encode_segment(records: list[Record]) -> str:
    """The file's text: the records, then a seal with their count and hash."""
    lines = [r.to_line() for r in records]
    seal = json.dumps({"seal": {"count": len(lines), "sha256": _digest(lines)}}, sort_keys=True)
    return "\n".join([*lines, seal]) + "\n"


def decode_segment(text: str) -> list[Record] | None:
    """The records of a whole, sealed file; None when it is unsealed, truncated or damaged."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return None
    try:
        seal = json.loads(lines[-1]).get("seal")
        body = lines[:-1]
        if not isinstance(seal, dict) or seal.get("count") != len(body) or seal.get("sha256") != _digest(body):
            return None
        return [Record.from_obj(json.loads(line)) for line in body]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
