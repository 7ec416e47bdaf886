"""Entry point of `loyalty`: global options, the command table, and errors as one clear line."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from loyalty_app import __version__, health
from loyalty_app.cli import (
    backup_cmds,
    card_cmds,
    customer_cmds,
    evaluate_cmds,
    import_cmds,
    mail_cmds,
    points_cmds,
    pos_cmds,
    product_cmds,
    report_cmds,
    sale_cmds,
    settings_cmds,
    shop_cmds,
    suggest_cmds,
    sync_cmds,
)
from loyalty_app.disk_full import DISK_FULL, disk_full_writing, is_disk_full
from loyalty_app.errors import LoyaltyError
from loyalty_app.shop import default_db_path

COMMAND_MODULES = [shop_cmds, customer_cmds, product_cmds, sale_cmds, points_cmds, sync_cmds, suggest_cmds,
                   evaluate_cmds, import_cmds, mail_cmds]
COMMAND_MODULES += [report_cmds, card_cmds, backup_cmds, pos_cmds, settings_cmds]


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistyped command line is one clear line on stderr and exit 1, like every user error."""

    def error(self, message: str) -> NoReturn:
        self.exit(1, f"loyalty: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
        sys.stdout.flush()  # a reader that went away (| head) is met here, not at the interpreter's exit
    except BrokenPipeError:
        return _reader_gone()
    except LoyaltyError as exc:
        print(f"loyalty: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("loyalty: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a file named on the command line that cannot be read or written
        if is_disk_full(exc):
            print(f"loyalty: {disk_full_writing(exc.filename)}", file=sys.stderr)
        else:
            print(f"loyalty: {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""), file=sys.stderr)
        return 1
    except ValueError as exc:
        if "null byte" not in str(exc):
            raise
        print("loyalty: a file name cannot contain a NUL character; nothing was written", file=sys.stderr)
        return 1
    except Exception as exc:
        if is_disk_full(exc):  # SQLite's 'database or disk is full' met outside a sale (a backup, a big sort)
            print(f"loyalty: {DISK_FULL}", file=sys.stderr)
            return 1
        problem = health.explain(exc, Path(args.db) if args.db else default_db_path())
        if problem is None:
            raise
        print(f"loyalty: {problem}", file=sys.stderr)  # a damaged page met mid-command: one line, the way back
        return 1
    return int(result or 0)


def _reader_gone() -> int:
    """Piped into `head`, which read what it wanted and left: stop quietly, as other command-line tools do.
    The rest of our output goes nowhere, so the interpreter's last flush cannot fail with a traceback."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
