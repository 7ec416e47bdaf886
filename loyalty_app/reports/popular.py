"""Popular items: units, revenue and customers per product, against the previous period; slow movers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db import report_queries as rq
from db import report_sales_queries as sales_q
from loyalty_app.i18n import _
from loyalty_app.reports.model import (
    ChartSeries,
    Column,
    Figure,
    ReportChart,
    ReportHeader,
    ReportSheet,
    ReportTable,
    change_pct10,
)

TOP_IN_CHART = 10
SLOW_MOVERS = 10


@dataclass(frozen=True)
class PopularRow:
    product_id: int
    sku: str
    name: str
    category: str | None
    units: int
    revenue_cents: int
    customers: int
    prev_units: int
    prev_revenue_cents: int
    units_change_pct10: int | None  # None: nothing sold in the previous period


@dataclass(frozen=True)
class PopularReport:
    header: ReportHeader
    rows: list[PopularRow]  # best sellers first (by revenue)
    slow_movers: list[PopularRow]  # active products launched before the period, fewest units first
    units: int
    revenue_cents: int
    purchases: int
    customers: int
    prev_units: int
    prev_revenue_cents: int

    def sheet(self, generated_at: str) -> ReportSheet:
        cols = [Column("sku", _("SKU")), Column("name", _("Product")), Column("category", _("Category")),
                Column("units", _("Units"), "int"), Column("revenue", _("Revenue"), "money"),
                Column("customers", _("Customers"), "int"), Column("prev_units", _("Units before"), "int"),
                Column("change", _("Change"), "change")]

        def line(r: PopularRow) -> list[Any]:
            change: int | str | None = r.units_change_pct10
            if change is None and r.units:
                change = _("new")
            return [r.sku, r.name, r.category or "", r.units, r.revenue_cents, r.customers, r.prev_units, change]

        top = self.rows[:TOP_IN_CHART]
        chart = ReportChart(_('Top {count} by revenue').format(count=len(top)), "bar", [r.name for r in top],
                            [ChartSeries(_("Revenue"), [r.revenue_cents for r in top])], "money")
        p = self.header.period
        return ReportSheet(
            key="popular", title=_("Popular items"), shop_name=self.header.shop_name, currency=self.header.currency,
            period_label=p.label, store_label=p.store_label, generated_at=generated_at,
            figures=[Figure(_("Units sold"), self.units), Figure(_("Revenue"), self.revenue_cents, "money"),
                     Figure(_("Revenue change"), change_pct10(self.revenue_cents, self.prev_revenue_cents), "change"),
                     Figure(_("Purchases"), self.purchases), Figure(_("Customers"), self.customers)],
            tables=[ReportTable(_("Best sellers"), cols, [line(r) for r in self.rows]),
                    ReportTable(_("Slow movers"), cols, [line(r) for r in self.slow_movers],
                                _("Every product sold well."))],
            charts=[chart],
            notes=[_("Revenue is after line discounts and returns, before points discounts and tax. "
                   "Change compares units with the previous period of the same length.")],
        )


def build(db: Any, header: ReportHeader, lo: str, hi: str, prev_lo: str, prev_hi: str) -> PopularReport:
    store = header.period.store_id
    now = {r["product_id"]: r for r in sales_q.list_product_sales(db, lo, hi, store)}
    before = {r["product_id"]: r for r in sales_q.list_product_sales(db, prev_lo, prev_hi, store, customers=False)}
    products = {r["id"]: r for r in rq.list_products_for_report(db)}

    def row(pid: int) -> PopularRow:
        p, n, b = products[pid], now.get(pid, {}), before.get(pid, {})
        units, prev = int(n.get("units") or 0), int(b.get("units") or 0)
        return PopularRow(pid, p["sku"], p["name"], p["category"], units, int(n.get("revenue_cents") or 0),
                          int(n.get("customers") or 0), prev, int(b.get("revenue_cents") or 0),
                          change_pct10(units, prev))

    rows = sorted((row(pid) for pid in now), key=lambda r: (-r.revenue_cents, -r.units, r.name))
    start = header.period.start.isoformat()
    candidates = [row(pid) for pid, p in products.items()
                  if p["active"] and (p["launched_on"] or "") < start]
    slow = sorted(candidates, key=lambda r: (r.units, r.revenue_cents, r.name))[:SLOW_MOVERS]
    totals = sales_q.get_purchase_totals(db, lo, hi, store)
    return PopularReport(
        header=header, rows=rows, slow_movers=slow,
        units=sum(r.units for r in rows), revenue_cents=sum(r.revenue_cents for r in rows),
        purchases=int(totals["purchases"]), customers=int(totals["customers"]),
        prev_units=sum(int(b["units"] or 0) for b in before.values()),
        prev_revenue_cents=sum(int(b["revenue_cents"] or 0) for b in before.values()),
    )
