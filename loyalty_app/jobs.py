"""Entry points of the background jobs the app runs: plain functions that open their own connection to the
shop, take a cancel flag, and return what the window should tell the owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loyalty_app.backups import daily_backup_if_due
from loyalty_app.errors import LoyaltyError
from loyalty_app.shop import open_shop

Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class StartupReport:
    """What the start-up job found: a damaged file (the message for the owner), or the day's chores done."""

    damaged: str | None = None
    expired_points: int = 0
    backup: Path | None = None
    problem: str | None = None


def startup(path: Path, cancelled: Cancelled = lambda: False) -> StartupReport:
    """At start, off the GUI thread: the quick check of the file; then, only on a sound file, the day's points
    expiry, the daily backup and a rebuild of stale suggestion statistics."""
    try:
        shop = open_shop(path)
    except LoyaltyError as exc:
        return StartupReport(problem=str(exc))
    try:
        damage = shop.quick_check()
        if damage:  # no backup of a damaged file (it would fail, and must not push good ones out)
            return StartupReport(damaged=damage)
        if cancelled():
            return StartupReport()
        expired = shop.points.expire_if_due_today() or {}
        backup = None if cancelled() else daily_backup_if_due(shop)
        status = shop.suggestions.status()
        if not cancelled() and (status["built_at"] is None or status["stale"]):  # e.g. after a big import
            shop.suggestions.rebuild(cancel=cancelled)
        return StartupReport(expired_points=int(expired.get("points", 0)), backup=backup)
    except LoyaltyError as exc:
        return StartupReport(problem=str(exc))
    finally:
        shop.close()
