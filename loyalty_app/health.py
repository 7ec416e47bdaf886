"""Is the shop's file sound? The quick check the app runs at start-up, the full one behind `loyalty check`,
and the one line a person reads when it is not (what is wrong and which backup brings the shop back)."""

from __future__ import annotations

from pathlib import Path

from db import backup as dbb
from db import check_queries
from db.sqlite_errors import is_damage
from loyalty_app.context import ShopContext
from loyalty_app.errors import LoyaltyError, ShopDamaged


def damaged(path: Path, detail: str) -> ShopDamaged:
    """The refusal for a damaged file: one line, naming the latest good backup and the command to restore it."""
    return ShopDamaged(f"{path} is damaged ({_first_problem(detail)}); nothing was changed." + dbb.way_back(path))


def _first_problem(detail: str) -> str:
    """SQLite's check lists every bad page over several lines, under a '*** in database main ***' heading: the
    first one says enough."""
    lines = [ln.strip() for ln in detail.replace("*** in database main ***", "").splitlines() if ln.strip()]
    first = lines[0] if lines else detail.strip()
    return first if len(first) <= 120 else first[:117] + "..."


def quick_check(ctx: ShopContext, path: Path) -> str | None:
    """SQLite's quick check of every page (seconds even on a big shop): None when sound, else what to tell the
    owner."""
    problems = check_queries.integrity_problems(ctx.db, quick=True)
    return str(damaged(path, problems[0])) if problems else None


def require_sound(ctx: ShopContext, path: Path) -> None:
    """The full integrity check; a damaged file raises ShopDamaged (the other checks would read garbage)."""
    problems = check_queries.integrity_problems(ctx.db)
    if problems:
        raise damaged(path, problems[0])


def explain(exc: BaseException, path: Path) -> LoyaltyError | None:
    """A storage error that escaped a command, said for a person (None when it is not one of those)."""
    if is_damage(exc):
        return damaged(path, str(exc))
    return None
