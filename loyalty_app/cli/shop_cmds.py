"""`loyalty init`, `demo`, `lookup`, `check`: setting a shop up, finding a customer, checking the data."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loyalty_app.cli.common import count_arg, emit, json_parent, money, opened_shop, shop_date, shop_time
from loyalty_app.customers import Customer
from loyalty_app.errors import Conflict
from loyalty_app.lookup import CustomerProfile, LookupResult, RefillDueView
from loyalty_app.phones import mask_phone
from loyalty_app.shop import Shop, default_db_path, default_demo_path, open_shop

LIST_LIMIT = 500  # customers listed for four digits: more is no list to pick from


def register(sub: Any) -> None:
    j = json_parent()
    p = sub.add_parser("init", parents=[j], help="create a new shop database")
    p.add_argument("--shop-name", default="My Shop")
    p.add_argument("--region", default="US", help="country for phone numbers (ISO code, e.g. US, GB, DE)")
    p.add_argument("--currency", default="USD")
    p.add_argument("--time-zone", default="America/Los_Angeles")
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


def cmd_init(args: argparse.Namespace) -> int:
    path = Path(args.db) if args.db else default_db_path()
    shop = open_shop(path)
    try:
        if shop.is_initialised:
            raise Conflict(f"{path} already holds the shop '{shop.ctx.shop_name}'")
        shop.initialise(shop_name=args.shop_name, region=args.region, currency=args.currency,
                        time_zone=args.time_zone, owner_name=args.owner_name, owner_pin=args.owner_pin,
                        language=args.language)
        data = {"db": str(path), "shop_name": shop.ctx.shop_name, "region": shop.ctx.region,
                "currency": shop.ctx.currency, "time_zone": shop.settings["time_zone"],
                "node_id": shop.ctx.node_id, "owner": args.owner_name if args.owner_pin else None}
        emit(args, data, f"Created shop '{shop.ctx.shop_name}' in {path}"
                         + ("" if args.owner_pin else "\nNo owner yet: run 'loyalty init' with --owner-pin on a new file"))
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
        c = shop.lookup.find_one(args.query)
        profile = shop.lookup.profile(c.id, args.history)
        emit(args, profile, _profile_text(shop, profile))
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


def _profile_text(shop: Shop, p: CustomerProfile) -> str:
    out = [f"{p.name or '(no name)'}  #{p.id}",
           f"  phones: {', '.join(p.phones) or '-'}   cards: {', '.join(p.cards) or '-'}",
           f"  points: {p.points_balance} (worth {money(shop, p.points_value_cents)})   "
           f"last visit: {shop_time(shop, p.last_visit)}"]
    if p.tags:
        out.append(f"  tags: {', '.join(p.tags)}")
    if p.notes:
        out.append(f"  notes: {p.notes}")
    if p.last_basket:
        out.append("  last time: " + ", ".join(f"{ln.name} ×{ln.qty}" for ln in p.last_basket))
    for r in p.refill_due[:5]:
        out.append(_refill_text(r))
    for s in p.suggestions:
        out.append(f"  suggest: {s.name} — {s.reason}")
    out.append(f"  purchases: {len(p.history)}")
    for h in p.history[:10]:
        lines = ", ".join(f"{ln.name} ×{ln.qty}" for ln in h.lines)
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
