"""An injectable clock, so tests control "now"; times are stored as UTC ISO-8601 text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time as an aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


class FixedClock:
    """A clock for tests and the demo builder: stands still until moved."""

    def __init__(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def advance(self, **kwargs: float) -> None:
        self._at = self._at + timedelta(**kwargs)

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)


def to_iso(dt: datetime) -> str:
    """UTC text that sorts as time does: 2026-11-22T20:25:32Z."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: times must carry a time zone")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_user_time(text: str, zone: tzinfo) -> datetime:
    """An ISO time typed by a person; without an offset it is read in the shop's time zone."""
    try:
        dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a date and time like 2026-07-18T12:59:30") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    try:
        return dt.astimezone(UTC)
    except OverflowError as exc:  # 9999-12-31T23:59 west of UTC: past the last date Python can hold
        raise ValueError(f"'{text}' is not a date and time the shop can record") from exc


def shop_date(dt: datetime, zone: ZoneInfo) -> date:
    """The calendar day in the shop's time zone."""
    return dt.astimezone(zone).date()


def add_months(dt: datetime, months: int) -> datetime:
    month0 = dt.month - 1 + months
    year = dt.year + month0 // 12
    month = month0 % 12 + 1
    day = min(dt.day, [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30,
                       31, 31, 30, 31, 30, 31][month - 1])
    return dt.replace(year=year, month=month, day=day)
