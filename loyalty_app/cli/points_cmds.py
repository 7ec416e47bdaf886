"""`loyalty points adjust|history|expire|program`: the ledger and the program from the command line."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from loyalty_app.cli.common import emit, json_parent, money, opened_shop, owner, shop_time


def register(sub: Any) -> None:
    j = json_parent()
    pts = sub.add_parser("points", help="adjust, list and expire points; show or change the program")
    psub = pts.add_subparsers(dest="points_command", metavar="ACTION")
    psub.required = True
    p = psub.add_parser("adjust", parents=[j], help="a manual change with a reason (owner)")
    p.add_argument("--customer", required=True)
    p.add_argument("--delta", type=int, required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_adjust)
    p = psub.add_parser("history", parents=[j], help="a customer's ledger")
    p.add_argument("query")
    p.set_defaults(func=cmd_history)
    p = psub.add_parser("expire", parents=[j], help="write due expiries (safe to run again)")
    p.set_defaults(func=cmd_expire)
    p = psub.add_parser("program", parents=[j], help="show the program, or change it (owner)")
    for f in ("earn-points", "earn-per-cents", "redeem-points", "redeem-cents", "min-redeem-points",
              "max-redeem-percent", "expiry-months", "welcome-bonus"):
        p.add_argument(f"--{f}", type=int)
    p.add_argument("--expiry-mode", choices=["never", "after_earning", "inactivity"])
    p.set_defaults(func=cmd_program)


def cmd_adjust(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = owner(shop, "adjusting points")
        c = shop.lookup.find_one(args.customer)
        balance = shop.points.adjust(c.id, args.delta, args.reason, actor=who)
        emit(args, {"customer_id": c.id, "delta": args.delta, "points_balance": balance},
             f"#{c.id}: {args.delta:+d} points ({args.reason}); balance {balance}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        c = shop.lookup.find_one(args.query)
        rows = shop.points.history(c.id)
        emit(args, rows, "\n".join(f"{shop_time(shop, r.at)}  {r.kind:<8} {r.delta:>+6}  {r.reason or ''}"
                                   f"{'  by ' + r.staff if r.staff else ''}" for r in rows)
             + f"\nbalance {c.points_balance}")
    return 0


def cmd_expire(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        result = shop.points.expire()
        emit(args, result, f"Expired {result['points']} points of {result['customers']} customers")
    return 0


def cmd_program(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        changes = {k: v for k, v in vars(args).items()
                   if k in {f.name for f in dataclasses.fields(shop.points.program())} and v is not None}
        program = shop.points.program()
        if changes:
            who = owner(shop, "changing the points program")
            program = shop.points.set_program(dataclasses.replace(program, **changes), actor=who)
        emit(args, {**dataclasses.asdict(program), "summary": program.summary(lambda c: money(shop, c))},
             program.summary(lambda c: money(shop, c)))
    return 0
