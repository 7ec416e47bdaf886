"""One sender at a time per shop (the app's worker and a cron run must never walk the same queue together)."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

from db import mail_queries as mq
from loyalty_app.clock import from_iso, to_iso
from loyalty_app.context import ShopContext

LEASE_SECONDS = 120


def _me() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # os.kill(pid, 0) would terminate the process on Windows: there the lease simply expires
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists but belongs to someone else
    return True


def holder(ctx: ShopContext) -> str | None:
    """Who else holds a live lease ('pid N on HOST'), or None when the queue is free for us."""
    value = mq.get_sender_lease(ctx.db)
    if not value:
        return None
    host, pid_text, expires = (value.split("|") + ["", "", ""])[:3]
    try:
        pid, until = int(pid_text), from_iso(expires)
    except ValueError:
        return None
    if (host, pid) == _me():
        return None
    if until <= datetime.now(UTC):  # wall time on purpose: a lease is about processes, not shop business time
        return None
    if host == socket.gethostname() and not _alive(pid):
        return None  # that sender crashed or was killed: its lease dies with it
    return f"pid {pid} on {host}"


def acquire(ctx: ShopContext) -> str | None:
    """Take or renew the lease; returns the other holder's description when it is taken."""
    with ctx.write():
        other = holder(ctx)
        if other is None:
            host, pid = _me()
            until = to_iso(datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=LEASE_SECONDS))
            mq.set_sender_lease(ctx.db, f"{host}|{pid}|{until}")
    return other


def release(ctx: ShopContext) -> None:
    with ctx.write():
        if holder(ctx) is None:
            mq.set_sender_lease(ctx.db, "")
