"""`loyalty sale` and `loyalty return`: recording sales and returns with their points."""

from __future__ import annotations

import argparse
from typing import Any

from loyalty_app.cli.common import UsageError, cashier, emit, json_parent, money, opened_shop, parse_item
from loyalty_app.clock import parse_user_time
from loyalty_app.sales import SaleItem


def register(sub: Any) -> None:
    j = json_parent()
    p = sub.add_parser("sale", parents=[j], help="record a sale")
    p.add_argument("--customer", help="phone, card, name or email (omit for an anonymous sale)")
    p.add_argument("--item", action="append", default=[], required=True, metavar="SKU[:QTY]")
    p.add_argument("--redeem", type=int, default=0, metavar="POINTS")
    p.add_argument("--at", metavar="ISO-TIME", help="when it happened (default: now; shop time if no offset)")
    p.add_argument("--store")
    p.add_argument("--register")
    p.set_defaults(func=cmd_sale)

    p = sub.add_parser("return", parents=[j], help="return a purchase, whole or some lines")
    p.add_argument("--purchase", type=int, required=True, metavar="ID")
    p.add_argument("--item", action="append", default=[], metavar="SKU[:QTY]", help="omit to return everything")
    p.add_argument("--reason")
    p.set_defaults(func=cmd_return)


def cmd_sale(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = cashier(shop)
        customer_id = shop.lookup.find_one(args.customer).id if args.customer else None
        items = [SaleItem(code, qty) for code, qty in map(parse_item, args.item)]
        try:
            at = parse_user_time(args.at, shop.ctx.zone) if args.at else None
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        r = shop.sales.record_sale(customer_id, items, redeem_points=args.redeem, occurred_at=at, store=args.store,
                                   register=args.register, actor=actor)
        points = (f"+{r.points_earned} −{r.points_redeemed} points; balance {r.points_balance}"
                  if r.points_balance is not None else "anonymous: no points")
        emit(args, r, f"Purchase #{r.purchase_id}: {money(shop, r.total_cents)}; {points}")
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = cashier(shop)
        items = [parse_item(s) for s in args.item] or None
        r = shop.sales.return_items(args.purchase, items, actor=actor, reason=args.reason)
        points = (f"−{r.points_reversed} points reversed, +{r.points_restored} given back; "
                  f"balance {r.points_balance}" if r.points_balance is not None else "anonymous sale: no points")
        emit(args, r, f"Returned on #{r.purchase_id}: refund {money(shop, r.refund_cents)}; {points}")
    return 0
