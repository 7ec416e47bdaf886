"""Loyverse connection against a real HTTP server: receipts newest first, refunds, 31 days, the export afterwards."""

from __future__ import annotations

import pytest

from loyalty_app.importers.engine import ImportOptions, import_file
from tests.pos_servers import FakeLoyverse

T1, T2, T3 = "2026-11-02T10:00:00.000Z", "2026-11-02T11:00:00.000Z", "2026-11-02T12:00:00.000Z"


@pytest.fixture
def loyverse(httpserver, shop, owner, monkeypatch):
    fake = FakeLoyverse(httpserver)
    monkeypatch.setenv("LOYVERSE_TOKEN", fake.token)
    shop.pos.connect("loyverse", "till", token_env="LOYVERSE_TOKEN", api_base=fake.base, since="2026-11-01",
                     actor=owner)
    shop.pos.sleep = lambda s: fake.requests.append({"slept": s})
    fake.customers["LC-EVE"] = {"name": "Eve Park", "email": "eve@example.com", "phone_number": "+14155550150"}
    fake.customers["LC-MAIL"] = {"name": "Mo", "email": "mo@example.com", "phone_number": None}
    return fake


def purchases(shop):
    return [tuple(r) for r in shop.ctx.db.conn.execute(
        "SELECT external_id, customer_id, subtotal_cents, points_earned FROM purchases ORDER BY occurred_at, id")]


def clean(shop):
    assert shop.check() == {k: [] for k in shop.check()}


def test_receipts_newest_first_refund_on_an_earlier_page_than_its_sale(shop, loyverse):
    loyverse.receipt("1-1001", T1, [("BAS250", "Basil olive oil 250 ml", 2, "14.50")], customer="LC-EVE")
    loyverse.receipt("1-1002", T2, [("LEM250", "Lemon olive oil", 1, "15.00")], customer="LC-MAIL")
    loyverse.receipt("1-1003", T3, [("BAS250", "Basil olive oil 250 ml", 1, "14.50")], kind="REFUND",
                     refund_for="1-1001", customer="LC-EVE")
    [s] = shop.pos.pull()
    assert (s.status, s.pages, s.sales_applied, s.returns_applied, s.rejected) == ("done", 2, 2, 1, 0)
    eve = shop.lookup.find_one("(415) 555-0150")
    mo = shop.lookup.find_one("mo@example.com")  # a customer with only an email is kept
    assert purchases(shop) == [("1-1001", eve.id, 2900, 29), ("1-1002", mo.id, 1500, 15)]
    assert shop.customers.get(eve.id).points_balance == 29 - 14
    assert s.watermark == "2026-11-02T12:00:00Z"
    [again] = shop.pos.pull()
    assert (again.sales_applied, again.returns_applied) == (0, 0)
    assert loyverse.asked_from[-1] == "2026-11-02T11:55:00Z"  # the watermark, less five minutes
    clean(shop)


def test_failure_on_page_two_watermark_waits_for_the_whole_pull(shop, loyverse):
    for i, t in enumerate((T1, T2, T3), 1):
        loyverse.receipt(f"1-100{i}", t, [("BAS250", "Basil olive oil 250 ml", 1, "14.50")], customer="LC-EVE")
    loyverse.fail_on_page = {2: 503}
    [s] = shop.pos.pull()
    assert s.status == "failed" and "HTTP 503" in s.error and s.watermark is None
    assert [p[0] for p in purchases(shop)] == ["1-1002", "1-1003"]  # the newest page went in
    [s2] = shop.pos.pull()
    assert (s2.status, s2.sales_applied) == ("done", 1)
    assert [p[0] for p in purchases(shop)] == ["1-1001", "1-1002", "1-1003"]
    assert shop.customers.get(shop.lookup.find_one("eve@example.com").id).points_balance == 42
    clean(shop)


def test_older_than_31_days_is_said(shop, owner, loyverse, cli, monkeypatch):
    shop.pos.connect("loyverse", "old", token_env="LOYVERSE_TOKEN", api_base=loyverse.base, since="2026-09-01",
                     actor=owner)
    [status] = shop.pos.status("old")
    assert status.warnings == [
        "Loyverse's API serves only the last 31 days of receipts without its paid add-on: receipts from 2026-09-01 "
        "to 2026-10-02 may be missing; import them from Loyverse's receipts-by-item export with 'loyalty import "
        "FILE' (nothing is counted twice)"]
    [s] = shop.pos.pull("old")
    assert s.warnings == status.warnings


RECEIPTS_CSV = (
    "Date,Receipt number,Receipt type,Category,SKU,Item,Variant,Modifiers applied,Quantity,Gross sales,Discounts,"
    "Net sales,Cost of goods,Gross profit,Taxes,Dining option,POS,Store,Cashier name,Customer name,"
    "Customer contacts,Comment,Status\n"
    "11/2/26 2:00 AM,1-1001,Sale,,BAS250,Basil olive oil 250 ml,,,2,29.00,0.00,29.00,,,0.00,,POS 1,Harbour shop,"
    "Sam,Eve Park,\"+1 415 555 0150, eve@example.com\",,Closed\n"
    "11/2/26 4:00 AM,1-1003,Refund,,BAS250,Basil olive oil 250 ml,,,-1,-14.50,0.00,-14.50,,,0.00,,POS 1,"
    "Harbour shop,Sam,Eve Park,\"+1 415 555 0150\",,Closed\n"
    "10/30/26 9:00 AM,1-0999,Sale,,LEM250,Lemon olive oil,,,1,15.00,0.00,15.00,,,0.00,,POS 1,Harbour shop,"
    "Sam,Eve Park,\"+1 415 555 0150\",,Closed\n")


def test_export_after_a_pull_and_pull_after_an_export_count_once(shop, loyverse, tmp_path):
    loyverse.receipt("1-1001", T1, [("BAS250", "Basil olive oil 250 ml", 2, "14.50")], customer="LC-EVE")
    loyverse.receipt("1-1003", T3, [("BAS250", "Basil olive oil 250 ml", 1, "14.50")], kind="REFUND",
                     refund_for="1-1001", customer="LC-EVE")
    shop.pos.pull()
    f = tmp_path / "receipts-by-item.csv"
    f.write_text(RECEIPTS_CSV, encoding="utf-8")
    s = import_file(shop, f, ImportOptions(report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.duplicates, s.returns_imported, s.rejected) == (1, 2, 0, 0)
    eve = shop.lookup.find_one("eve@example.com")
    assert shop.customers.get(eve.id).points_balance == 29 - 14 + 15
    # The reverse: a receipt imported from the export first is linked by the next pull, not written again.
    loyverse.receipt("1-0999", "2026-10-30T16:00:00.000Z", [("LEM250", "Lemon olive oil", 1, "15.00")],
                     customer="LC-EVE", updated="2026-11-02T13:00:00.000Z")
    [p] = shop.pos.pull()
    assert (p.sales_adopted, p.sales_applied) == (1, 0)
    assert shop.customers.get(eve.id).points_balance == 30
    assert len(purchases(shop)) == 2
    clean(shop)
