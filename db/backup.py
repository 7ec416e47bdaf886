"""Backups through SQLite's online backup API (never a file copy of a live WAL database)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the live database behind ``conn`` to ``target`` and verify the copy's integrity."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    if tmp.exists():
        tmp.unlink()
    dest = sqlite3.connect(str(tmp))
    try:
        conn.backup(dest)
        ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise sqlite3.DatabaseError(f"backup failed its integrity check: {ok}")
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    return target
