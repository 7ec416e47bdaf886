"""What every sale must pass before it is written, wherever it comes from (counter, command line, import):
a time the shop's clock can believe, and lines and totals of a plausible size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from db import sales_queries as q
from loyalty_app.clock import add_months, from_iso
from loyalty_app.context import ShopContext
from loyalty_app.errors import ValidationError
from loyalty_app.limits import FUTURE_DAYS, MAX_CENTS, MAX_POINTS, PAST_YEARS
from loyalty_app.money import format_money


@dataclass(frozen=True)
class TimeWindow:
    """The times a sale or a return may carry: from PAST_YEARS before the shop's first recorded day to
    FUTURE_DAYS after the shop's clock's now."""

    earliest: datetime
    latest: datetime
    first_day: date
    now: datetime
    zone: tzinfo

    def check(self, when: datetime | str, what: str = "the sale's time") -> None:
        """ValidationError when ``when`` (aware, or UTC ISO text) falls outside the window."""
        at = from_iso(when) if isinstance(when, str) else when
        if at > self.latest:
            raise ValidationError(f"{what} {self._local(at)} is more than {_days(FUTURE_DAYS)} ahead of the "
                                  f"shop's clock ({self._local(self.now)}): check the date")
        if at < self.earliest:
            raise ValidationError(f"{what} {self._local(at)} is more than {PAST_YEARS} years before the shop's "
                                  f"first recorded day ({self.first_day.isoformat()}): check the date")

    def _local(self, at: datetime) -> str:
        return at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")


def _days(n: int) -> str:
    return "a day" if n == 1 else f"{n} days"


def time_window(ctx: ShopContext) -> TimeWindow:
    """The window as of now. The first recorded day is the day of the first sale, or the day the shop was set up
    (today for a shop without either), in the shop's time zone."""
    now = ctx.now()
    known = [t for t in (q.get_first_sale_at(ctx.db), ctx.settings.get("created_at")) if t]
    first = min([now, *(from_iso(t) for t in known)])
    first_day = first.astimezone(ctx.zone).date()
    try:
        earliest = add_months(datetime.combine(first_day, time(), ctx.zone), -12 * PAST_YEARS).astimezone(UTC)
    except (ValueError, OverflowError):  # a first day before year 11: nothing earlier can be written anyway
        earliest = datetime.min.replace(tzinfo=UTC)
    return TimeWindow(earliest, now + timedelta(days=FUTURE_DAYS), first_day, now, ctx.zone)


def check_line_amount(cents: int, what: str, currency: str) -> None:
    """A line's amount after quantity and discount (each part already checked) is at most MAX_CENTS."""
    if cents > MAX_CENTS:
        raise ValidationError(f"{what} comes to more than {format_money(MAX_CENTS, currency)}: not a real sale")


def check_totals(subtotal: int, tax: int, most_points: int, currency: str) -> None:
    """A whole sale: its total and the points it can earn fit the limits (ValidationError if not)."""
    if subtotal + tax > MAX_CENTS:
        raise ValidationError(f"this sale comes to more than {format_money(MAX_CENTS, currency)}: not a real sale")
    if most_points > MAX_POINTS:
        raise ValidationError(f"this sale would earn more than {MAX_POINTS:,} points: check the points program")
