"""Owner reports checked against figures worked out by hand on a small shop with a sale near local midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from loyalty_app.errors import NotFound, PermissionDenied, ValidationError
from loyalty_app.points_rules import PointsProgram
from loyalty_app.sales import SaleItem
from loyalty_app.suggestions.results import DueSummary, DueTally


def at(y: int, m: int, d: int, h: int = 18, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=UTC)


@pytest.fixture
def rshop(shop, owner, clock):
    """Los Angeles shop. October 2026 (local) holds Ada's 23:30 sale on Oct 31, which is Nov 1 in UTC;
    her 23:30 sale on Sep 30 is Oct 1 in UTC and belongs to September."""
    add = shop.products.add
    for sku, name, price in [("BAS250", "Basil oil 250 ml", 1450), ("BAS500", "Basil oil 500 ml", 2500),
                             ("WB250", "White balsamic 250 ml", 1200), ("LEM250", "Lemon oil 250 ml", 1500),
                             ("OLD", "Old stock", 900)]:
        add(sku=sku, name=name, price_cents=price, launched_on="2026-01-01", actor=owner, refill_days=30)
    ada = shop.customers.sign_up("+14155550101", name="Ada")
    bob = shop.customers.sign_up("+14155550102", name="Bob")
    carol = shop.customers.sign_up("+14155550103", name="Carol")
    sale = shop.sales.record_sale
    clock.set(at(2026, 8, 1))
    shop.points.adjust(ada.id, 100, "welcome back", actor=owner)
    clock.set(at(2026, 11, 2, 18, 30))  # the sales are recorded after the fact (none may be dated ahead of now)
    sale(ada.id, [SaleItem("BAS250")], occurred_at=at(2026, 8, 15))
    sale(ada.id, [SaleItem("BAS250")], occurred_at=at(2026, 10, 1, 6, 30))  # Sep 30, 23:30 local
    sale(ada.id, [SaleItem("BAS250", 2)], occurred_at=at(2026, 10, 5))
    sale(ada.id, [SaleItem("WB250")], occurred_at=at(2026, 11, 1, 6, 30), redeem_points=100)  # Oct 31 local
    bob_sale = sale(bob.id, [SaleItem("BAS500"), SaleItem("WB250", 2)], occurred_at=at(2026, 10, 10, 20))
    shop.sales.return_items(bob_sale.purchase_id, [("WB250", 1)], occurred_at=at(2026, 10, 20))
    sale(None, [SaleItem("LEM250")], occurred_at=at(2026, 10, 12))
    for day in (1, 11, 21):
        sale(carol.id, [SaleItem("BAS250")], occurred_at=at(2026, 6, day))
    shop.ids = {"ada": ada.id, "bob": bob.id, "carol": carol.id}
    return shop


def october(shop):
    return shop.reports.period("2026-10-01", "2026-10-31")


def test_popular_items_in_shop_days_with_change_and_slow_movers(rshop, owner):
    r = rshop.reports.popular(october(rshop), actor=owner)
    got = [(x.sku, x.units, x.revenue_cents, x.customers, x.prev_units, x.units_change_pct10) for x in r.rows]
    assert got == [
        ("BAS250", 2, 2900, 1, 1, 1000),  # the Sep 30 23:30 sale counts in September: +100%
        ("BAS500", 1, 2500, 1, 0, None),
        ("WB250", 2, 2400, 2, 0, None),  # Ada's Oct 31 23:30 sale + Bob's 2 less 1 returned
        ("LEM250", 1, 1500, 0, 0, None),  # anonymous
    ]
    assert (r.units, r.revenue_cents, r.purchases, r.customers) == (6, 9300, 4, 2)
    assert r.prev_revenue_cents == 1450
    assert r.slow_movers[0].sku == "OLD" and r.slow_movers[0].units == 0
    sheet = r.sheet("2026-11-02T18:30:00Z")
    assert {f.label: f.value for f in sheet.figures}["Revenue change"] == 5414  # +541.4%
    assert sheet.charts[0].categories[0] == "Basil oil 250 ml"


def test_popular_items_for_one_store(rshop, owner):
    rshop.sales.record_sale(None, [SaleItem("OLD", 3)], occurred_at=at(2026, 10, 3), store="Harbour")
    harbour = rshop.reports.popular(rshop.reports.period("2026-10-01", "2026-10-31", "Harbour"), actor=owner)
    assert [(x.sku, x.units) for x in harbour.rows] == [("OLD", 3)]
    everywhere = rshop.reports.popular(october(rshop), actor=owner)
    assert everywhere.units == 9
    with pytest.raises(NotFound, match="no store called 'Nowhere'"):
        rshop.reports.period("2026-10-01", "2026-10-31", "Nowhere")


def test_customers_report(rshop, owner):
    r = rshop.reports.customers(october(rshop), actor=owner)
    assert (r.active, r.new, r.returning) == (2, 1, 1)  # Bob is new; Ada came before
    assert r.repeat_rate_pct10 == 500  # Ada came twice in October (Oct 5 and Oct 31 local)
    assert r.avg_visits_x10 == 15
    assert r.avg_basket_cents == 3000  # (2900 + 1200 + 4900) / 3
    assert r.chart_new[r.chart_labels.index("Oct 10")] == 1
    assert r.chart_returning[r.chart_labels.index("Oct 5")] == 1
    [carol] = r.lapsed
    assert (carol.name, carol.phone, carol.visits) == ("Carol", "(415) 555-0103", 3)
    assert (carol.usual_interval_days, carol.days_since, carol.last_visit) == (10, 132, date(2026, 6, 21))


def test_points_liability_and_monthly_flows(rshop, owner):
    r = rshop.reports.points(october(rshop), actor=owner)
    # Ada 100 + 14 + 14 + 29 - 100 + 7 = 64; Bob 49 - 12 returned = 37; Carol 3 × 14 = 42.
    assert (r.outstanding_points, r.customers) == (143, 3)
    assert r.outstanding_value_cents == 715  # 100 points = $5
    assert r.ageing == []  # points never expire
    [oct_] = r.flows
    assert (oct_.label, oct_.earned, oct_.redeemed, oct_.other) == ("Oct 2026", 85, 100, -12)


def test_points_aged_by_expiry_date_first_in_first_out(rshop, owner):
    rshop.points.set_program(PointsProgram(expiry_mode="after_earning", expiry_months=6), actor=owner)
    r = rshop.reports.points(october(rshop), actor=owner)
    ages = {a.label: a.points for a in r.ageing}
    # Carol's June credits expire in December (29, 39 and 49 days); everything else in 91–180 days.
    assert ages == {"Within 30 days": 14, "In 31–90 days": 28, "In 91–180 days": 101, "In 181–365 days": 0,
                    "Later": 0}
    assert sum(ages.values()) == r.outstanding_points


def test_refill_report_lists_products_by_customers_due(rshop, owner):
    today = date(2026, 11, 2)
    bas = rshop.products.find("BAS250")
    wb = rshop.products.find("WB250")

    def provider(day, within):
        assert (day, within) == (today, 14)
        return DueSummary(2, [DueTally(bas.id, "BAS250", bas.name, 1, 0, 1), DueTally(wb.id, "WB250", wb.name, 0, 1, 0)])

    rshop.reports.refill_provider = provider
    r = rshop.reports.refill(actor=owner)
    assert [(x.sku, x.customers, x.overdue, x.this_week, x.next_week) for x in r.rows] == [
        ("BAS250", 2, 1, 0, 1), ("WB250", 1, 0, 1, 0)]
    assert r.customers == 2 and r.available


def test_reports_are_for_the_owner_only(rshop):
    sam = rshop.staff.sign_in("sam", "1111")
    for kind in ("popular", "customers", "points", "refill"):
        with pytest.raises(PermissionDenied, match="needs the owner"):
            rshop.reports.run(kind, october(rshop), actor=sam)
    rshop.ctx.actor = None
    with pytest.raises(PermissionDenied):
        rshop.reports.popular(october(rshop))


def test_period_rules(rshop):
    with pytest.raises(ValidationError, match="ends"):
        rshop.reports.period("2026-10-31", "2026-10-01")
    with pytest.raises(ValidationError, match="not a date"):
        rshop.reports.period("31/10/2026", "2026-11-01")
    p = rshop.reports.period()
    assert (p.start, p.end) == (date(2026, 11, 1), date(2026, 11, 2))
    assert p.previous().end == date(2026, 10, 31)


def test_points_not_yet_written_off_show_as_due_now(rshop, owner):
    rshop.points.set_program(PointsProgram(expiry_mode="after_earning", expiry_months=4), actor=owner)
    r = rshop.reports.points(october(rshop), actor=owner)
    ages = {a.label: a.points for a in r.ageing}
    assert ages["Due now (expiry not yet run)"] == 42  # Carol's June points passed their date in October
    # Ada's Aug 15 and Sep 30 credits expire Dec 15 and Jan 31 (43 and 90 days); the rest in 95–119 days.
    assert (ages["Within 30 days"], ages["In 31–90 days"], ages["In 91–180 days"]) == (0, 28, 73)
    assert sum(ages.values()) == 143


def test_points_aged_by_inactivity(rshop, owner):
    rshop.points.set_program(PointsProgram(expiry_mode="inactivity", expiry_months=6), actor=owner)
    r = rshop.reports.points(october(rshop), actor=owner)
    ages = {a.label: a.points for a in r.ageing}
    # Carol last came on Jun 21 (expires Dec 21: 49 days); Ada on Oct 31 and Bob on Oct 10 (159–180 days).
    assert ages == {"Within 30 days": 0, "In 31–90 days": 42, "In 91–180 days": 101, "In 181–365 days": 0,
                    "Later": 0}
