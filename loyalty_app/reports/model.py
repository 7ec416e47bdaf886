"""What every report shares: the period in shop days, and the plain 'sheet' that screens, CSV and PDF show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from loyalty_app.clock import to_iso
from loyalty_app.errors import ValidationError
from loyalty_app.i18n import _, format_date, format_day_month, format_month

# Column kinds: text, int, money (cents), percent and change (tenths of a percent: 425 is 42.5%; change shows
# its sign), tenths (25 is 2.5), date, days.
KINDS = ("text", "int", "money", "percent", "change", "tenths", "date", "days")


@dataclass(frozen=True)
class ReportPeriod:
    """Shop-local calendar days ``start`` to ``end`` inclusive, one store (by id) or all stores (None)."""

    start: date
    end: date
    store_id: int | None = None
    store_name: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(f"the period ends ({self.end}) before it starts ({self.start})")
        if (self.end - self.start).days > 366 * 5:
            raise ValidationError("a report covers at most five years")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self, zone: ZoneInfo) -> tuple[str, str]:
        """[lo, hi) in UTC text: the shop's local midnight starting ``start`` to the one after ``end``."""
        return local_midnight(self.start, zone), local_midnight(self.end + timedelta(days=1), zone)

    def previous(self) -> ReportPeriod:
        """The period of equal length just before this one."""
        return ReportPeriod(self.start - timedelta(days=self.days), self.start - timedelta(days=1),
                            self.store_id, self.store_name)

    @property
    def label(self) -> str:
        if self.start == self.end:
            return format_date(self.start)
        return f"{format_date(self.start)} – {format_date(self.end)}"

    @property
    def store_label(self) -> str:
        return self.store_name or _("All stores")


def local_midnight(day: date, zone: ZoneInfo) -> str:
    return to_iso(datetime.combine(day, time(0), tzinfo=zone))


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"


@dataclass(frozen=True)
class ReportTable:
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    empty_text: str = "Nothing in this period."


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: list[int]


@dataclass(frozen=True)
class ReportChart:
    title: str
    kind: str  # bar | line
    categories: list[str]
    series: list[ChartSeries]
    value_kind: str = "int"  # int | money
    stacked: bool = False  # the series are parts of one whole (drawn on top of each other)


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | None
    kind: str = "int"


@dataclass(frozen=True)
class ReportSheet:
    """A report laid out for people: headline figures, tables and charts, with its title and period."""

    key: str
    title: str
    shop_name: str
    currency: str
    period_label: str
    store_label: str
    generated_at: str
    figures: list[Figure]
    tables: list[ReportTable]
    charts: list[ReportChart]
    notes: list[str] = field(default_factory=list)
    generated_local: datetime | None = None  # generated_at in the shop's time zone, for the printed line


@dataclass(frozen=True)
class ReportHeader:
    """Who and when, shared by every report's data."""

    shop_name: str
    currency: str
    period: ReportPeriod
    generated_at: str


def pct10(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in tenths of a percent, rounded half up; None when ``whole`` is zero."""
    if whole == 0:
        return None
    return (part * 2000 + whole) // (2 * whole)


def change_pct10(now: int, before: int) -> int | None:
    """Change from ``before`` to ``now`` in tenths of a percent; None when there was nothing before."""
    if before == 0:
        return None
    diff = (now - before) * 1000
    sign = -1 if diff < 0 else 1
    return sign * ((abs(diff) * 2 + before) // (2 * before))


def buckets(period: ReportPeriod, zone: ZoneInfo, unit: str | None = None) -> list[tuple[str, str, str]]:
    """Chart buckets (label, lo, hi) over the period in shop days: by ``unit`` (day, week, month), or by
    default days up to a month, weeks up to four months, else months."""
    out: list[tuple[str, str, str]] = []
    unit = unit or ("day" if period.days <= 31 else "week" if period.days <= 124 else "month")
    if unit == "day":
        d = period.start
        while d <= period.end:
            out.append((format_day_month(d), local_midnight(d, zone), local_midnight(d + timedelta(days=1), zone)))
            d += timedelta(days=1)
    elif unit == "week":
        d = period.start
        while d <= period.end:
            nxt = min(d + timedelta(days=7), period.end + timedelta(days=1))
            out.append((format_day_month(d), local_midnight(d, zone), local_midnight(nxt, zone)))
            d = nxt
    else:
        d = period.start
        while d <= period.end:
            first_next = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            nxt = min(first_next, period.end + timedelta(days=1))
            out.append((format_month(d), local_midnight(d, zone), local_midnight(nxt, zone)))
            d = nxt
    return out
