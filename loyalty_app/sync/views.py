"""What sync hands the screens and the CLI: this store's progress, each other store's, and one round's counts."""

from __future__ import annotations

from dataclasses import dataclass

from db.rows import Row
from loyalty_app.views import json_field


@dataclass(frozen=True)
class PeerProgress:
    """How far this store has read another store, and whether it has heard from it lately."""

    node: str
    store: str | None
    applied_seq: int
    not_yet_received: int
    held: int
    acknowledged_seq: int
    last_seen: str | None
    stale: bool
    conflict_copies: int


@dataclass(frozen=True)
class Rejoined:
    """When this store carried on as a new member after a restore, and the node it was before."""

    at: str
    was: str


@dataclass(frozen=True)
class SyncStatus:
    """This store's change records, the other stores' progress, and what needs the owner's eye (the alarms,
    overdrawn balances and lines returned in two stores are the sync tables' rows as they stand)."""

    node: str
    store: str | None
    currency: str
    last_seq: int
    published_seq: int
    peers: list[PeerProgress]
    rejoined: Rejoined | None
    removed: list[str]
    alarms: list[Row]
    overdrafts: list[Row]
    over_returns: list[Row]


@dataclass(frozen=True)
class SyncRound:
    """One exchange: records published and received, then the status after it."""

    published: int
    received: int
    status: SyncStatus = json_field(spread=True)


@dataclass(frozen=True)
class NodeStatus:
    """What a store tells the others in its signed status file: how far it has written and read."""

    node: str | None
    store: str | None
    at: str | None
    last_seq: int | None
    read: dict[str, int]
    removed: list[str]
