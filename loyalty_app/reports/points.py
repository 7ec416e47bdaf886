"""Points: what the program owes (outstanding points and their value), aged by expiry; earned vs redeemed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from db import report_queries as rq
from loyalty_app.clock import add_months, to_iso
from loyalty_app.i18n import _, format_date
from loyalty_app.points_rules import PointsProgram
from loyalty_app.reports.model import (
    ChartSeries,
    Column,
    Figure,
    ReportChart,
    ReportHeader,
    ReportSheet,
    ReportTable,
    buckets,
)

# Ageing buckets: expiring within this many days from today (the last one is 'later').
AGE_LIMITS = [(30, "Within 30 days"), (90, "In 31–90 days"), (180, "In 91–180 days"), (365, "In 181–365 days")]


@dataclass(frozen=True)
class AgeBucket:
    label: str
    points: int
    value_cents: int


@dataclass(frozen=True)
class FlowRow:
    label: str
    earned: int
    redeemed: int
    expired: int
    other: int


@dataclass(frozen=True)
class PointsReport:
    header: ReportHeader
    as_of: date
    customers: int  # holding points
    outstanding_points: int
    outstanding_value_cents: int  # the liability
    expiry_rule: str
    ageing: list[AgeBucket]  # empty when points never expire
    flows: list[FlowRow]

    def sheet(self, generated_at: str) -> ReportSheet:
        p = self.header.period
        age_cols = [Column("when", _("Expiring")), Column("points", _("Points"), "int"),
                    Column("value", _("Value"), "money")]
        flow_cols = [Column("month", _("Month")), Column("earned", _("Earned"), "int"),
                     Column("redeemed", _("Redeemed"), "int"), Column("expired", _("Expired"), "int"),
                     Column("other", _("Adjustments"), "int")]
        tables = [ReportTable(_("Earned and redeemed by month"), flow_cols,
                              [[f.label, f.earned, f.redeemed, f.expired, f.other] for f in self.flows])]
        if self.ageing:
            tables.insert(0, ReportTable(_("Outstanding points by expiry date"), age_cols,
                                         [[a.label, a.points, a.value_cents] for a in self.ageing]))
        return ReportSheet(
            key="points", title=_("Points"), shop_name=self.header.shop_name, currency=self.header.currency,
            period_label=p.label, store_label=p.store_label, generated_at=generated_at,
            figures=[Figure(_("Outstanding points"), self.outstanding_points),
                     Figure(_("Their value (owed)"), self.outstanding_value_cents, "money"),
                     Figure(_("Customers holding points"), self.customers)],
            tables=tables,
            charts=[ReportChart(_("Points earned and redeemed by month"), "bar", [f.label for f in self.flows],
                                [ChartSeries(_("Earned"), [f.earned for f in self.flows]),
                                 ChartSeries(_("Redeemed"), [f.redeemed for f in self.flows])])],
            notes=[_("Outstanding points are as of {day}, for all stores (points are shop-wide). Expiry: {rule}.")
                   .format(day=format_date(self.as_of), rule=self.expiry_rule)],
        )


def expiry_text(program: PointsProgram) -> str:
    """The program's expiry rule in words, for the report's note."""
    if program.expiry_mode == "after_earning":
        return _("points expire {months} months after they are earned").format(months=program.expiry_months)
    if program.expiry_mode == "inactivity":
        return _("points expire after {months} months without a visit").format(months=program.expiry_months)
    return _("points never expire")


def _age_after_earning(db: Any, today: date, program: PointsProgram, zone: ZoneInfo) -> list[AgeBucket]:
    """Held points by when they expire: each bucket's end, moved back by the expiry months, is an earning
    cut-off; what is held from before each cut-off gives the buckets by difference."""
    months = program.expiry_months
    ends = [0] + [limit for limit, _ in AGE_LIMITS]  # 0: already due (the daily expiry job has not run yet)
    cutoffs = [to_iso(add_months(datetime.combine(today + timedelta(days=d + 1), time(0), tzinfo=zone), -months))
               for d in ends]
    held = [p for p, _ in rq.list_held_earned_before(db, cutoffs)]
    total = int(rq.get_points_outstanding(db)["points"])
    parts = [held[0]] + [held[i] - held[i - 1] for i in range(1, len(held))] + [total - held[-1]]
    labels = ["Due now (expiry not yet run)"] + [label for _, label in AGE_LIMITS] + ["Later"]
    return [AgeBucket(label, pts, program.value_of(pts)) for label, pts in zip(labels, parts, strict=True)
            if pts or label != labels[0]]


def _age_inactivity(db: Any, today: date, program: PointsProgram, zone: ZoneInfo) -> list[AgeBucket]:
    sums = [0] * (len(AGE_LIMITS) + 2)  # …, later, never visited
    for r in rq.list_balances_by_last_visit(db):
        points = int(r["points"])
        if r["day"] is None:
            sums[-1] += points
            continue
        noon = datetime.fromisoformat(r["day"] + "T12:00:00+00:00")
        days = (add_months(noon, program.expiry_months).astimezone(zone).date() - today).days
        idx = next((i for i, (limit, _) in enumerate(AGE_LIMITS) if days <= limit), len(AGE_LIMITS))
        sums[idx] += points
    labels = [label for _, label in AGE_LIMITS] + ["Later", "No expiry date (never visited)"]
    return [AgeBucket(label, pts, program.value_of(pts)) for label, pts in zip(labels, sums, strict=True)
            if pts or label != labels[-1]]


def build(db: Any, header: ReportHeader, zone: ZoneInfo, program: PointsProgram, today: date,
          rule_text: str) -> PointsReport:
    out = rq.get_points_outstanding(db)
    ageing: list[AgeBucket] = []
    if program.expiry_mode == "after_earning":
        ageing = _age_after_earning(db, today, program, zone)
    elif program.expiry_mode == "inactivity":
        ageing = _age_inactivity(db, today, program, zone)
    period = header.period
    bks = buckets(period, zone, "month")
    by_label = {r["label"]: r for r in rq.list_ledger_flows(db, bks, period.store_id)}
    flows = [FlowRow(label, *(int(by_label.get(label, {}).get(k) or 0)
                              for k in ("earned", "redeemed", "expired", "other"))) for label, _lo, _hi in bks]
    points = int(out["points"])
    return PointsReport(header=header, as_of=today, customers=int(out["customers"]), outstanding_points=points,
                        outstanding_value_cents=program.value_of(points), expiry_rule=rule_text, ageing=ageing,
                        flows=flows)

