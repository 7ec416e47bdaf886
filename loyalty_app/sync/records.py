"""The record format (independent of any transport): JSON lines, one record each signed with the shop's sync key
(HMAC-SHA256 over the canonical record), and a seal line at the end that tells a whole file from a cut one."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from loyalty_app.sync.views import NodeStatus

KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def new_key() -> str:
    """A fresh sync key, made once at the first store's set-up and given to each store that joins."""
    return secrets.token_hex(32)


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
        """The canonical text of the record: what is signed."""
        return self._line(None)

    def signed_line(self, key: str) -> str:
        return self._line(sign(key, self.to_line()))

    def _line(self, sig: str | None) -> str:
        obj = {"uuid": self.uuid, "node": self.node, "seq": self.seq, "hlc": self.hlc,
               "type": self.type, "entity": self.entity, "data": self.data}
        if sig is not None:
            obj["sig"] = sig
        return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_obj(cls, o: dict[str, Any]) -> Record:
        return cls(str(o["uuid"]), str(o["node"]), int(o["seq"]), str(o["hlc"]), str(o["type"]),
                   str(o["entity"]), dict(o["data"]))

    @property
    def millis(self) -> int:
        return int(self.hlc.split(".", 1)[0])


def sign(key: str, text: str) -> str:
    return hmac.new(bytes.fromhex(key), text.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(key: str, text: str, signature: object) -> bool:
    return isinstance(signature, str) and hmac.compare_digest(sign(key, text), signature)


@dataclass
class Segment:
    """What one file held: its records that passed their signature, the sequence numbers of those that did not
    (with why), and whether the file is whole (its seal matches)."""

    records: list[Record] = field(default_factory=list)
    bad: dict[int, str] = field(default_factory=dict)
    whole: bool = False


def _digest(lines: list[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def encode_segment(records: list[Record], key: str) -> str:
    """The file's text: the signed records, then a seal with their count and hash."""
    return seal_lines([r.signed_line(key) for r in records])


def seal_lines(lines: list[str]) -> str:
    seal = json.dumps({"seal": {"count": len(lines), "sha256": _digest(lines)}}, sort_keys=True)
    return "\n".join([*lines, seal]) + "\n"


def decode_segment(text: str, key: str) -> Segment:
    """Each line on its own: a record is kept only when its signature holds, so a cut or edited file still
    yields its good records, and says which ones failed."""
    out = Segment()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return out
    try:
        seal = json.loads(lines[-1]).get("seal")
    except (ValueError, AttributeError):
        seal = None
    body = lines[:-1] if isinstance(seal, dict) else lines
    out.whole = isinstance(seal, dict) and seal.get("count") == len(body) and seal.get("sha256") == _digest(body)
    for line in body:
        try:
            obj = json.loads(line)
            rec = Record.from_obj(obj)
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # a cut line: the file is not whole, which the caller reports
        if verify(key, rec.to_line(), obj.get("sig")):
            out.records.append(rec)
        else:
            out.bad[rec.seq] = "its signature does not match the shop's sync key (edited, or another shop's)"
    if out.bad:
        out.whole = False
    return out


def sign_status(key: str, status: NodeStatus, indent: int | None = None) -> str:
    """The status file's text: the status and its signature (HMAC over the canonical JSON of the rest)."""
    body = {"node": status.node, "store": status.store, "at": status.at, "last_seq": status.last_seq,
            "read": status.read, "removed": status.removed}
    return json.dumps({**body, "sig": sign(key, json.dumps(body, sort_keys=True))}, indent=indent, sort_keys=True)


def verified_status(key: str, text: str | None) -> NodeStatus | None:
    """A peer's status only when its signature holds (its acknowledgements lift the cap on redemptions)."""
    try:
        status = json.loads(text) if text else None
    except ValueError:
        return None
    if not status or not isinstance(status, dict):
        return None
    body = {k: v for k, v in status.items() if k != "sig"}
    if not verify(key, json.dumps(body, sort_keys=True), status.get("sig")):
        return None
    read, removed = body.get("read"), body.get("removed")
    return NodeStatus(
        node=_text_or_none(body.get("node")), store=_text_or_none(body.get("store")), at=_text_or_none(body.get("at")),
        last_seq=body["last_seq"] if isinstance(body.get("last_seq"), int) else None,
        read={str(k): v for k, v in read.items() if isinstance(v, int)} if isinstance(read, dict) else {},
        removed=[str(g) for g in removed] if isinstance(removed, list) else [])


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
