"""Backups the owner can rely on: verified copies through SQLite's online backup API, daily and on demand,
kept to a count in a folder the owner chooses (a USB stick, a synced folder); restore with the owner's PIN."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import db as dbpkg
from db import backup as dbb
from db import settings_queries as sq
from db.migrations import MIGRATIONS
from loyalty_app import health
from loyalty_app.context import Staff
from loyalty_app.disk_full import is_disk_full, unavailable
from loyalty_app.errors import NotFound, ShopUnavailable, ValidationError
from loyalty_app.shop import Shop, open_shop

DEFAULT_KEEP = 14


def folder_of(shop: Shop) -> Path:
    """The owner's backup folder, else ``backups`` beside the shop file (where migration backups go too)."""
    return Path(shop.settings.get("backup_dir") or shop.path.parent / "backups")


def keep_of(shop: Shop) -> int:
    return int(shop.settings.get("backup_keep") or DEFAULT_KEEP)


def configure(shop: Shop, *, folder: Path | None = None, keep: int | None = None, actor: Staff | None = None) -> None:
    """Where backups go and how many are kept (owner)."""
    owner = shop.ctx.require_owner(actor, "changing backups")
    if keep is not None and keep < 1:
        raise ValidationError("keep at least one backup")
    with shop.ctx.write():
        if folder is not None:
            sq.set_setting(shop.ctx.db, "backup_dir", str(folder))
        if keep is not None:
            sq.set_setting(shop.ctx.db, "backup_keep", str(keep))
        shop.ctx.audit("backup.configure", str(folder) if folder else None, {"keep": keep}, owner)
    shop.ctx.reload_settings()


def backup_now(shop: Shop, target: Path | None = None, *, reason: str = "manual") -> Path:
    """A verified copy of the live shop; into the backup folder (then old ones pruned) unless a file is named."""
    stamp = shop.ctx.now().strftime("%Y%m%dT%H%M%SZ")
    path = target or folder_of(shop) / f"{shop.path.stem}-{stamp}-{reason}.sqlite"
    try:
        dbb.backup_database(shop.ctx.db, path)
    except dbb.BackupOfDamage as exc:
        raise health.damaged(shop.path, str(exc)) from exc
    except Exception as exc:  # a full disk reaches us as OSError or as SQLite's own error
        if is_disk_full(exc):
            raise ShopUnavailable(f"the disk is full: no backup was written to {path}. Free some space or choose "
                                  "another backup folder.") from exc
        if isinstance(exc, OSError):
            raise ShopUnavailable(f"could not write the backup to {path}: {exc.strerror or exc}") from exc
        raise
    if target is None:
        prune(shop)
        with shop.ctx.write():
            sq.set_setting(shop.ctx.db, "last_backup_at", shop.ctx.now_iso())
        shop.ctx.reload_settings()
    return path


def list_backups(shop: Shop) -> list[dict[str, Any]]:
    folder = folder_of(shop)
    files = sorted(folder.glob(f"{shop.path.stem}-*.sqlite"), key=lambda p: p.name, reverse=True) \
        if folder.is_dir() else []
    return [{"file": str(p), "bytes": p.stat().st_size} for p in files]


def prune(shop: Shop) -> list[str]:
    """Keep the newest ``keep`` automatic and manual backups; the ones taken before migrations stay."""
    folder = folder_of(shop)
    mine = sorted((p for p in folder.glob(f"{shop.path.stem}-2*.sqlite")), key=lambda p: p.name, reverse=True)
    removed = []
    for old in mine[keep_of(shop):]:
        old.unlink(missing_ok=True)
        removed.append(str(old))
    return removed


def daily_backup_if_due(shop: Shop) -> Path | None:
    """At start-up: one backup a day (shop time)."""
    last = shop.settings.get("last_backup_at")
    today = shop.ctx.now().astimezone(shop.ctx.zone).date().isoformat()
    if last and datetime.fromisoformat(last.replace("Z", "+00:00")).astimezone(shop.ctx.zone).date().isoformat() \
            == today:
        return None
    return backup_now(shop, reason="daily")


def check_candidate(candidate: Path) -> dict[str, Any]:
    """Refuse a file that is not a sound Loyalty Desk shop or that comes from a newer version."""
    if not candidate.is_file():
        raise NotFound(f"no backup file at {candidate}")
    info = dbb.verify_candidate(candidate)
    if info["integrity"] != "ok":
        raise ValidationError(f"{candidate} is damaged or not a database ({info['integrity']}); nothing restored")
    if not info["shop_name"]:
        raise ValidationError(f"{candidate} is not a Loyalty Desk shop; nothing restored")
    known = {m.name for m in MIGRATIONS._migrations}
    newer = [n for n in info["migrations"] if n not in known]
    if newer:
        raise ValidationError(f"{candidate} was written by a newer Loyalty Desk ({newer[-1]}); nothing restored")
    return info


