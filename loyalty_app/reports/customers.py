"""Customers: active, new, returning, repeat rate, visits and basket; lapsed regulars to call back."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from db import report_sales_queries as sales_q
from loyalty_app.clock import from_iso
from loyalty_app.i18n import _
from loyalty_app.phones import display_phone
from loyalty_app.reports.model import (
    ChartSeries,
    Column,
    Figure,
    ReportChart,
    ReportHeader,
    ReportSheet,
    ReportTable,
    buckets,
    pct10,
)

REGULAR_VISITS = 3  # a regular has come at least this many times
CALL_BACK_LIMIT = 200


@dataclass(frozen=True)
class LapsedRegular:
    customer_id: int
    name: str | None
    phone: str | None  # as people write it in the shop's country
    email: str | None
    visits: int
    last_visit: date  # shop day
    usual_interval_days: int
    days_since: int
    spent_cents: int


@dataclass(frozen=True)
class CustomersReport:
    header: ReportHeader
    active: int
    new: int
    returning: int
    repeat_customers: int  # came twice or more in the period
    repeat_rate_pct10: int | None
    visits: int  # purchases by identified customers
    avg_visits_x10: int | None  # visits per active customer, in tenths
    avg_basket_cents: int | None
    chart_labels: list[str]
    chart_new: list[int]
    chart_returning: list[int]
    lapsed: list[LapsedRegular]

    def sheet(self, generated_at: str) -> ReportSheet:
        p = self.header.period
        cols = [Column("name", _("Customer")), Column("phone", _("Phone")), Column("visits", _("Visits"), "int"),
                Column("last", _("Last visit"), "date"), Column("usual", _("Usual gap (days)"), "days"),
                Column("since", _("Days since"), "days"), Column("spent", _("Spent in all"), "money")]
        rows = [[r.name or _("Customer #{number}").format(number=r.customer_id), r.phone or "", r.visits, r.last_visit.isoformat(),
                 r.usual_interval_days, r.days_since, r.spent_cents] for r in self.lapsed]
        avg_visits = None if self.avg_visits_x10 is None else self.avg_visits_x10
        return ReportSheet(
            key="customers", title=_("Customers"), shop_name=self.header.shop_name, currency=self.header.currency,
            period_label=p.label, store_label=p.store_label, generated_at=generated_at,
            figures=[Figure(_("Active customers"), self.active), Figure(_("New"), self.new),
                     Figure(_("Returning"), self.returning), Figure(_("Repeat rate"), self.repeat_rate_pct10, "percent"),
                     Figure(_("Visits per customer"), avg_visits, "tenths"),
                     Figure(_("Average basket"), self.avg_basket_cents, "money")],
            tables=[ReportTable(_("Lapsed regulars to call back"), cols, rows, _("No regular is overdue."))],
            charts=[ReportChart(_("Customers by first visit in the period"), "bar", self.chart_labels,
                                [ChartSeries(_("New"), self.chart_new), ChartSeries(_("Returning"), self.chart_returning)],
                                stacked=True)],
            notes=[_("New: first purchase ever in this period. Repeat rate: share of active customers who came "
                   "twice or more. Lapsed regulars: customers with 3 or more visits whose time since the last "
                   "visit is more than twice their usual interval, as of the end of the period.")],
        )


def build(db: Any, header: ReportHeader, lo: str, hi: str, zone: ZoneInfo, as_of: str,
          region: str = "US") -> CustomersReport:
    period = header.period
    rows = sales_q.list_first_visits(db, lo, hi, period.store_id)
    bks = buckets(period, zone)
    new_counts = [0] * len(bks)
    ret_counts = [0] * len(bks)
    his = [b[2] for b in bks]
    new = repeat = 0
    for first_in_range, is_new, again in rows:
        new += is_new
        repeat += again
        i = bisect_right(his, first_in_range)  # the first bucket ending after it
        (new_counts if is_new else ret_counts)[i] += 1
    active = len(rows)
    totals = sales_q.get_purchase_totals(db, lo, hi, period.store_id, customers=False)
    member_purchases = int(totals["member_purchases"])
    visits = member_purchases  # every visit in the period by an identified customer
    lapsed = [
        LapsedRegular(r["customer_id"], r["name"], display_phone(r["phone"], region) if r["phone"] else None,
                      r["email"], r["visits"],
                      from_iso(r["last_at"]).astimezone(zone).date(), round(r["interval_days"]),
                      int(r["days_since"]), r["spent_cents"])
        for r in sales_q.list_lapsed_regulars(db, as_of, period.store_id, REGULAR_VISITS, CALL_BACK_LIMIT)
    ]
    return CustomersReport(
        header=header, active=active, new=new, returning=active - new, repeat_customers=repeat,
        repeat_rate_pct10=pct10(repeat, active), visits=visits,
        avg_visits_x10=None if not active else (visits * 20 + active) // (2 * active),
        avg_basket_cents=None if not member_purchases else
        (int(totals["member_subtotal_cents"]) * 2 + member_purchases) // (2 * member_purchases),
        chart_labels=[b[0] for b in bks], chart_new=new_counts, chart_returning=ret_counts, lapsed=lapsed,
    )
