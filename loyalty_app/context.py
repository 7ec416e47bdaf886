"""What every service shares: the database, the clock, the shop's settings, who is signed in, and the one
place where writes happen (a transaction that also records each change for audit and multi-store sync)."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import db as dbpkg
from db import settings_queries as sq
from loyalty_app import i18n
from loyalty_app.clock import Clock, SystemClock, to_iso
from loyalty_app.disk_full import unavailable
from loyalty_app.errors import Conflict, PermissionDenied, ShopDamaged


@dataclass(frozen=True)
class Staff:
    """A signed-in staff member."""

    id: int
    name: str
    role: str  # cashier | owner

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"


def new_uuid() -> str:
    return str(uuid.uuid4())


class ShopContext:
    """Shared by the services of one open shop. Not thread-safe: a worker thread opens its own shop."""

    def __init__(self, database: Any, clock: Clock) -> None:
        self.db = database
        self.clock = clock
        self.actor: Staff | None = None
        self._hlc = (0, 0)
        self.reload_settings()

    def reload_settings(self) -> None:
        self.settings = sq.get_settings(self.db)
        i18n.activate(self.language, self.region)  # slips, reports, emails and the window speak the shop's language

    @property
    def language(self) -> str:
        return self.settings.get("language", i18n.DEFAULT_LANGUAGE)

    @property
    def region(self) -> str:
        return self.settings.get("region", "US")

    @property
    def currency(self) -> str:
        return self.settings.get("currency", "USD")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.get("time_zone", "UTC"))

    @property
    def node_id(self) -> str:
        return self.settings.get("node_id", "")

    @property
    def shop_name(self) -> str:
        return self.settings.get("shop_name", "My Shop")

    def now(self) -> datetime:
        return self.clock.now()

    def now_iso(self) -> str:
        return to_iso(self.clock.now())

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE); a lock past the timeout becomes a clear ShopUnavailable."""
        try:
            with dbpkg.write_transaction(self.db):
                yield
        except dbpkg.DatabaseConflict as exc:  # a constraint, e.g. another counter saved the same phone first
            raise Conflict(str(exc)) from exc
        except dbpkg.DatabaseError as exc:  # locked, full disk, read-only, file replaced: one clear sentence
            raise unavailable(exc) from exc

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that must agree with each other: one state of the file, whatever commits meanwhile."""
        with dbpkg.read_snapshot(self.db):
            yield

    def staff_id(self, actor: Staff | None = None) -> int | None:
        who = actor or self.actor
        return who.id if who else None

    def require_owner(self, actor: Staff | None = None, action: str = "this") -> Staff:
        """The owner doing an owner-only action, or PermissionDenied. Enforced here, not just hidden in a UI."""
        who = actor or self.actor
        if who is None:
            raise PermissionDenied(f"{action} needs the owner: sign in as the owner (name and PIN) first")
        if not who.is_owner:
            raise PermissionDenied(f"{action} needs the owner; {who.name} is signed in as a cashier")
        return who

    def observe_hlc(self, hlc: str) -> None:
        """A clock seen in a record from another store: our next change is ordered after it."""
        try:
            ms, counter = (int(x) for x in hlc.split(".")[:2])
        except ValueError:
            return
        self._load_hlc()
        if (ms, counter) > self._hlc:
            self._hlc = (ms, counter)

    def _load_hlc(self) -> None:
        if self._hlc == (0, 0):
            last = sq.last_change_hlc(self.db)
            if last:
                ms, counter = last.split(".")[:2]
                self._hlc = (int(ms), int(counter))

    def _next_hlc(self) -> str:
        self._load_hlc()
        ms = int(self.clock.now().timestamp() * 1000)
        last_ms, counter = self._hlc
        if ms > last_ms:
            self._hlc = (ms, 0)
        else:
            self._hlc = (last_ms, counter + 1)
        return f"{self._hlc[0]:013d}.{self._hlc[1]:05d}.{self.node_id}"

    def next_hlc(self) -> str:
        """The next hybrid-clock stamp, for jobs that write many change records in one statement."""
        return self._next_hlc()

    def next_hlcs(self, n: int) -> list[str]:
        """The next ``n`` hybrid-clock stamps in order, as ``n`` calls of ``next_hlc`` in one millisecond give them
        (past counter 99999 the millisecond moves on, so the stamps keep sorting as text)."""
        self._load_hlc()
        ms = int(self.clock.now().timestamp() * 1000)
        last_ms, counter = self._hlc
        at, c = (ms, 0) if ms > last_ms else (last_ms, counter + 1)
        node = self.node_id
        out: list[str] = []
        while len(out) < n:
            if c > 99999:
                at, c = at + 1, 0
            take = min(n - len(out), 100000 - c)
            out += [f"{at:013d}.{i:05d}.{node}" for i in range(c, c + take)]
            c += take
        if out:
            self._hlc = (at, c - 1)
        return out

    def emit(self, change_type: str, entity_uuid: str, data: dict[str, Any]) -> None:
        """Record one change (inside the caller's transaction) for sync to other stores."""
        sq.insert_change(self.db, {
            "uuid": new_uuid(),
            "node_id": self.node_id,
            "hlc": self._next_hlc(),
            "type": change_type,
            "entity_uuid": entity_uuid,
            "data": json.dumps(data, sort_keys=True, default=str),
        })

    def audit(self, action: str, subject: str | None, details: dict[str, Any], actor: Staff | None = None) -> None:
        sq.insert_audit(self.db, self.now_iso(), self.staff_id(actor), action, subject, details)


def open_context(path: Path, clock: Clock | None = None, *, migrate: bool = True) -> ShopContext:
    """Open (creating and migrating if needed) the database at ``path``; errors become ShopUnavailable, a
    damaged file ShopDamaged."""
    try:
        database = dbpkg.open_database(path, migrate=migrate)
    except dbpkg.DatabaseCorrupt as exc:
        raise ShopDamaged(str(exc)) from exc
    except dbpkg.DatabaseError as exc:
        raise unavailable(exc) from exc
    return ShopContext(database, clock or SystemClock())
