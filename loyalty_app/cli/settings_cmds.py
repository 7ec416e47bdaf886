"""`loyalty settings`: the shop's settings, and its language (owner)."""

from __future__ import annotations

import argparse
from typing import Any

from loyalty_app import i18n
from loyalty_app.cli.common import emit, json_parent, opened_shop, owner
from loyalty_app.money import format_money


def register(sub: Any) -> None:
    p = sub.add_parser("settings", parents=[json_parent()], help="the shop's settings; --language changes its "
                                                                  "language (owner)")
    p.add_argument("--language", choices=list(i18n.LANGUAGES), help="the window's (from its next start), slips', "
                                                                    "cards', reports' and emails' language")
    p.set_defaults(func=cmd_settings)


def cmd_settings(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        if args.language:
            shop.set_language(args.language, actor=owner(shop, "changing the language"))
        ctx = shop.ctx
        data = {"shop_name": ctx.shop_name, "region": ctx.region, "currency": ctx.currency,
                "time_zone": ctx.settings.get("time_zone", "UTC"), "language": ctx.language,
                "locale": str(i18n.current_locale())}
        emit(args, data, "\n".join([
            f"Shop:      {ctx.shop_name}", f"Country:   {ctx.region}", f"Currency:  {ctx.currency}",
            f"Time zone: {data['time_zone']}",
            f"Language:  {i18n.LANGUAGES[ctx.language]} ({ctx.language}); money reads "
            f"{format_money(114900, ctx.currency)}"]))
    return 0
