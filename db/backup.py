"""Backups through SQLite's online backup API (never a file copy of a live WAL database)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TypedDict

from db.sqlite_errors import is_damage, is_not_a_database


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the live database behind ``conn`` to ``target`` and verify the copy's integrity.

    The copy is written beside the target as ``.part`` and renamed when verified; whatever fails on the way
    (a damaged source, a full disk), no ``.part`` is left behind. A damaged source raises BackupOfDamage.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    _remove_partial(tmp)
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            conn.backup(dest)
            ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise BackupOfDamage(f"the shop's file is damaged ({ok}), so no backup was taken")
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException as exc:
        _remove_partial(tmp)
        if is_damage(exc) and not isinstance(exc, BackupOfDamage):
            raise BackupOfDamage(f"the shop's file is damaged ({exc}), so no backup was taken") from exc
        raise
    return target


def _remove_partial(tmp: Path) -> None:
    """The unfinished copy and the rollback journal SQLite may have left beside it."""
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        leftover.unlink(missing_ok=True)


class BackupOfDamage(sqlite3.DatabaseError):
    """The database being backed up is damaged: no copy was made (the good backups stay as they were)."""


def backup_database(db: object, target: Path) -> Path:
    """Back up an open shop database (a sqlite-utils Database) to ``target``, verified."""
    return backup_to(db.conn, target)  # type: ignore[attr-defined]


class CandidateCheck(TypedDict):
    """A file checked before a restore: PRAGMA integrity_check's answer ("ok"), its migrations, its shop."""

    integrity: str
    migrations: list[str]
    shop_name: str | None


def verify_candidate(path: Path) -> CandidateCheck:
    """What a restore needs to know of a file before it replaces the shop: is it sound, whose, which schema."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            names = [r[0] for r in con.execute("SELECT name FROM _sqlite_migrations")]
            shop = con.execute("SELECT value FROM settings WHERE key = 'shop_name'").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:  # through SQLite only: a plain open() of a live file would drop its locks
        text = "not an SQLite file" if is_not_a_database(exc) else str(exc)
        return {"integrity": text, "migrations": [], "shop_name": None}
    return {"integrity": ok, "migrations": names, "shop_name": shop[0] if shop else None}


def latest_good_backup(folder: Path, stem: str) -> Path | None:
    """The newest backup in ``folder`` of a shop file named ``stem`` that passes its integrity check."""
    if not folder.is_dir():
        return None
    found = sorted(folder.glob(f"{stem}-*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    return next((p for p in found if verify_candidate(p)["integrity"] == "ok"), None)


def way_back(db_path: Path | str) -> str:
    """The sentence that ends a "cannot use the shop" message: which backup to restore, and how."""
    p = Path(db_path)
    best = latest_good_backup(p.parent / "backups", p.stem)
    if best is None:
        return " No backup was found beside it; restore one you keep elsewhere with 'loyalty restore FILE'."
    return f" The latest good backup is {best}: restore it with 'loyalty restore {best}'."
