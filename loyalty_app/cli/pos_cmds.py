"""`loyalty pos connect|pull|attach|status`: live Square, Shopify and Loyverse connections."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from loyalty_app.cli.common import (
    UsageError,
    cashier,
    emit,
    json_parent,
    money,
    opened_shop,
    owner,
    shop_time,
)
from loyalty_app.pos.model import PullSummary
from loyalty_app.pos.views import ConnectionStatus
from loyalty_app.shop import Shop


def register(sub: Any) -> None:
    j = json_parent()
    pos = sub.add_parser("pos", help="live connections to the shop's POS (Square, Shopify, Loyverse)")
    psub = pos.add_subparsers(dest="pos_command", metavar="ACTION")
    psub.required = True
    p = psub.add_parser("connect", parents=[j], help="connect a POS with its access token (owner)")
    p.add_argument("kind", choices=["square", "shopify", "loyverse"], help="which POS")
    p.add_argument("--name", required=True, help="a name for this connection, e.g. till")
    p.add_argument("--token-env", metavar="VAR", help="read the access token from this environment variable "
                                                      "(cron, tests) instead of the system keyring")
    p.add_argument("--api-base", metavar="URL", help="another server than the POS's own (tests, proxies)")
    p.add_argument("--location", metavar="ID", help="Square: only this location's orders")
    p.add_argument("--shop", metavar="DOMAIN", help="Shopify: the shop's domain, e.g. olive-vine.myshopify.com")
    p.add_argument("--since", metavar="DATE", help="the first pull starts here (default: the last sale imported "
                                                   "from this POS's files, else 30 days back)")
    p.set_defaults(func=cmd_connect)
    p = psub.add_parser("pull", parents=[j], help="take in the orders changed at the POS since the last pull")
    p.add_argument("--name", help="only this connection")
    p.set_defaults(func=cmd_pull)
    p = psub.add_parser("attach", parents=[j], help="give an anonymous recent POS order to a customer")
    p.add_argument("--order", required=True, metavar="POS_ORDER_ID", help="the POS's order id or number")
    p.add_argument("--customer", required=True, metavar="QUERY", help="phone, card, name or email")
    p.set_defaults(func=cmd_attach)
    p = psub.add_parser("status", parents=[j], help="each connection: how far it is, its last pull, problems")
    p.set_defaults(func=cmd_status)


def cmd_connect(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = owner(shop, "connecting a POS")
        token = None
        if not args.token_env:
            if not sys.stdin.isatty():
                raise UsageError("give the access token with --token-env VAR (no terminal to ask on)")
            token = getpass.getpass(f"{args.kind.capitalize()} access token (kept in the system keyring): ")
        status = shop.pos.connect(args.kind, args.name, token=token, token_env=args.token_env,
                                  api_base=args.api_base, location=args.location, shop_domain=args.shop,
                                  since=args.since, actor=who)
        emit(args, status, f"Connected {status.kind} as '{status.name}' ({status.api_base}); the first "
                           f"pull starts at {status.since}." + "".join(f"\nNote: {w}" for w in status.warnings))
    return 0


def _pull_text(shop: Shop, s: PullSummary) -> str:
    head = (f"{s.connection} ({s.kind}): {s.orders_seen} orders read in {s.pages} pages; {s.sales_applied} new "
            f"sales, {s.sales_reapplied} edited, {s.sales_adopted} already imported, {s.returns_applied} returns, "
            f"{s.cancelled} cancelled, {s.unchanged} unchanged, {s.rejected} rejected; {s.customers_created} "
            f"customers created; points +{s.points_awarded} / -{s.points_reversed}; pulled up to "
            f"{s.watermark or 'nothing yet'}")
    extra = [f"  note: {w}" for w in s.warnings] + [f"  rejected: {p}" for p in s.problems]
    return "\n".join([head, *extra])


def cmd_pull(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        cashier(shop)
        results = shop.pos.pull(args.name)
        emit(args, results, "\n".join(_pull_text(shop, r) for r in results))
        failed = [r for r in results if r.status == "failed"]
        for r in failed:
            print(f"loyalty: {r.connection}: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def cmd_attach(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        who = cashier(shop)
        customer = shop.lookup.find_one(args.customer)
        r = shop.pos.attach(args.order, customer.id, actor=who)
        emit(args, r, f"POS order {r.order} is now {r.customer or 'customer #' + str(r.customer_id)}'s: "
                      f"+{r.points_earned} points, balance {r.points_balance}.")
    return 0


def _status_text(shop: Shop, rows: list[ConnectionStatus]) -> str:
    if not rows:
        return "No POS connected: 'loyalty pos connect square|shopify|loyverse --name NAME'."
    out = []
    for r in rows:
        out.append(f"{r.name} ({r.kind}, {r.api_base}, token from the {r.token}): pulled up to "
                   f"{r.pulled_up_to or 'nothing yet'} (from {r.since}); last pull {shop_time(shop, r.last_pull_at)}"
                   f" {r.last_status or ''}{' (resumes mid-way)' if r.resuming else ''}; {r.sales} sales, "
                   f"{r.returns} returns, {r.rejected} rejected")
        if r.last_error:
            out.append(f"  last error: {r.last_error}")
        out += [f"  note: {w}" for w in r.warnings]
        out += [f"  rejected {o['kind']} {o['pos_order_id']}: {o['reason']}" for o in r.rejected_orders]
    recent = shop.pos.recent_anonymous()
    if recent:
        out.append("Recent POS orders without a customer (loyalty pos attach --order ID --customer QUERY):")
        out += [f"  {o.pos_order_id}  {shop_time(shop, o.occurred_at, '-')}  {money(shop, o.total_cents)}" for o in recent]
    return "\n".join(out)


def cmd_status(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        rows = shop.pos.status()
        emit(args, {"connections": rows, "recent_anonymous": shop.pos.recent_anonymous()}, _status_text(shop, rows))
    return 0
