"""`loyalty backup`, `backups`, `restore`, `audit`: keeping the shop safe and knowing who did what."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from loyalty_app import jobs
from loyalty_app.cli.common import UsageError, count_arg, emit, json_parent, opened_shop, owner, shop_time
from loyalty_app.errors import PermissionDenied
from loyalty_app.shop import default_db_path


def register(sub: Any) -> None:
    j = json_parent()
    p = sub.add_parser("backup", parents=[j], help="back up the shop now (verified), or set where and how many")
    p.add_argument("file", nargs="?", metavar="FILE|list",
                   help="write this file instead of the backup folder ('list': the backups, like 'loyalty backups')")
    p.add_argument("--to", metavar="FILE", help="write this file instead of the backup folder")
    p.add_argument("--auto", action="store_true", help="the daily backup, only if none was taken today (for a "
                                                       "scheduled task)")
    p.add_argument("--folder", help="set the backup folder (owner), e.g. a USB stick or a synced folder")
    p.add_argument("--keep", type=count_arg, help="set how many backups to keep (owner)")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("backups", parents=[j], help="list the backups in the backup folder")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("restore", parents=[j], help="replace the shop with a backup (owner; current file kept)")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("audit", parents=[j], help="who adjusted, merged, exported, erased, restored (owner)")
    p.add_argument("--limit", type=count_arg, default=100)
    p.set_defaults(func=cmd_audit)


def cmd_backup(args: argparse.Namespace) -> int:
    if args.file == "list":  # a file really named 'list' can be written as ./list
        return cmd_list(args)
    target = args.file or args.to
    if target and args.auto:
        raise UsageError("--auto writes to the backup folder: leave out the file name")
    with opened_shop(args) as shop:
        if args.auto:
            done = shop.backups.daily_backup_if_due()
            emit(args, {"file": str(done) if done else None, "folder": str(shop.backups.folder_of())},
                 f"Backed up to {done} (verified)" if done else "Today's backup is already there; nothing to do.")
            return 0
        if args.folder or args.keep:
            who = owner(shop, "changing backups")
            shop.backups.configure(folder=Path(args.folder) if args.folder else None, keep=args.keep, actor=who)
        path = shop.backups.backup_now(Path(target) if target else None)
        emit(args, {"file": str(path), "folder": str(shop.backups.folder_of()), "keep": shop.backups.keep_of()},
             f"Backed up to {path} (verified)")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        rows = shop.backups.list_backups()
        emit(args, rows, "\n".join(f"{r.file}  {r.bytes // 1024} kB" for r in rows) or "No backups yet.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    name, pin = os.environ.get("LOYALTY_STAFF"), os.environ.get("LOYALTY_PIN")
    if not name or (pin is None and not sys.stdin.isatty()):
        raise PermissionDenied("restoring needs the owner: set LOYALTY_STAFF and LOYALTY_PIN")
    if pin is None:
        pin = getpass.getpass(f"PIN for {name}: ")
    db = Path(args.db) if args.db else default_db_path()
    result = jobs.restore_backup(db, Path(args.file), name, pin)
    emit(args, result, f"Restored {result.shop_name} from {args.file}; the previous file is kept as "
                       f"{result.safety_copy}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        owner(shop, "reading the audit log")
        rows = shop.audit_log(args.limit)
        emit(args, rows, "\n".join(f"{shop_time(shop, r.at)}  {r.staff_name or '-':<10} {r.action:<20} {r.subject or ''}"
                                   f"  {r.details}" for r in rows))
    return 0
