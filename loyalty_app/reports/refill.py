"""Refill: what regulars are due to refill in the next 14 days, by product — what to have on the shelf."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

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

# The suggestions helper's interface: due_customers(today, within_days=14) -> {customer_id: [RefillDue, ...]},
# each RefillDue having product_id, sku, name, due_on (date) and days_overdue (> 0 when already overdue).
DueProvider = Callable[[date, int], Mapping[int, Sequence[Any]]]


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
        cols = [Column("sku", "SKU"), Column("name", "Product"), Column("customers", "Customers due", "int"),
                Column("overdue", "Overdue", "int"), Column("week", "Next 7 days", "int"),
                Column("later", "In 8–14 days", "int")]
        top = self.rows[:TOP_IN_CHART]
        end = self.today + timedelta(days=self.within_days)
        notes = [f"Customers whose usual refill falls between {self.today:%d %b} and {end:%d %b %Y} "
                 "(or who are already overdue), counted once per product. Points and stores do not apply."]
        if not self.available:
            notes.insert(0, "Refill dates are not available in this version.")
        return ReportSheet(
            key="refill", title="Refills due", shop_name=self.header.shop_name, currency=self.header.currency,
            period_label=f"{self.today:%d %b %Y} – {end:%d %b %Y}", store_label="All stores",
            generated_at=generated_at,
            figures=[Figure("Customers due", self.customers), Figure("Products", len(self.rows)),
                     Figure("Refills due", sum(r.customers for r in self.rows))],
            tables=[ReportTable("Due by product", cols, [[r.sku, r.name, r.customers, r.overdue, r.this_week,
                                                          r.next_week] for r in self.rows],
                                "Nobody is due for a refill in the next two weeks." if self.available else
                                "Refill dates are not available in this version.")],
            charts=[ReportChart("Customers due, by product", "bar", [r.name for r in top],
                                [ChartSeries("Overdue", [r.overdue for r in top]),
                                 ChartSeries("Next 7 days", [r.this_week for r in top]),
                                 ChartSeries("In 8–14 days", [r.next_week for r in top])], stacked=True)],
            notes=notes,
        )


def build(header: ReportHeader, today: date, provider: DueProvider | None,
          within_days: int = WITHIN_DAYS) -> RefillReport:
    due = provider(today, within_days) if provider else {}
    acc: dict[int, dict[str, Any]] = {}
    for items in due.values():
        seen: set[int] = set()
        for it in items:
            if it.product_id in seen:
                continue
            seen.add(it.product_id)
            a = acc.setdefault(it.product_id, {"sku": it.sku, "name": it.name, "n": 0, "over": 0, "week": 0,
                                               "later": 0})
            a["n"] += 1
            days_ahead = (it.due_on - today).days
            if it.days_overdue > 0 or days_ahead < 0:
                a["over"] += 1
            elif days_ahead <= 7:
                a["week"] += 1
            else:
                a["later"] += 1
    rows = sorted((RefillRow(pid, a["sku"], a["name"], a["n"], a["over"], a["week"], a["later"])
                   for pid, a in acc.items()), key=lambda r: (-r.customers, r.name))
    return RefillReport(header=header, today=today, within_days=within_days, rows=rows,
                        customers=sum(1 for v in due.values() if v), available=provider is not None)
