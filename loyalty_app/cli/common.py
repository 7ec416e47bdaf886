"""What every command shares: opening the shop, who is acting, printing data as text or JSON."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from loyalty_app.clock import from_iso
from loyalty_app.context import Staff
from loyalty_app.disk_full import file_problem
from loyalty_app.errors import NotFound, PermissionDenied, ValidationError
from loyalty_app.money import format_money, parse_money
from loyalty_app.shop import Shop, default_db_path, default_demo_path, open_shop
from loyalty_app.views import plain


class UsageError(ValidationError):
    """Words on the command line that cannot be acted on."""


def json_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="print the result as JSON")
    return parent


def shop_from_args(args: argparse.Namespace, *, must_exist: bool = True) -> Shop:
    path = Path(args.db) if args.db else default_db_path()
    if must_exist and not path.exists():
        path = _demo_instead(args, path)
    shop = open_shop(path)
    if must_exist and not shop.is_initialised:
        shop.close()
        raise NotFound(f"{path} has no shop yet: run 'loyalty init' first")
    if must_exist:
        shop.start_up()
    return shop


def _demo_instead(args: argparse.Namespace, missing: Path) -> Path:
    """No shop of one's own yet: the commands use the demo shop that `loyalty demo` built (and say so), or
    say which file to pass."""
    demo = default_demo_path()
    if not demo.is_file() or demo == missing:
        raise NotFound(f"no shop database at {missing}: run 'loyalty init' (or 'loyalty demo') first")
    if args.db or os.environ.get("LOYALTY_DB"):
        raise NotFound(f"no shop database at {missing}: pass --db {demo} for the demo shop, "
                       "or run 'loyalty init' first")
    print(f"loyalty: no shop of your own yet, so this is the demo shop ({demo})", file=sys.stderr)
    args.db = str(demo)
    return demo


@contextlib.contextmanager
def opened_shop(args: argparse.Namespace) -> Iterator[Shop]:
    """The shop named by --db (or the default), closed again however the command ends."""
    shop = shop_from_args(args)
    try:
        yield shop
    finally:
        shop.close()


def cashier(shop: Shop) -> Staff | None:
    """The staff member a cashier-level command records: LOYALTY_STAFF if set (no PIN needed)."""
    name = os.environ.get("LOYALTY_STAFF")
    if not name:
        return None
    staff = shop.staff.identify(name)
    shop.ctx.actor = staff
    return staff


def owner(shop: Shop, action: str) -> Staff:
    """The owner, named by LOYALTY_STAFF and proven by LOYALTY_PIN (or a prompt on a terminal)."""
    name = os.environ.get("LOYALTY_STAFF")
    pin = os.environ.get("LOYALTY_PIN")
    if not name:
        raise PermissionDenied(f"{action} needs the owner: set LOYALTY_STAFF (and LOYALTY_PIN) to the owner's name")
    if pin is None:
        if not sys.stdin.isatty():
            raise PermissionDenied(f"{action} needs the owner's PIN: set LOYALTY_PIN")
        pin = getpass.getpass(f"PIN for {name}: ")
    staff = shop.staff.sign_in(name, pin)
    return shop.ctx.require_owner(staff, action)


def emit(args: argparse.Namespace, data: Any, text: str | None = None) -> None:
    """Print ``data`` as JSON with --json, else the human ``text`` (or a readable dump)."""
    if getattr(args, "json", False) or text is None:
        print(json.dumps(plain(data), indent=2, ensure_ascii=False, default=str))
    else:
        print(text)


def parse_price(text: str, currency: str) -> int:
    """A price typed on the command line: exact to the currency's smallest unit (12.345 is refused)."""
    return parse_money(text, currency=currency, exact=True)


MAX_COUNT = 10**9  # a count, limit or offset typed on the command line (far above any shop's rows)
MAX_DAYS = 36_500  # a number of days typed on the command line: a hundred years


def _whole(text: str, high: int, unit: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if abs(n) > high:
        raise argparse.ArgumentTypeError(f"{text} is too large (at most {high:,}{' ' + unit if unit else ''})")
    return n


def count_arg(text: str) -> int:
    """argparse type for a count, limit, offset or id: a whole number up to MAX_COUNT (10^20 is one clear line)."""
    return _whole(text, MAX_COUNT, "")


def days_arg(text: str) -> int:
    """argparse type for a number of days: up to MAX_DAYS."""
    return _whole(text, MAX_DAYS, "days")


def minutes_arg(text: str) -> int:
    """argparse type for a number of minutes: up to MAX_DAYS days of them."""
    return _whole(text, MAX_DAYS * 24 * 60, "minutes")


def parse_item(spec: str) -> tuple[str, int]:
    """'SKU' or 'SKU:QTY' → (SKU, QTY)."""
    code, _, qty = spec.rpartition(":") if ":" in spec else (spec, "", "1")
    code = code.strip()
    if not code:
        raise UsageError(f"'{spec}' is not an item: write SKU or SKU:QTY")
    try:
        n = int(qty)
    except ValueError as exc:
        raise UsageError(f"'{spec}': the quantity after ':' must be a whole number") from exc
    return code, n


def write_output(path: str, data: bytes) -> None:
    """Write a PDF or CSV named on the command line; a failed write leaves no half-written file behind."""
    target = Path(path)
    try:
        target.write_bytes(data)
    except OSError as exc:
        if target.is_file():  # half a PDF is worse than none (and a device such as /dev/full is left alone)
            with contextlib.suppress(OSError):
                target.unlink()
        raise ValidationError(f"cannot write {path}: {file_problem(exc)}") from exc


def money(shop: Shop, cents: int) -> str:
    return format_money(cents, shop.ctx.currency)


def shop_time(shop: Shop, iso: str | None, default: str = "never") -> str:
    """A stored UTC time as the window shows it: in the shop's time zone, to the minute (2026-02-26 12:38)."""
    if not iso:
        return default
    try:
        return f"{from_iso(iso).astimezone(shop.ctx.zone):%Y-%m-%d %H:%M}"
    except ValueError:
        return iso


def shop_date(shop: Shop, iso: str) -> str:
    """The shop's day of a stored UTC time: a sale at 23:30 local time is that day, whatever UTC says."""
    return shop_time(shop, iso)[:10]
