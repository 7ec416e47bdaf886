"""`loyalty suggest show|basket|due|audience|rebuild|status`: suggestions and refill reminders from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from loyalty_app.cli.common import count_arg, days_arg, emit, json_parent, opened_shop, owner, shop_time


def register(sub: Any) -> None:
    j = json_parent()
    sug = sub.add_parser("suggest", help="suggestions, refill due dates, new-product audiences, statistics")
    ssub = sug.add_subparsers(dest="suggest_command", metavar="ACTION")
    ssub.required = True

    p = ssub.add_parser("show", parents=[j], help="a customer's refill due dates and up to three suggestions")
    p.add_argument("query", help="phone, card, name or email")
    p.add_argument("--basket", nargs="*", default=[], metavar="SKU", help="what is in the current sale")
    p.set_defaults(func=cmd_show)

    p = ssub.add_parser("basket", parents=[j], help="what completes a basket")
    p.add_argument("skus", nargs="+", metavar="SKU")
    p.add_argument("--customer", help="phone, card, name or email of the customer, if known")
    p.set_defaults(func=cmd_basket)

    p = ssub.add_parser("due", parents=[j], help="customers with a refill due (reminder candidates)")
    p.add_argument("--within", type=days_arg, default=0, metavar="DAYS", help="also what falls due in the next DAYS")
    p.set_defaults(func=cmd_due)

    p = ssub.add_parser("audience", parents=[j], help="customers a (new) product suits, best first")
    p.add_argument("sku")
    p.add_argument("--limit", type=count_arg, default=50)
    p.set_defaults(func=cmd_audience)

    p = ssub.add_parser("rebuild", parents=[j], help="rebuild the co-purchase statistics (owner)")
    p.add_argument("--retune", action="store_true", help="also re-tune the blend now (else weekly)")
    p.set_defaults(func=cmd_rebuild)

    p = ssub.add_parser("status", parents=[j], help="when the statistics were built and how far behind they are")
    p.set_defaults(func=cmd_status)


def cmd_show(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        c = shop.lookup.find_one(args.query)
        refills = shop.suggestions.refill_due(c.id)
        suggestions = shop.suggestions.for_customer(c.id, args.basket)
        data = {"customer_id": c.id, "name": c.name, "refill_due": refills,
                "suggestions": suggestions}
        lines = [f"#{c.id} {c.name or ''}".rstrip(), "Refill:"]
        lines += [f"  {rd.status:<8} {rd.due_on}  {rd.name}: {rd.reason}" for rd in refills] or ["  (none yet)"]
        lines.append("Suggest:")
        lines += [f"  {s.kind:<10} {s.name}: {s.reason}" for s in suggestions] or ["  (nothing today)"]
        emit(args, data, "\n".join(lines))
    return 0


def cmd_basket(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        cid = shop.lookup.find_one(args.customer).id if args.customer else None
        found = shop.suggestions.complete_basket(args.skus, cid)
        emit(args, found,
             "\n".join(f"{s.kind:<10} {s.name}: {s.reason}" for s in found) or "nothing to add")
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        due = shop.suggestions.due_customers(within_days=args.within)
        order = shop.suggestions.reminder_order(due)
        data = [{"customer_id": c, "refill_due": due[c]} for c in order]
        text = "\n".join(f"#{c}: " + "; ".join(f"{rd.name} ({rd.status}, {rd.due_on})" for rd in due[c])
                         for c in order)
        emit(args, data, text or "nobody is due")
    return 0


def cmd_audience(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        product = shop.products.find(args.sku)
        members = shop.suggestions.new_product_audience(product.id)
        data = {"product": product.sku, "customers": len(members),
                "audience": [{"customer_id": m.customer_id, "score": m.score, "reason": m.reason}
                             for m in members[:args.limit]]}
        names = {m.customer_id: shop.customers.get(m.customer_id).name for m in members[:args.limit]}
        text = f"{len(members)} customers suit {product.name}\n" + "\n".join(  # a name to call them by
            f"  #{m.customer_id:<8} {names[m.customer_id] or '(no name)':<28} {m.score:>8.3f}  {m.reason}"
            for m in members[:args.limit])
        emit(args, data, text)
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        owner(shop, "rebuilding the suggestion statistics")

        def progress(done: int, total: int) -> None:
            if not args.json and sys.stderr.isatty():
                print(f"\r{done}/{total} lines", end="", file=sys.stderr, flush=True)

        result = shop.suggestions.rebuild(progress, retune=args.retune)
        emit(args, result, f"Rebuilt from {result.lines} lines in {result.seconds} s: "
                           f"{result.pairs} product pairs, {result.rhythms} rhythms")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        st = shop.suggestions.status()
        emit(args, st, f"built {shop_time(shop, st.built_at)}; {st.purchases_behind} purchases since"
                       + ("; rebuild recommended" if st.stale else ""))
    return 0
