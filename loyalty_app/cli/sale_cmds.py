"""`loyalty sale`, `loyalty return` and `loyalty slip`: recording sales and returns with their points, and slips."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from loyalty_app.cli.common import (
    UsageError,
    cashier,
    count_arg,
    emit,
    json_parent,
    money,
    opened_shop,
    parse_item,
    write_output,
)
from loyalty_app.clock import parse_user_time
from loyalty_app.errors import ValidationError
from loyalty_app.sales import SaleItem
from loyalty_app.slips import PAPERS, slip_pdf


def register(sub: Any) -> None:
    j = json_parent()
    p = sub.add_parser("sale", parents=[j], help="record a sale")
    p.add_argument("--customer", help="phone, card, name or email (omit for an anonymous sale)")
    p.add_argument("--item", action="append", default=[], required=True, metavar="SKU[:QTY]")
    p.add_argument("--redeem", type=int, default=0, metavar="POINTS")
    p.add_argument("--at", metavar="ISO-TIME", help="when it happened (default: now; shop time if no offset)")
    p.add_argument("--store")
    p.add_argument("--register")
    p.add_argument("--slip", metavar="FILE", help="also write the sale's slip as PDF (see 'loyalty slip')")
    p.add_argument("--paper", choices=PAPERS, default="80mm", help="the slip's paper (default: 80mm)")
    p.set_defaults(func=cmd_sale)

    p = sub.add_parser("slip", help="a purchase's slip as PDF, to print again or email")
    p.add_argument("purchase", type=count_arg, metavar="PURCHASE", help="the purchase number ('Purchase #12')")
    p.add_argument("--pdf", required=True, metavar="FILE")
    p.add_argument("--paper", choices=PAPERS, default="80mm", help="80mm or 58mm till roll, A4 or Letter")
    p.set_defaults(func=cmd_slip)

    p = sub.add_parser("return", parents=[j], help="return a purchase, whole or some lines")
    p.add_argument("--purchase", type=int, required=True, metavar="ID")
    p.add_argument("--item", action="append", default=[], metavar="SKU[:QTY]", help="omit to return everything")
    p.add_argument("--reason")
    p.set_defaults(func=cmd_return)


def cmd_sale(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = cashier(shop)
        if args.slip:
            _check_writable(args.slip)
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
        text = f"Purchase #{r.purchase_id}: {money(shop, r.total_cents)}; {points}"
        if args.slip:
            try:
                write_output(args.slip, slip_pdf(shop, r.purchase_id, args.paper))
            except ValidationError as exc:
                raise ValidationError(f"purchase #{r.purchase_id} is saved, but its slip is not: {exc}; "
                                      f"'loyalty slip {r.purchase_id} --pdf FILE' writes it again") from exc
            text += f"\nslip written to {args.slip}"
        emit(args, r, text)
    return 0


def _check_writable(path: str) -> None:
    """Refuse a slip file that cannot be written before the sale is saved, not after."""
    folder = Path(path).resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK) or Path(path).is_dir():
        raise UsageError(f"cannot write the slip to {path}: no such folder, or not writable; nothing was saved")


def cmd_slip(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        shop.sales.purchase(args.purchase)  # "no purchase #N" before any file is written
        write_output(args.pdf, slip_pdf(shop, args.purchase, args.paper))
        emit(args, {"purchase_id": args.purchase, "pdf": args.pdf, "paper": args.paper},
             f"slip of purchase #{args.purchase} ({args.paper}) written to {args.pdf}")
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
