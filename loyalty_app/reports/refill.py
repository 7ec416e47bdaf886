"""Refill: what regulars are due to refill in the next 14 days, by product — what to have on the shelf."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from loyalty_app.i18n import _, format_date
from loyalty_app.reports.model import (
    ChartSeries,
    Column,
    Figure,
    ReportChart,
    ReportHeader,
    ReportSheet,
    ReportTable,
)

WITHIN_DAYS = 14
TOP_IN_CHART = 10

# The suggestions interface: due_summary(today, within_days=14) -> an object with ``customers`` (how many have
# anything due) and ``products``: for each product, (product_id, sku, name, overdue, this_week, later) counts of
# customers already past their date, due within 7 days, and due in 8 to 14 days.
DueProvider = Callable[[date, int], Any]


@dataclass(frozen=True)
class RefillRow:
    product_id: int
    sku: str
    name: str
    customers: int  # due now or within the window
    overdue: int  # of which already past their date
    this_week: int  # due today to 7 days ahead (not overdue)
    next_week: int  # due 8 to 14 days ahead


@dataclass(frozen=True)
class RefillReport:
    header: ReportHeader
    today: date
    within_days: int
    rows: list[RefillRow]
    customers: int
    available: bool  # False when refill dates are not computed in this version

    def sheet(self, generated_at: str) -> ReportSheet:
        cols = [Column("sku", _("SKU")), Column("name", _("Product")), Column("customers", _("Customers due"), "int"),
                Column("overdue", _("Overdue"), "int"), Column("week", _("Next 7 days"), "int"),
                Column("later", _("In 8–14 days"), "int")]
        top = self.rows[:TOP_IN_CHART]
        end = self.today + timedelta(days=self.within_days)
        notes = [_("Customers whose usual refill falls between {start} and {end} (or who are already overdue), "
                   "counted once per product. Points and stores do not apply.").format(
                       start=format_date(self.today), end=format_date(end))]
        if not self.available:
            notes.insert(0, _("Refill dates are not available in this version."))
        return ReportSheet(
            key="refill", title=_("Refills due"), shop_name=self.header.shop_name, currency=self.header.currency,
            period_label=f"{format_date(self.today)} – {format_date(end)}", store_label=_("All stores"),
            generated_at=generated_at,
            figures=[Figure(_("Customers due"), self.customers), Figure(_("Products"), len(self.rows)),
                     Figure(_("Refills due"), sum(r.customers for r in self.rows))],
            tables=[ReportTable(_("Due by product"), cols, [[r.sku, r.name, r.customers, r.overdue, r.this_week,
                                                          r.next_week] for r in self.rows],
                                "Nobody is due for a refill in the next two weeks." if self.available else
                                "Refill dates are not available in this version.")],
            charts=[ReportChart(_("Customers due, by product"), "bar", [r.name for r in top],
                                [ChartSeries(_("Overdue"), [r.overdue for r in top]),
                                 ChartSeries(_("Next 7 days"), [r.this_week for r in top]),
                                 ChartSeries(_("In 8–14 days"), [r.next_week for r in top])], stacked=True)],
            notes=notes,
        )


def build(header: ReportHeader, today: date, provider: DueProvider | None,
          within_days: int = WITHIN_DAYS) -> RefillReport:
    if provider is None:
        return RefillReport(header=header, today=today, within_days=within_days, rows=[], customers=0,
                            available=False)
    due = provider(today, within_days)
    rows = sorted((RefillRow(pid, sku, name, over + week + later, over, week, later)
                   for pid, sku, name, over, week, later in due.products if over + week + later),
                  key=lambda r: (-r.customers, r.name))
    return RefillReport(header=header, today=today, within_days=within_days, rows=rows, customers=due.customers,
                        available=True)