def restore(db_path: Path, candidate: Path, owner_name: str, pin: str) -> dict[str, Any]:
    """Replace the shop at ``db_path`` with a backup (owner PIN); see ``restore_into``. A shop file that is
    missing or damaged is the case restoring is for: it is set aside (never deleted, never backed up through
    SQLite, which would fail on it) and the PIN is checked against the backup's own staff."""
    if not db_path.exists():
        return _restore_over_damaged(db_path, candidate, owner_name, pin)
    try:
        shop = open_shop(db_path)
    except ShopUnavailable as exc:
        if isinstance(exc.__cause__, dbpkg.DatabaseCorrupt | dbpkg.NotADatabase):
            return _restore_over_damaged(db_path, candidate, owner_name, pin)
        raise
    try:
        return restore_into(shop, candidate, owner_name, pin)
    finally:
        shop.close()


def restore_into(shop: Shop, candidate: Path, owner_name: str, pin: str) -> dict[str, Any]:
    """Replace an open shop's file with a backup (owner PIN) and reopen it in place, so a running window
    carries on with the restored data. The current file is backed up first (set aside instead when it is
    damaged); the candidate must be a sound Loyalty Desk shop no newer than this app; the swap is one atomic
    rename while no connection is open."""
    info = check_candidate(candidate)
    if shop.quick_check() is not None:
        shop.close()
        try:
            return _restore_over_damaged(shop.path, candidate, owner_name, pin, info)
        finally:
            reopen(shop)
    owner = shop.staff.sign_in(owner_name, pin)
    shop.ctx.require_owner(owner, "restoring a backup")
    safety = backup_now(shop, reason="before-restore")
    db_path = shop.path
    staging = _staged_copy(candidate, db_path)
    shop.close()  # WAL and shared memory belong to the old file: no connection may be open across the swap
    try:
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(staging, db_path)
    finally:
        staging.unlink(missing_ok=True)
        reopen(shop)
    with shop.ctx.write():
        shop.ctx.audit("backup.restore", str(candidate), {"safety_copy": str(safety)}, owner)
    return {"restored_from": str(candidate), "shop_name": info["shop_name"], "safety_copy": str(safety)}


def _staged_copy(candidate: Path, db_path: Path) -> Path:
    """The candidate copied beside the shop (same disk, so the swap is one rename); nothing left if it fails."""
    staging = db_path.with_name(db_path.name + ".restoring")
    try:
        shutil.copyfile(candidate, staging)
        os.chmod(staging, 0o600)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        full = " (the disk is full)" if exc.errno == errno.ENOSPC else ""
        raise ShopUnavailable(f"could not copy {candidate} beside the shop{full} ({exc.strerror or exc}); "
                              "nothing was restored") from exc
    return staging


def _restore_over_damaged(db_path: Path, candidate: Path, owner_name: str, pin: str,
                          info: dict[str, Any] | None = None) -> dict[str, Any]:
    info = info or check_candidate(candidate)
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.sqlite"
        shutil.copyfile(candidate, probe)
        backup_shop = open_shop(probe)
        try:
            owner = backup_shop.ctx.require_owner(backup_shop.staff.sign_in(owner_name, pin), "restoring a backup")
        finally:
            backup_shop.close()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    set_aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    staging = _staged_copy(candidate, db_path)
    try:
        for suffix in ("", "-wal", "-shm"):
            old = Path(str(db_path) + suffix)
            if old.exists():
                os.replace(old, Path(str(set_aside) + suffix))
        os.replace(staging, db_path)
    finally:
        staging.unlink(missing_ok=True)
    restored = open_shop(db_path)
    try:
        with restored.ctx.write():
            restored.ctx.audit("backup.restore", str(candidate), {"damaged_file_kept_as": str(set_aside)}, owner)
    finally:
        restored.close()
    return {"restored_from": str(candidate), "shop_name": info["shop_name"], "safety_copy": str(set_aside)}


def reopen(shop: Shop) -> None:
    """Point an open shop's services at its file again (after a restore swapped it)."""
    try:
        shop.ctx.db = dbpkg.open_database(shop.path)
    except dbpkg.DatabaseError as exc:
        raise unavailable(exc) from exc
    shop.ctx.reload_settings()
