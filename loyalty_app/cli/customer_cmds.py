"""`loyalty customer add|edit|merge|list|card`: customers from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from loyalty_app.cards import validate_card_number
from loyalty_app.cli.common import cashier, count_arg, emit, json_parent, opened_shop, owner
from loyalty_app.consent_types import parse_consent
from loyalty_app.context import Staff
from loyalty_app.customer_notes import MAX_TAG
from loyalty_app.customers import CustomerSummary
from loyalty_app.errors import NotFound
from loyalty_app.shop import Shop


def register(sub: Any) -> None:
    j = json_parent()
    cust = sub.add_parser("customer", help="add, edit, merge and list customers")
    csub = cust.add_subparsers(dest="customer_command", metavar="ACTION")
    csub.required = True

    p = csub.add_parser("add", parents=[j], help="sign up a customer (a phone is enough)")
    p.add_argument("--phone", action="append", default=[], help="a phone number in any format (repeatable)")
    p.add_argument("--name")
    p.add_argument("--email")
    p.add_argument("--email-consent", action="store_true", help="the customer agreed to marketing email")
    p.add_argument("--card", help="a loyalty card number to attach")
    p.set_defaults(func=cmd_add)

    p = csub.add_parser("edit", parents=[j], help="change a customer's details")
    p.add_argument("query", help="phone, card, name or email of the customer")
    p.add_argument("--name")
    p.add_argument("--email", help="new email ('' to remove)")
    p.add_argument("--add-phone", action="append", default=[])
    p.add_argument("--remove-phone", action="append", default=[])
    p.add_argument("--email-consent", choices=["yes", "no"], help="every type of email at once")
    p.add_argument("--consent", action="append", default=[], metavar="TYPE=yes|no",
                   help="one type: announcements, refills, news, or all (repeatable)")
    p.add_argument("--add-card", nargs="?", const="", default=None, help="attach a card (no number: issue one)")
    p.add_argument("--card-lost", metavar="NUMBER")
    p.add_argument("--notes", help="what the counter should know ('' to clear), at most 500 characters")
    _tag_arguments(p)
    p.set_defaults(func=cmd_edit)

    p = csub.add_parser("merge", parents=[j], help="merge duplicate B into A (owner)")
    p.add_argument("a", help="the customer who stays")
    p.add_argument("b", help="the duplicate that is merged in")
    p.set_defaults(func=cmd_merge)

    p = csub.add_parser("export", parents=[j], help="everything held about a customer (owner)")
    p.add_argument("query")
    p.set_defaults(func=cmd_export)

    p = csub.add_parser("erase", parents=[j], help="erase a customer's personal data; sales stay anonymous (owner)")
    p.add_argument("query")
    p.set_defaults(func=cmd_erase)

    p = csub.add_parser("list", parents=[j], help="list customers")
    p.add_argument("--limit", type=count_arg, default=50)
    p.add_argument("--offset", type=count_arg, default=0)
    p.add_argument("--tag", help="only customers with this tag (any case)")
    p.set_defaults(func=cmd_list)


def cmd_add(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = cashier(shop)
        phones = args.phone
        c = shop.customers.sign_up(phones[0] if phones else None, phones=phones[1:], name=args.name,
                                   email=args.email, email_consent=args.email_consent,
                                   consent_source="command line", card=args.card, actor=actor)
        data = shop.customers.summary(c)
        emit(args, data, f"Signed up #{c.id} {c.name or ''} {', '.join(data.phones)}".replace("  ", " "))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = cashier(shop)
        answers = parse_consent(args.consent)  # a bad type or answer stops before anything is looked up
        c = shop.lookup.find_one(args.query)
        with shop.ctx.write():  # all the changes, or none of them when one is refused
            shop.customers.edit(c.id, name=args.name, email=args.email, notes=args.notes, actor=actor)
            for phone in args.add_phone:
                shop.customers.add_phone(c.id, phone, actor)
            for phone in args.remove_phone:
                shop.customers.remove_phone(c.id, phone, actor)
            if args.email_consent:
                shop.customers.set_email_consent(c.id, args.email_consent == "yes", "command line", actor)
            if answers:
                shop.customers.set_consent(c.id, answers, "command line", actor)
            if args.add_card is not None:
                shop.customers.attach_card(c.id, args.add_card or None, actor)
            if args.card_lost:
                number = validate_card_number(args.card_lost)
                if number not in [k.number for k in shop.customers.cards(c.id)]:
                    raise NotFound(f"card {number} is not one of this customer's cards")
                shop.customers.report_card_lost(number, actor)
            _edit_tags(shop, c.id, args, actor)
        data = shop.customers.summary(shop.customers.get(c.id))
        emit(args, data, f"Updated #{c.id}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = owner(shop, "merging customers")
        a = shop.lookup.find_one(args.a)
        b = shop.lookup.find_one(args.b)
        c = shop.customers.merge(a.id, b.id, actor=who)
        data = shop.customers.summary(c)
        emit(args, data, f"Merged #{b.id} into #{a.id}: balance {c.points_balance}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        found = (shop.notes.customers_tagged(args.tag, args.limit, args.offset) if args.tag is not None
                 else shop.customers.list(args.limit, args.offset))
        rows = [shop.customers.summary(c) for c in found]
        text = "\n".join(_list_line(r) for r in rows)
        if not rows and args.tag is not None:
            text = f"No customer has the tag '{args.tag.strip()}'."
        emit(args, rows, text)
    return 0


def _list_line(r: CustomerSummary) -> str:
    cards = ", ".join(r.cards) or "no card"
    tags = f"  [{', '.join(r.tags)}]" if r.tags else ""
    return f"#{r.id:<6} {r.name or '-':<28} {', '.join(r.phones):<30} {cards:<15} {r.points_balance:>6} pts{tags}"


# -- notes and tags -----------------------------------------------------------------------------------------

def _tag_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--add-tag", action="append", default=[], metavar="TAG",
                   help=f"tag the customer (repeatable; any case, at most {MAX_TAG} characters)")
    p.add_argument("--remove-tag", action="append", default=[], metavar="TAG", help="take a tag off (repeatable)")


def _edit_tags(shop: Shop, customer_id: int, args: argparse.Namespace, actor: Staff | None) -> None:
    """Inside the edit's transaction: a refused tag leaves every other change of the command unsaved too."""
    for tag in args.remove_tag:
        shop.notes.remove_tag(customer_id, tag, actor)
    for tag in args.add_tag:
        shop.notes.add_tag(customer_id, tag, actor)


def cmd_export(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = owner(shop, "exporting a customer's data")
        data = shop.privacy.export_customer(shop.lookup.find_one(args.query).id, actor=who)
        emit(args, data)
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = owner(shop, "erasing a customer")
        c = shop.lookup.find_one(args.query)
        result = shop.privacy.erase_customer(c.id, actor=who)
        emit(args, result, f"Erased the personal data of customer #{c.id}; their sales stay, anonymous.")
    return 0
