"""The owner's reports, behind the owner PIN: each returns plain data and a sheet for screens, CSV and PDF."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from db import settings_queries as sq
from loyalty_app.clock import from_iso
from loyalty_app.context import ShopContext, Staff
from loyalty_app.errors import NotFound, ValidationError
from loyalty_app.i18n import N_, _
from loyalty_app.points_rules import PointsProgram
from loyalty_app.reports import customers as customers_report
from loyalty_app.reports import emails as emails_report
from loyalty_app.reports import points as points_report
from loyalty_app.reports import popular as popular_report
from loyalty_app.reports import refill as refill_report
from loyalty_app.reports.model import ReportHeader, ReportPeriod, ReportSheet

REPORTS = {"popular": N_("Popular items"), "customers": N_("Customers"), "points": N_("Points"),
           "refill": N_("Refills due")}
ALL_REPORTS = {**REPORTS, "emails": N_("Emails")}


def available_reports() -> dict[str, str]:
    """The reports this version can show (the emails report comes with the email campaigns feature)."""
    return {kind: _(title) for kind, title in ALL_REPORTS.items()}


class ReportService:
    def __init__(self, ctx: ShopContext, program: Callable[[], PointsProgram],
                 refill_provider: refill_report.DueProvider | None = None,
                 campaign_results: emails_report.CampaignResults | None = None) -> None:
        self.ctx = ctx
        self._program = program
        self.refill_provider = refill_provider  # the suggestions' kept rhythms (a test may set its own)
        self._campaign_results = campaign_results

    # -- periods -----------------------------------------------------------------------------------------------
    def today(self) -> date:
        return self.ctx.now().astimezone(self.ctx.zone).date()

    def stores(self) -> list[str]:
        return [r["name"] for r in sq.list_stores(self.ctx.db)]

    def period(self, start: date | str | None = None, end: date | str | None = None,
               store: str | None = None) -> ReportPeriod:
        """A period from shop-local dates (text like 2026-11-01 accepted); default: this month so far."""
        today = self.today()
        s = _date(start) if start else today.replace(day=1)
        e = _date(end) if end else today
        store_id = None
        if store and store.strip().lower() not in ("", "all", "all stores"):
            row = sq.get_store_by_name(self.ctx.db, store.strip())
            if row is None:
                names = ", ".join(self.stores()) or "none yet"
                raise NotFound(f"no store called '{store}' (stores: {names})")
            store_id, store = int(row["id"]), row["name"]
        else:
            store = None
        return ReportPeriod(s, e, store_id, store)

    def _header(self, period: ReportPeriod) -> ReportHeader:
        return ReportHeader(self.ctx.shop_name, self.ctx.currency, period, self.ctx.now_iso())

    # -- the reports -------------------------------------------------------------------------------------------
    def popular(self, period: ReportPeriod, *, actor: Staff | None = None) -> popular_report.PopularReport:
        self.ctx.require_owner(actor, "reports")
        lo, hi = period.utc_bounds(self.ctx.zone)
        plo, phi = period.previous().utc_bounds(self.ctx.zone)
        return popular_report.build(self.ctx.db, self._header(period), lo, hi, plo, phi)

    def customers(self, period: ReportPeriod, *, actor: Staff | None = None) -> customers_report.CustomersReport:
        self.ctx.require_owner(actor, "reports")
        lo, hi = period.utc_bounds(self.ctx.zone)
        as_of = min(hi, self.ctx.now_iso())
        return customers_report.build(self.ctx.db, self._header(period), lo, hi, self.ctx.zone, as_of,
                                      self.ctx.region)

    def points(self, period: ReportPeriod, *, actor: Staff | None = None) -> points_report.PointsReport:
        self.ctx.require_owner(actor, "reports")
        program = self._program()
        return points_report.build(self.ctx.db, self._header(period), self.ctx.zone, program, self.today(),
                                   points_report.expiry_text(program))

    def refill(self, period: ReportPeriod | None = None, *, actor: Staff | None = None) -> refill_report.RefillReport:
        self.ctx.require_owner(actor, "reports")
        today = self.today()
        period = period or ReportPeriod(today, today + timedelta(days=refill_report.WITHIN_DAYS))
        return refill_report.build(self._header(period), today, self.refill_provider)

    def run(self, kind: str, period: ReportPeriod, *, actor: Staff | None = None) -> tuple[Any, ReportSheet]:
        """The report's data and its sheet."""
        if kind == "emails":
            self.ctx.require_owner(actor, "reports")
            sheet = self._local(emails_report.build(self.ctx, period, self._campaign_results))
            return sheet, sheet
        builders: dict[str, Callable[..., Any]] = {"popular": self.popular, "customers": self.customers,
                                                   "points": self.points, "refill": self.refill}
        if kind not in builders:
            raise ValidationError(f"unknown report '{kind}': choose one of {', '.join(ALL_REPORTS)}")
        data = builders[kind](period, actor=actor)
        return data, self._local(data.sheet(self.ctx.now_iso()))

    def _local(self, sheet: ReportSheet) -> ReportSheet:
        """The sheet with the shop's own time of its making, which the PDF prints."""
        return dataclasses.replace(sheet, generated_local=from_iso(sheet.generated_at).astimezone(self.ctx.zone))

    def sheet(self, kind: str, period: ReportPeriod, *, actor: Staff | None = None) -> ReportSheet:
        return self.run(kind, period, actor=actor)[1]


def as_plain(data: Any) -> Any:
    """Report data as JSON-ready dicts and lists (dates as ISO text)."""
    def conv(v: Any) -> Any:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {f.name: conv(getattr(v, f.name)) for f in dataclasses.fields(v)}
        if isinstance(v, list | tuple):
            return [conv(x) for x in v]
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, date):
            return v.isoformat()
        return v
    return conv(data)


def _date(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationError(f"'{value}' is not a date like 2026-11-01") from exc


__all__ = ["REPORTS", "ALL_REPORTS", "available_reports", "ReportService", "ReportPeriod", "ReportSheet", "as_plain"]
