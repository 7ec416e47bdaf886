"""Long mail jobs as plain functions (own connection, progress callback, cancel flag) for workers and the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from loyalty_app.clock import Clock
from loyalty_app.context import Staff
from loyalty_app.mail import campaigns, reminders
from loyalty_app.mail.sender import Cancel, Progress, deliver_queued


def announce_and_deliver(path: Path | str, code: str, actor: Staff, exclude: Iterable[int] = (), *,
                         progress: Progress | None = None, cancel: Cancel | None = None,
                         clock: Clock | None = None) -> dict[str, Any]:
    """Queue the product's announcement, then deliver the outbox; returns both summaries."""
    from loyalty_app.shop import open_shop

    shop = open_shop(path, clock=clock)
    try:
        queued = campaigns.announce(shop, code, actor, exclude)
        report = deliver_queued(shop, progress=progress, cancel=cancel)
        return {**queued.as_dict(), "delivery": report.as_dict()}
    finally:
        shop.close()


def refill_and_deliver(path: Path | str, actor: Staff, *, progress: Progress | None = None,
                       cancel: Cancel | None = None, clock: Clock | None = None) -> dict[str, Any]:
    """Queue this cycle's refill reminders, then deliver the outbox."""
    from loyalty_app.shop import open_shop

    shop = open_shop(path, clock=clock)
    try:
        queued = reminders.send_refill(shop, actor)
        report = deliver_queued(shop, progress=progress, cancel=cancel)
        return {**queued.as_dict(), "delivery": report.as_dict()}
    finally:
        shop.close()


def plan_announcement(path: Path | str, code: str, *, progress: Progress | None = None,
                      cancel: Cancel | None = None, clock: Clock | None = None) -> dict[str, Any]:
    """The proposed audience, computed on a worker's own connection (big shops take a moment)."""
    from loyalty_app.shop import open_shop

    shop = open_shop(path, clock=clock)
    try:
        return {"plan": campaigns.plan_announcement(shop, code)}
    finally:
        shop.close()
