"""A full disk, however it is reported: the file system's ENOSPC (or a quota) or SQLite's SQLITE_FULL."""

from __future__ import annotations

import errno
import sqlite3

FULL_ERRNOS = frozenset(e for e in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if e is not None)
# SQLITE_FULL from a write; SQLITE_IOERR_SHMSIZE ("disk I/O error") when opening a shop on a full disk, as the
# WAL's -shm file cannot grow.
FULL_CODES = frozenset({sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR_SHMSIZE})


def is_disk_full(exc: BaseException) -> bool:
    """True when ``exc``, or an error it was raised from, says the disk (or the user's quota) is full."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in FULL_ERRNOS:
            return True
        if isinstance(current, sqlite3.Error) and (
                getattr(current, "sqlite_errorcode", None) in FULL_CODES or "disk is full" in str(current).lower()):
            return True
        current = current.__cause__ or current.__context__
    return False
