"""`loyalty product add|edit|list`: the catalogue from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from loyalty_app.cli.common import emit, json_parent, money, opened_shop, owner, parse_price


def _fields(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--name", required=required)
    p.add_argument("--price", required=required, help="e.g. 12.00")
    p.add_argument("--family", help="groups the sizes of one product")
    p.add_argument("--size", help='e.g. "250 ml"')
    p.add_argument("--category")
    p.add_argument("--tags", help="comma-separated, e.g. basil,infused")
    p.add_argument("--refill-days", type=int)
    p.add_argument("--barcode", help="GTIN/EAN")
    p.add_argument("--launched-on", help="YYYY-MM-DD")


def register(sub: Any) -> None:
    j = json_parent()
    prod = sub.add_parser("product", help="add, edit and list products")
    psub = prod.add_subparsers(dest="product_command", metavar="ACTION")
    psub.required = True
    p = psub.add_parser("add", parents=[j], help="add a product (owner)")
    p.add_argument("--sku", required=True)
    _fields(p, True)
    p.set_defaults(func=cmd_add)
    p = psub.add_parser("edit", parents=[j], help="change a product (owner)")
    p.add_argument("sku")
    _fields(p, False)
    p.add_argument("--active", choices=["yes", "no"])
    p.set_defaults(func=cmd_edit)
    p = psub.add_parser("list", parents=[j], help="list products")
    p.add_argument("--active-only", action="store_true")
    p.set_defaults(func=cmd_list)


def cmd_add(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = owner(shop, "adding products")
        prod = shop.products.add(sku=args.sku, name=args.name, price_cents=parse_price(args.price, shop.ctx.currency),
                                 family=args.family, size=args.size, category=args.category, tags=args.tags,
                                 refill_days=args.refill_days, barcode=args.barcode, launched_on=args.launched_on,
                                 actor=who)
        emit(args, prod, f"Added {prod.sku} {prod.name} {money(shop, prod.price_cents)}")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = owner(shop, "editing products")
        changes: dict[str, Any] = {"name": args.name, "family": args.family, "size": args.size,
                                   "category": args.category, "tags": args.tags, "refill_days": args.refill_days,
                                   "barcode": args.barcode, "launched_on": args.launched_on}
        if args.price is not None:
            changes["price_cents"] = parse_price(args.price, shop.ctx.currency)
        if args.active:
            changes["active"] = args.active == "yes"
        prod = shop.products.edit(args.sku, actor=who, **changes)
        emit(args, prod, f"Updated {prod.sku} {prod.name}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        rows = shop.products.list(include_inactive=not args.active_only)
        emit(args, rows, "\n".join(f"{r.sku:<14} {r.name:<40} {r.size or '':<8} "
                                   f"{money(shop, r.price_cents):>9}{'' if r.active else '  (inactive)'}"
                                   for r in rows))
    return 0
