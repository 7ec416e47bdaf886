"""`loyalty init`, `demo`, `lookup`, `check`: setting a shop up, finding a customer, checking the data."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.numbers import get_territory_currencies

from loyalty_app.cli.common import count_arg, emit, json_parent, money, opened_shop, shop_date, shop_time
from loyalty_app.customers import Customer
from loyalty_app.errors import Conflict, NotFound, ValidationError
from loyalty_app.first_run import COUNTRIES, country_defaults
from loyalty_app.lookup import CustomerProfile, LookupResult, PurchaseLineView, RefillDueView
from loyalty_app.phones import mask_phone
from loyalty_app.shop import Shop, default_db_path, default_demo_path, open_shop

LIST_LIMIT = 500  # customers listed for four digits: more is no list to pick from


def register(sub: Any) -> None:
    j = json_parent()
    p = sub.add_parser("init", parents=[j], help="create a new shop database")
    p.add_argument("--shop-name", default="My Shop")
    p.add_argument("--region", default="US", help="country for phone numbers (ISO code, e.g. US, GB, DE)")
    p.add_argument("--currency", help="ISO code, e.g. EUR (default: the country's: USD in the US, EUR in DE...)")
    p.add_argument("--time-zone", help="e.g. Europe/Berlin (default: the country's main one; "
                                       "America/Los_Angeles in the US)")
    p.add_argument("--owner-name", default="owner")
    p.add_argument("--owner-pin", help="PIN of the first owner (4-12 digits)")
    p.add_argument("--language", default="en", help="the window's, slips' and emails' language: en, de, fr, es")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", parents=[j], help="build the demo olive-oil shop (never the real database)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--customers", type=int, default=2000)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--force", action="store_true", help="rebuild even if the demo file exists")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("lookup", parents=[j], help="a customer's profile by phone, card, name or email")
    p.add_argument("query")
    p.add_argument("--history", type=count_arg, default=None, metavar="N", help="only the last N purchases")
    p.set_defaults(func=cmd_lookup)

    p = sub.add_parser("check", parents=[j], help="check the database, the ledger, the returns and the report "
                                                   "summaries")
    p.add_argument("--rebuild-summaries", action="store_true",
                   help="first recompute the report summaries from the sales")
    p.set_defaults(func=cmd_check)


def _country_defaults(region: str) -> tuple[str, str]:
    """(currency, time zone) of a shop in ``region`` when `init` is not told: a German shop counts in euros."""
    region = region.upper()
    if region == "US":  # the first shops' default, kept: one US zone is as good a guess as another
        return "USD", "America/Los_Angeles"
    if region in COUNTRIES:
        return country_defaults(region)
    currencies = get_territory_currencies(region) if region.isalpha() and len(region) == 2 else []
    return (currencies[0] if currencies else "USD"), "UTC"


def _ask_owner_pin(name: str) -> str | None:
    """On a terminal, the first owner's PIN is asked for (twice): a shop without an owner cannot get one later."""
    if not sys.stdin.isatty():
        return None
    pin = getpass.getpass(f"PIN for the owner '{name}' (4-12 digits): ")
    if getpass.getpass("The same PIN again: ") != pin:
        raise ValidationError("the two PINs differ; nothing was created")
    return pin


def cmd_init(args: argparse.Namespace) -> int:
    path = Path(args.db) if args.db else default_db_path()
    shop = open_shop(path)
    try:
        if shop.is_initialised:
            raise Conflict(f"{path} already holds the shop '{shop.ctx.shop_name}'")
        pin = args.owner_pin if args.owner_pin is not None else _ask_owner_pin(args.owner_name)
        currency, zone = _country_defaults(args.region)
        shop.initialise(shop_name=args.shop_name, region=args.region, currency=args.currency or currency,
                        time_zone=args.time_zone or zone, owner_name=args.owner_name, owner_pin=pin,
                        language=args.language)
        data = {"db": str(path), "shop_name": shop.ctx.shop_name, "region": shop.ctx.region,
                "currency": shop.ctx.currency, "time_zone": shop.settings["time_zone"],
                "node_id": shop.ctx.node_id, "owner": args.owner_name if pin else None}
        emit(args, data, f"Created shop '{shop.ctx.shop_name}' in {path} ({shop.ctx.region}, {shop.ctx.currency}, "
                         f"{shop.settings['time_zone']})"
                         + ("" if pin else "\nNo owner yet: run 'loyalty init' with --owner-pin on a new file"))
    finally:
        shop.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from loyalty_app.demo import DEMO_OWNER, DEMO_PIN, build_demo

    path = Path(args.db) if args.db else default_demo_path()
    if path == default_db_path() and not args.db:
        raise Conflict("the demo refuses to write the real shop's database")
    if args.force and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    if path.exists() and path.stat().st_size > 0:
        raise Conflict(f"the demo shop already exists in {path}: use it with 'loyalty --db {path} COMMAND' "
                       "(commands use it anyway while there is no shop of your own), or --force to rebuild it")
    stats = build_demo(path, seed=args.seed, customers=args.customers, years=args.years)
    data = {"db": str(path), **stats, "owner": DEMO_OWNER, "owner_pin": DEMO_PIN}
    emit(args, data, (f"Demo shop built in {path}: {stats.get('customers')} customers, "
                      f"{stats.get('purchases')} purchases, {stats.get('lines')} lines.\n"
                      f"Owner: {DEMO_OWNER}, PIN {DEMO_PIN}.  Try: loyalty --db {path} lookup "
                      f"\"{stats.get('sample_phone', '')}\""))
    return 0


