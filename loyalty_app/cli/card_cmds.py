"""`loyalty card print|sheet`: loyalty cards as PDF, one for a customer or sheets of ten for a batch."""

from __future__ import annotations

import argparse
from typing import Any

from loyalty_app.cli.common import UsageError, cashier, count_arg, opened_shop, write_output


def register(sub: Any) -> None:
    card = sub.add_parser("card", help="print loyalty cards as PDF")
    csub = card.add_subparsers(dest="card_command", metavar="ACTION")
    csub.required = True
    p = csub.add_parser("print", help="one card for a customer (issues a card number if they have none)")
    p.add_argument("--customer", required=True, metavar="QUERY", help="phone, card number, name or email")
    p.add_argument("--pdf", required=True, metavar="FILE")
    p.set_defaults(func=cmd_print)
    p = csub.add_parser("sheet", help="sheets of ten cards on A4 or Letter")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--customers", metavar="Q1,Q2,...", help="customers by phone, card, name or email")
    who.add_argument("--new", type=count_arg, metavar="N", help="the N most recent sign-ups who have no card yet")
    p.add_argument("--page", choices=["A4", "Letter"], help="paper (default: Letter in the US and Canada, else A4)")
    p.add_argument("--pdf", required=True, metavar="FILE")
    p.set_defaults(func=cmd_sheet)


def cmd_print(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = cashier(shop)
        c = shop.lookup.find_one(args.customer)
        number, pdf = shop.cards.print_card(c.id, actor)
        write_output(args.pdf, pdf)
        print(f"card {number} for {c.name or 'customer #' + str(c.id)} written to {args.pdf}")
    return 0


def cmd_sheet(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = cashier(shop)
        if args.new is not None:
            ids = shop.cards.customers_without_card(args.new)
            if not ids:
                raise UsageError("every customer already has a card")
        else:
            queries = [q.strip() for q in args.customers.split(",") if q.strip()]
            if not queries:
                raise UsageError("--customers needs at least one customer")
            ids = list(dict.fromkeys(shop.lookup.find_one(q).id for q in queries))
        pdf = shop.cards.print_sheet(ids, actor, args.page)
        assert pdf is not None
        write_output(args.pdf, pdf)
        pages = (len(ids) + 9) // 10
        print(f"{len(ids)} card{'s' if len(ids) != 1 else ''} on {pages} page{'s' if pages != 1 else ''} "
              f"written to {args.pdf}")
    return 0
