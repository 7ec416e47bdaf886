"""Entry point of `loyalty`: global options, the command table, and errors as one clear line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from loyalty_app import __version__
from loyalty_app.cli import (
    customer_cmds,
    evaluate_cmds,
    mail_cmds,
    points_cmds,
    product_cmds,
    sale_cmds,
    shop_cmds,
    suggest_cmds,
    sync_cmds,
)
from loyalty_app.errors import LoyaltyError

COMMAND_MODULES = [shop_cmds, customer_cmds, product_cmds, sale_cmds, points_cmds, sync_cmds, suggest_cmds,
                   evaluate_cmds, mail_cmds]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loyalty",
        description="Loyalty Desk from the command line: customers, sales, points, reports, emails.",
    )
    parser.add_argument("--db", metavar="PATH", help="shop database (default: $LOYALTY_DB, else the user data dir)")
    parser.add_argument("--version", action="version", version=f"loyalty-desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except LoyaltyError as exc:
        print(f"loyalty: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("loyalty: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