def cmd_lookup(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        result = shop.lookup.find(args.query, limit=LIST_LIMIT)
        if result.kind == "last4" and len(result.matches) > 1:
            emit(args, [_match(shop, result, c) for c in result.matches], _matches_text(shop, args.query, result))
            return 0
        if len(result.matches) > 1:  # counted up to LIST_LIMIT, not to the counter's first screenful
            n = len(result.matches)
            names = ", ".join(f"#{c.id} {c.name or ''}".rstrip() for c in result.matches[:5])
            raise NotFound(f"'{args.query}' matches {n}{' or more' if n == LIST_LIMIT else ''} customers "
                           f"({names}); be more precise")
        c = shop.lookup.find_one(args.query)
        profile = shop.lookup.profile(c.id, args.history)
        emit(args, profile, _profile_text(shop, profile, args.history))
    return 0


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    """One of several customers whose phone ends in the digits asked for: enough to pick, no more."""

    id: int
    name: str | None
    phone: str  # masked but its last four digits
    points_balance: int
    last_visit: str | None


def _match(shop: Shop, result: LookupResult, c: Customer) -> PhoneMatch:
    return PhoneMatch(c.id, c.name, mask_phone(result.matched_phones[c.id], shop.ctx.region), c.points_balance,
                      c.last_visit_at)


def _matches_text(shop: Shop, query: str, result: LookupResult) -> str:
    n = len(result.matches)
    out = [f"{'The first ' if n == LIST_LIMIT else ''}{n} customers have a phone ending in {query.strip()}:"]
    for c in result.matches:
        out.append(f"  #{c.id:<6} {c.name or '(no name)':<28} {mask_phone(result.matched_phones[c.id], shop.ctx.region):<18}"
                   f" last visit {shop_time(shop, c.last_visit_at)}")
    out.append(f"Pick one: loyalty lookup \"#{result.matches[0].id}\"")
    return "\n".join(out)


def _refill_text(r: RefillDueView) -> str:
    if r.status == "overdue" and r.days_overdue > 0:
        return f"  refill: {r.name} overdue since {r.due_on} ({r.days_overdue} day{'s' * (r.days_overdue != 1)})"
    return f"  refill: {r.name} due {r.due_on}"


def _line_text(ln: PurchaseLineView) -> str:
    """'Basil oil 250 ml ×2 (1 returned)': a returned unit is not one the customer still has."""
    return f"{ln.name} ×{ln.qty}" + (f" ({ln.returned_qty} returned)" if ln.returned_qty else "")


HISTORY_SHOWN = 10  # purchases the text profile lists unless --history says how many


def _profile_text(shop: Shop, p: CustomerProfile, history: int | None = None) -> str:
    out = [f"{p.name or '(no name)'}  #{p.id}",
           f"  phones: {', '.join(p.phones) or '-'}   cards: {', '.join(p.cards) or '-'}",
           f"  points: {p.points_balance} (worth {money(shop, p.points_value_cents)})   "
           f"last visit: {shop_time(shop, p.last_visit)}"]
    pos_ids = shop.customers.pos_ids(p.id)
    if pos_ids:
        out.append("  POS ids: " + ", ".join(f"pos:{x} ({source})" for source, x in pos_ids))
    if p.tags:
        out.append(f"  tags: {', '.join(p.tags)}")
    if p.notes:
        out.append(f"  notes: {p.notes}")
    if p.last_basket:
        out.append("  last time: " + ", ".join(map(_line_text, p.last_basket)))
    for r in p.refill_due[:5]:
        out.append(_refill_text(r))
    for s in p.suggestions:
        out.append(f"  suggest: {s.name} — {s.reason}")
    shown = p.history if history is not None else p.history[:HISTORY_SHOWN]
    if history is not None:
        out.append(f"  purchases: the latest {len(shown)}")
    elif len(shown) < len(p.history):
        out.append(f"  purchases: {len(p.history)} (the latest {len(shown)} below; --history N lists N)")
    else:
        out.append(f"  purchases: {len(p.history)}")
    for h in shown:
        lines = ", ".join(map(_line_text, h.lines))
        out.append(f"    #{h.purchase_id} {shop_date(shop, h.occurred_at)} {money(shop, h.total_cents)}: {lines}")
    return "\n".join(out)


def cmd_check(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        if args.rebuild_summaries:
            shop.rebuild_report_summaries()
        results = shop.check()
    problems = [f"{name}: {p}" for name, ps in results.items() for p in ps]
    emit(args, {"ok": not problems, "checks": results},
         "All checks passed." if not problems else "\n".join(problems))
    return 1 if problems else 0
