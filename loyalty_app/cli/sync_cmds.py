"""`loyalty sync setup|now|status|limits`: connecting the stores of one shop through a shared folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from loyalty_app.cli.common import count_arg, emit, json_parent, minutes_arg, opened_shop, owner
from loyalty_app.money import format_money
from loyalty_app.sync.views import SyncStatus


def register(sub: Any) -> None:
    j = json_parent()
    sync = sub.add_parser("sync", help="share customers, history and points with the shop's other stores")
    ssub = sync.add_subparsers(dest="sync_command", metavar="ACTION")
    ssub.required = True
    p = ssub.add_parser("setup", parents=[j], help="connect this counter to the shared folder (owner)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder", help="the folder Syncthing or the cloud drive keeps in sync (2-5 stores)")
    where.add_argument("--postgres", metavar="URL", help="a chain's central PostgreSQL hub, e.g. "
                       "postgresql://loyalty@hub.example.com/loyalty (password in PGPASSWORD or ~/.pgpass)")
    p.add_argument("--store", required=True, help="this store's name, e.g. Downtown")
    p.add_argument("--key", help="the shop's sync key, when joining stores already connected (`sync key`)")
    p.add_argument("--new-key", action="store_true",
                   help="make a new sync key for stores connected before records were signed (then give it to them)")
    p.set_defaults(func=cmd_setup)
    p = ssub.add_parser("key", parents=[j], help="the shop's sync key, to give to a store that joins (owner)")
    p.set_defaults(func=cmd_key)
    p = ssub.add_parser("rejoin", parents=[j],
                        help="carry on as a new member after restoring this counter from a backup (owner)")
    p.set_defaults(func=cmd_rejoin)
    p = ssub.add_parser("remove", parents=[j], help="stop counting a store that closed or whose PC is gone (owner)")
    p.add_argument("store", help="the store's name as `sync status` shows it")
    p.set_defaults(func=cmd_remove)
    p = ssub.add_parser("now", parents=[j], help="write pending changes and take in what arrived")
    p.set_defaults(func=cmd_now)
    p = ssub.add_parser("status", parents=[j], help="how far each store is, alarms, overdrafts")
    p.set_defaults(func=cmd_status)
    p = ssub.add_parser("limits", parents=[j], help="points redeemable while apart (owner)")
    p.add_argument("--offline-redeem-cap", type=count_arg, help="points per customer per store while a peer is stale")
    p.add_argument("--stale-minutes", type=minutes_arg, help="a store not heard from for this long is stale")
    p.set_defaults(func=cmd_limits)


def _text(status: SyncStatus) -> str:
    lines = [f"This store: {status.store} (node {status.node[:8]}), {status.last_seq} changes, "
             f"{status.published_seq} published"]
    if status.rejoined:
        lines.append(f"  rejoined on {status.rejoined.at} after a restore (was node {status.rejoined.was[:8]})")
    for name in status.removed:
        lines.append(f"  {name}: removed")
    for p in status.peers:
        lines.append(f"  {p.store or p.node[:8]}: {p.not_yet_received} changes not yet received, "
                     f"last seen {p.last_seen or 'never'}{' (stale)' if p.stale else ''}"
                     f"{', ' + str(p.held) + ' held back' if p.held else ''}"
                     f"{', ' + str(p.conflict_copies) + ' conflict copies' if p.conflict_copies else ''}")
    for a in status.alarms:
        lines.append(f"  alarm: {a['kind']}: {a['details']}")
    for o in status.over_returns:
        lines.append(f"  returned in two stores: purchase #{o['purchase_id']} {o['sku']}: "
                     f"{o['qty'] + o['excess_qty']} returned of {o['qty']}, "
                     f"{format_money(o['excess_refund_cents'], status.currency)} refunded beyond the line")
    for o in status.overdrafts:
        lines.append(f"  overdraft: #{o['id']} {o['name'] or ''} {o['points_balance']} points")
    return "\n".join(lines)


def cmd_setup(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = owner(shop, "connecting to other stores")
        status = shop.sync.setup(Path(args.folder) if args.folder else None, args.store, key=args.key,
                                 postgres=args.postgres, fresh_key=args.new_key, actor=who)
        emit(args, status, _text(status.status))
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        key = shop.sync.key(actor=owner(shop, "showing the sync key"))
        emit(args, {"key": key}, f"Sync key: {key}\nGive it to each store that joins: loyalty sync setup "
                                 f"--folder FOLDER --store NAME --key {key}")
    return 0


def cmd_rejoin(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        status = shop.sync.rejoin(actor=owner(shop, "rejoining the other stores"))
        emit(args, status, _text(status.status))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        nodes = shop.sync.remove(args.store, actor=owner(shop, "removing a store"))
        emit(args, {"removed": nodes}, f"{args.store} removed: it no longer holds back redemptions here.")
    return 0


def cmd_now(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        status = shop.sync.sync_now()
        emit(args, status, f"Published {status.published}, received {status.received}.\n" + _text(status.status))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        status = shop.sync.status()
        emit(args, status, _text(status))
    return 0


def cmd_limits(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = owner(shop, "changing sync limits")
        shop.sync.configure(offline_redeem_cap=args.offline_redeem_cap, stale_minutes=args.stale_minutes, actor=who)
        data = {k: shop.settings.get(k) for k in ("sync_offline_redeem_cap", "sync_stale_minutes")}
        emit(args, data, f"Limits: {data}")
    return 0
