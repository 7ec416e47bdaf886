"""Backups the owner can rely on: verified copies through SQLite's online backup API, daily and on demand,
kept to a count in a folder the owner chooses (a USB stick, a synced folder); restore with the owner's PIN."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import db as dbpkg
from db import backup as dbb
from db import settings_queries as sq
from db.migrations import MIGRATIONS
from loyalty_app import health
from loyalty_app.context import ShopContext, Staff, open_context
from loyalty_app.disk_full import is_disk_full, unavailable
from loyalty_app.errors import NotFound, ShopUnavailable, ValidationError
from loyalty_app.staff import StaffService

DEFAULT_KEEP = 14


@dataclass(frozen=True)
class BackupFile:
    file: str
    bytes: int


@dataclass(frozen=True)
class RestoreResult:
    restored_from: str
    shop_name: str | None
    safety_copy: str


class BackupService:
    """The shop's backups: its folder and count, verified copies, restore into the open shop."""

    def __init__(self, ctx: ShopContext, path: Path, staff: StaffService) -> None:
        self.ctx = ctx
        self.path = path
        self.staff = staff

    @property
    def settings(self) -> dict[str, str]:
        return self.ctx.settings

    def quick_check(self) -> str | None:
        return health.quick_check(self.ctx, self.path)

    def close(self) -> None:
        self.ctx.db.close()

    def folder_of(self) -> Path:
        """The owner's backup folder, else ``backups`` beside the shop file (where migration backups go too)."""
        return Path(self.settings.get("backup_dir") or self.path.parent / "backups")

    def keep_of(self) -> int:
        return int(self.settings.get("backup_keep") or DEFAULT_KEEP)

    def configure(self, *, folder: Path | None = None, keep: int | None = None, actor: Staff | None = None) -> None:
        """Where backups go and how many are kept (owner)."""
        owner = self.ctx.require_owner(actor, "changing backups")
        if keep is not None and keep < 1:
            raise ValidationError("keep at least one backup")
        with self.ctx.write():
            if folder is not None:
                sq.set_setting(self.ctx.db, "backup_dir", str(folder))
            if keep is not None:
                sq.set_setting(self.ctx.db, "backup_keep", str(keep))
            self.ctx.audit("backup.configure", str(folder) if folder else None, {"keep": keep}, owner)
        self.ctx.reload_settings()

    def backup_now(self, target: Path | None = None, *, reason: str = "manual") -> Path:
        """A verified copy of the live shop; into the backup folder (then old ones pruned) unless a file is named."""
        stamp = self.ctx.now().strftime("%Y%m%dT%H%M%SZ")
        path = target or self.folder_of() / f"{self.path.stem}-{stamp}-{reason}.sqlite"
        try:
            dbb.backup_database(self.ctx.db, path)
        except dbb.BackupOfDamage as exc:
            raise health.damaged(self.path, str(exc)) from exc
        except Exception as exc:  # a full disk reaches us as OSError or as SQLite's own error
            if is_disk_full(exc):
                raise ShopUnavailable(f"the disk is full: no backup was written to {path}. Free some space or choose "
                                      "another backup folder.") from exc
            if isinstance(exc, OSError):
                raise ShopUnavailable(f"could not write the backup to {path}: {exc.strerror or exc}") from exc
            raise
        if target is None:
            self.prune()
            with self.ctx.write():
                sq.set_setting(self.ctx.db, "last_backup_at", self.ctx.now_iso())
            self.ctx.reload_settings()
        return path

    def list_backups(self) -> list[BackupFile]:
        folder = self.folder_of()
        files = sorted(folder.glob(f"{self.path.stem}-*.sqlite"), key=lambda p: p.name, reverse=True) \
            if folder.is_dir() else []
        return [BackupFile(str(p), p.stat().st_size) for p in files]

    def prune(self) -> list[str]:
        """Keep the newest ``keep`` automatic and manual backups; the ones taken before migrations stay."""
        folder = self.folder_of()
        mine = sorted((p for p in folder.glob(f"{self.path.stem}-2*.sqlite")), key=lambda p: p.name, reverse=True)
        removed = []
        for old in mine[self.keep_of():]:
            old.unlink(missing_ok=True)
            removed.append(str(old))
        return removed

    def daily_backup_if_due(self) -> Path | None:
        """At start-up: one backup a day (shop time)."""
        last = self.settings.get("last_backup_at")
        today = self.ctx.now().astimezone(self.ctx.zone).date().isoformat()
        if last and datetime.fromisoformat(last.replace("Z", "+00:00")).astimezone(self.ctx.zone).date().isoformat() \
                == today:
            return None
        return self.backup_now(reason="daily")

    def restore_into(self, candidate: Path, owner_name: str, pin: str) -> RestoreResult:
        """Replace the open shop's file with a backup (owner PIN) and reopen it in place, so a running window
        carries on with the restored data. The current file is backed up first (set aside instead when it is
        damaged); the candidate must be a sound Loyalty Desk self no newer than this app; the swap is one atomic
        rename while no connection is open."""
        shop_name = check_candidate(candidate)
        if self.quick_check() is not None:
            self.close()
            try:
                return restore_over_damaged(self.path, candidate, owner_name, pin, shop_name)
            finally:
                self.reopen()
        owner = self.staff.sign_in(owner_name, pin)
        self.ctx.require_owner(owner, "restoring a backup")
        safety = self.backup_now(reason="before-restore")
        db_path = self.path
        staging = _staged_copy(candidate, db_path)
        self.close()  # WAL and shared memory belong to the old file: no connection may be open across the swap
        try:
            for suffix in ("-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            os.replace(staging, db_path)
        finally:
            staging.unlink(missing_ok=True)
            self.reopen()
        with self.ctx.write():
            self.ctx.audit("backup.restore", str(candidate), {"safety_copy": str(safety)}, owner)
        return RestoreResult(str(candidate), shop_name, str(safety))

    def reopen(self) -> None:
        """Point an open shop's services at its file again (after a restore swapped it)."""
        try:
            self.ctx.db = dbpkg.open_database(self.path)
        except dbpkg.DatabaseError as exc:
            raise unavailable(exc) from exc
        self.ctx.reload_settings()


def check_candidate(candidate: Path) -> str:
    """The backup's shop name; refuses a file that is not a sound Loyalty Desk shop or comes from a newer version."""
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
    return str(info["shop_name"])


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


def restore_over_damaged(db_path: Path, candidate: Path, owner_name: str, pin: str,
                         shop_name: str | None = None) -> RestoreResult:
    """Replace a missing or damaged shop file with a backup, the PIN checked against the backup's own staff;
    the damaged file is set aside, never deleted."""
    shop_name = shop_name or check_candidate(candidate)
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.sqlite"
        shutil.copyfile(candidate, probe)
        backup_ctx = open_context(probe)
        try:
            owner = backup_ctx.require_owner(StaffService(backup_ctx).sign_in(owner_name, pin), "restoring a backup")
        finally:
            backup_ctx.db.close()
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
    restored = open_context(db_path)
    try:
        with restored.write():
            restored.audit("backup.restore", str(candidate), {"damaged_file_kept_as": str(set_aside)}, owner)
    finally:
        restored.db.close()
    return RestoreResult(str(candidate), shop_name, str(set_aside))
