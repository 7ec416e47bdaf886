"""The report summaries keep popular items and customers equal to the figures worked out by hand, whatever
changes the sales: counter sales, a return, an import of older history, a merge, an erasure, an upgrade."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from db import report_sales_queries
from loyalty_app.importers.engine import ImportOptions
from loyalty_app.importers.generic import parse_mapping
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from tests.paths import FIXTURES

UPGRADE_FIXTURE = FIXTURES / "shop-schema-0001.sqlite"


def at(y: int, m: int, d: int, h: int = 18, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=UTC)


@pytest.fixture
def sshop(shop, owner, clock):
    """Los Angeles shop; October 2026 local is [2026-10-01T07:00Z, 2026-11-01T07:00Z). Ada buys on Oct 5 and at
    23:30 on Oct 31 local (Nov 1 in UTC, in the partial UTC day at the end); Bob on Oct 10; someone unknown on
    Oct 12; Carol three times in June, ten days apart (a lapsed regular)."""
    for sku, name, price in [("BAS250", "Basil oil 250 ml", 1450), ("WB250", "White balsamic 250 ml", 1200),
                             ("LEM250", "Lemon oil 250 ml", 1500)]:
        shop.products.add(sku=sku, name=name, price_cents=price, launched_on="2026-01-01", actor=owner)
    ada = shop.customers.sign_up("+14155550101", name="Ada")
    bob = shop.customers.sign_up("+14155550102", name="Bob")
    carol = shop.customers.sign_up("+14155550103", name="Carol")
    sale = shop.sales.record_sale
    for day in (1, 11, 21):
        sale(carol.id, [SaleItem("BAS250")], occurred_at=at(2026, 6, day))
    sale(ada.id, [SaleItem("BAS250", 2)], occurred_at=at(2026, 10, 5))
    shop.bob_sale = sale(bob.id, [SaleItem("BAS250"), SaleItem("WB250", 2)], occurred_at=at(2026, 10, 10, 20))
    sale(None, [SaleItem("LEM250")], occurred_at=at(2026, 10, 12))
    sale(ada.id, [SaleItem("WB250")], occurred_at=at(2026, 11, 1, 6, 30))
    clock.set(at(2026, 11, 2, 18, 30))
    shop.ids = {"ada": ada.id, "bob": bob.id, "carol": carol.id}
    return shop


def october(shop, store=None):
    return shop.reports.period("2026-10-01", "2026-10-31", store)


def popular(shop, owner, store=None):
    r = shop.reports.popular(october(shop, store), actor=owner)
    return {x.sku: (x.units, x.revenue_cents, x.customers, x.prev_units) for x in r.rows}, (
        r.units, r.revenue_cents, r.purchases, r.customers)


def customers(shop, owner, store=None):
    r = shop.reports.customers(october(shop, store), actor=owner)
    return (r.active, r.new, r.returning, r.repeat_customers, r.visits), [(x.name, x.visits) for x in r.lapsed]


def summaries_agree(shop) -> bool:
    return shop.check()["report_summaries"] == []


def test_counter_sales(sshop, owner):
    rows, totals = popular(sshop, owner)
    assert rows == {"BAS250": (3, 4350, 2, 0), "WB250": (3, 3600, 2, 0), "LEM250": (1, 1500, 0, 0)}
    assert totals == (7, 9450, 4, 2)
    figures, lapsed = customers(sshop, owner)
    assert figures == (2, 2, 0, 1, 3)  # both new; Ada came twice
    assert lapsed == [("Carol", 3)]
    r = sshop.reports.customers(october(sshop), actor=owner)
    assert (r.avg_visits_x10, r.avg_basket_cents) == (15, 2650)  # 3 visits / 2; (2900 + 3850 + 1200) / 3
    assert r.chart_new[r.chart_labels.index("Oct 5")] == 1 and r.chart_new[r.chart_labels.index("Oct 10")] == 1
    assert summaries_agree(sshop)


def test_a_sale_in_one_store(sshop, owner):
    sshop.sales.record_sale(sshop.ids["bob"], [SaleItem("LEM250", 3)], occurred_at=at(2026, 10, 20),
                            store="Harbour")
    rows, totals = popular(sshop, owner, "Harbour")
    assert rows == {"LEM250": (3, 4500, 1, 0)} and totals == (3, 4500, 1, 1)
    # New: Bob's first purchase anywhere was in October too (in the other store).
    assert customers(sshop, owner, "Harbour") == ((1, 1, 0, 0, 1), [])
    assert popular(sshop, owner)[1] == (10, 13950, 5, 2)
    assert summaries_agree(sshop)


def test_a_return_takes_units_and_revenue_but_not_the_customer(sshop, owner):
    sshop.sales.return_items(sshop.bob_sale.purchase_id, [("WB250", 1)], occurred_at=at(2026, 10, 20))
    rows, totals = popular(sshop, owner)
    assert rows["WB250"] == (2, 2400, 2, 0)
    assert totals == (6, 8250, 4, 2)
    assert summaries_agree(sshop)


def test_an_import_of_older_history_out_of_order(sshop, owner, tmp_path):
    # Bob's first visit moves back to September; Ada gets a visit between her two October ones.
    csv = tmp_path / "till.csv"
    csv.write_text("Ticket,Sold at,Tel,Article,Ref,Qty,Line total\n"
                   "T-1,2026-09-15 10:00,415-555-0102,Lemon oil 250 ml,LEM250,1,15.00\n"
                   "T-2,2026-10-20 10:00,415-555-0101,Lemon oil 250 ml,LEM250,1,15.00\n", encoding="utf-8")
    mapping = parse_mapping("receipt=Ticket,time=Sold at,phone=Tel,name=Article,sku=Ref,qty=Qty,amount=Line total")
    s = sshop.imports.import_file(csv, ImportOptions(mapping=mapping, report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.rejected, s.customers_created) == (2, 0, 0)
    rows, totals = popular(sshop, owner)
    assert rows["LEM250"] == (2, 3000, 1, 1)  # Ada in October; Bob's is the previous period's unit
    assert totals == (8, 10950, 5, 2)
    figures, lapsed = customers(sshop, owner)
    assert figures == (2, 1, 1, 1, 4)  # Bob returning now
    assert summaries_agree(sshop)


def test_a_merge_counts_the_two_profiles_once(sshop, owner):
    dup = sshop.customers.sign_up("+14155550104", name="Ada again")
    sshop.sales.record_sale(dup.id, [SaleItem("BAS250")], occurred_at=at(2026, 10, 20))  # recorded late
    assert popular(sshop, owner)[0]["BAS250"] == (4, 5800, 3, 0)
    assert customers(sshop, owner)[0] == (3, 3, 0, 1, 4)
    sshop.customers.merge(sshop.ids["ada"], dup.id, actor=owner)
    rows, totals = popular(sshop, owner)
    assert rows["BAS250"] == (4, 5800, 2, 0) and totals == (8, 10900, 5, 2)
    assert customers(sshop, owner)[0] == (2, 2, 0, 1, 4)
    assert summaries_agree(sshop)


def test_an_erasure_keeps_the_sales_and_drops_the_person(sshop, owner):
    before = popular(sshop, owner)
    sshop.privacy.erase_customer(sshop.ids["carol"], actor=owner)
    sshop.privacy.erase_customer(sshop.ids["bob"], actor=owner)
    assert popular(sshop, owner) == before
    assert customers(sshop, owner) == ((2, 2, 0, 1, 3), [])  # Carol is no one to call back now
    assert summaries_agree(sshop)


def test_lapsed_regulars_of_a_long_ago_period_read_the_history_alike(sshop, owner, monkeypatch):
    june = sshop.reports.period("2026-07-01", "2026-07-31")
    by_summary = sshop.reports.customers(june, actor=owner).lapsed
    monkeypatch.setattr(report_sales_queries, "LATER_PURCHASES_MAX", 1)
    assert sshop.reports.customers(june, actor=owner).lapsed == by_summary
    assert [(x.name, x.visits, x.days_since, x.spent_cents) for x in by_summary] == [("Carol", 3, 40, 4350)]


def test_a_summary_that_differs_from_the_sales_is_reported_and_rebuilt(sshop, owner, cli, db_path):
    conn = sshop.ctx.db.conn
    conn.execute("INSERT INTO report_buyers VALUES (0, 1, 1, '2026-10-06T10:00:00Z', NULL, 1)")  # a sale never made
    assert [p.split(":")[0] for p in sshop.check()["report_summaries"]] == ["report_buyers"]
    conn.execute("DELETE FROM report_buyers WHERE at = '2026-10-06T10:00:00Z'")
    conn.execute("UPDATE report_sales_days SET units = units + 1 WHERE product_id = 1")
    conn.commit()
    assert [p.split(":")[0] for p in sshop.check()["report_summaries"]] == ["report_sales_days"]
    sshop.close()
    assert cli("check").code == 1
    assert cli("check", "--rebuild-summaries").code == 0


def test_the_upgrade_backfills_an_existing_shop(tmp_path):
    db = tmp_path / "shop.sqlite"
    shutil.copy(UPGRADE_FIXTURE, db)
    shop = open_shop(db)
    try:
        owner = shop.staff.verify_owner("1234")
        period = shop.reports.period("2026-06-01", "2026-07-31")
        r = shop.reports.popular(period, actor=owner)
        # June 1: two basil oils and a white balsamic returned; July 11: one basil oil.
        assert [(x.sku, x.units, x.revenue_cents, x.customers) for x in r.rows] == [
            ("BAS250", 3, 4350, 1), ("WB250", 0, 0, 1)]
        assert (r.purchases, r.customers) == (2, 1)
        c = shop.reports.customers(period, actor=owner)
        assert (c.active, c.new, c.repeat_customers, c.visits) == (1, 1, 1, 2)
        assert shop.check()["report_summaries"] == []
    finally:
        shop.close()


def test_whole_and_partial_utc_days_split_exactly():
    split = report_sales_queries.summary_days
    assert split("2026-10-01T07:00:00Z", "2026-11-01T07:00:00Z") == ("2026-10-02", "2026-11-01")
    assert split("2026-10-01", "2026-10-03T00:00:00Z") == ("2026-10-01", "2026-10-03")
    assert split("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z") is None  # one UTC day: all from the sales
    assert split("2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z") is None
