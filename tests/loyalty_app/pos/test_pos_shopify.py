"""Shopify connection (Admin GraphQL) against a real HTTP server: pages, throttling, refunds, email-only customers."""

from __future__ import annotations

import pytest

from loyalty_app.importers.engine import ImportOptions, import_file
from tests.pos_servers import THROTTLED, FakeShopify

T1, T2, T3 = "2026-11-02T10:00:00Z", "2026-11-02T11:00:00Z", "2026-11-02T12:00:00Z"
ADA = {"id": "gid://shopify/Customer/7", "email": "Ada@Example.com", "phone": "+14155550132",
       "firstName": "Ada", "lastName": "Lovelace"}
EMAIL_ONLY = {"id": "gid://shopify/Customer/8", "email": "bea@example.com", "phone": None, "firstName": None,
              "lastName": None}


@pytest.fixture
def shopify(httpserver, shop, owner, monkeypatch):
    fake = FakeShopify(httpserver)
    monkeypatch.setenv("SHOPIFY_TOKEN", fake.token)
    shop.pos.connect("shopify", "web", token_env="SHOPIFY_TOKEN", api_base=fake.base, since="2026-11-01",
                     actor=owner)
    shop.pos.sleep = lambda s: fake.requests.append({"slept": s})
    return fake


def purchases(shop):
    return [tuple(r) for r in shop.ctx.db.conn.execute(
        "SELECT external_id, customer_id, subtotal_cents, points_earned FROM purchases ORDER BY id")]


def clean(shop):
    assert shop.check() == {k: [] for k in shop.check()}


def test_pages_followed_amounts_from_decimal_strings_email_only_customer_kept(shop, shopify):
    shopify.order(1001, T1, [("BAS250", "Basil olive oil - 250ml", 2, 1450)], customer=ADA)
    shopify.order(1002, T2, [(None, "Gift wrap", 1, 350)])
    shopify.order(1003, T3, [("LEM250", "Lemon oil", 1, 1599)], customer=EMAIL_ONLY)
    [s] = shop.pos.pull()
    assert (s.status, s.pages, s.sales_applied, s.customers_created) == ("done", 2, 3, 2)
    assert shopify.queries[0] == "updated_at:>='2026-11-01T00:00:00Z'"
    ada = shop.lookup.find_one("415 555 0132")
    bea = shop.lookup.find_one("bea@example.com")
    assert (ada.email, bea.name, shop.customers.phones(bea.id)) == ("ada@example.com", None, [])
    assert purchases(shop) == [("#1001", ada.id, 2900, 29), ("#1002", None, 350, 0), ("#1003", bea.id, 1599, 15)]
    basil = shop.products.find("BAS250")
    assert (basil.family, basil.size) == ("Basil olive oil", "250 ml")
    assert shop.products.find("10020").name == "Gift wrap"  # no SKU: filed by the variant id
    clean(shop)


def test_order_discount_spread_and_refund_reverses_its_lines(shop, shopify):
    shopify.order(1001, T1, [("BAS250", "Basil oil", 2, 1450), ("LEM250", "Lemon oil", 1, 1500)], customer=ADA,
                  subtotal=4000)
    shop.pos.pull()
    ada = shop.lookup.find_one("ada@example.com")
    assert purchases(shop) == [("#1001", ada.id, 4000, 40)]
    shopify.order(1001, T1, [("BAS250", "Basil oil", 2, 1450), ("LEM250", "Lemon oil", 1, 1500)], customer=ADA,
                  subtotal=4000, updated=T3, refunds=[(55, T2, [(0, 1)])])
    [s] = shop.pos.pull()
    assert (s.returns_applied, s.sales_reapplied, s.points_reversed) == (1, 0, 13)
    assert shop.customers.get(ada.id).points_balance == 27
    rows = [tuple(r) for r in shop.ctx.db.conn.execute("SELECT external_id, points_reversed FROM returns")]
    assert rows == [("#1001:refund:55", 13)]
    clean(shop)


def test_throttled_answer_waited_out(shop, shopify):
    shopify.order(1001, T1, [("BAS250", "Basil oil", 1, 1450)])
    shopify.fail_next = [(200, {}, THROTTLED), (429, {"Retry-After": "3"}, "{}")]
    [s] = shop.pos.pull()
    assert s.sales_applied == 1
    assert [r["slept"] for r in shopify.requests if "slept" in r] == [4.0, 3.0]


def test_401_says_what_to_do(shop, shopify, monkeypatch):
    shopify.order(1001, T1, [("BAS250", "Basil oil", 1, 1450)])
    monkeypatch.setenv("SHOPIFY_TOKEN", "wrong")
    [s] = shop.pos.pull()
    assert s.status == "failed"
    assert s.error == ("Shopify refused the access token (HTTP 401); nothing was changed: make a new Admin API "
                       "access token (read_orders, read_customers) in the Shopify admin and run 'loyalty pos "
                       "connect shopify' again")
    assert purchases(shop) == []


def test_cancelled_order_takes_back_its_points(shop, shopify):
    shopify.order(1001, T1, [("BAS250", "Basil oil", 2, 1450)], customer=ADA)
    shop.pos.pull()
    shopify.order(1001, T1, [("BAS250", "Basil oil", 2, 1450)], customer=ADA, updated=T2, cancelled=T2)
    [s] = shop.pos.pull()
    assert (s.cancelled, s.points_reversed) == (1, 29)
    assert shop.customers.get(shop.lookup.find_one("ada@example.com").id).points_balance == 0
    clean(shop)


ORDERS_CSV = (
    "Name,Email,Financial Status,Paid at,Created at,Subtotal,Taxes,Lineitem quantity,Lineitem name,Lineitem price,"
    "Lineitem sku,Billing Name,Phone,Cancelled at,Location\n"
    "#1001,ada@example.com,refunded,2026-11-02 10:00:00 +0000,2026-11-02 10:00:00 +0000,29.00,0.00,2,Basil oil,"
    "14.50,BAS250,Ada Lovelace,,,Harbour\n"
    "#1004,ada@example.com,paid,2026-10-30 10:00:00 +0000,2026-10-30 10:00:00 +0000,15.00,0.00,1,Lemon oil,"
    "15.00,LEM250,Ada Lovelace,,,Harbour\n")


def test_export_imported_after_a_pull_counts_nothing_twice(shop, shopify, tmp_path):
    shopify.order(1001, T1, [("BAS250", "Basil oil", 2, 1450)], customer=ADA, updated=T2,
                  refunds=[(55, T2, [(0, 2)])])
    shop.pos.pull()
    ada = shop.lookup.find_one("ada@example.com")
    assert shop.customers.get(ada.id).points_balance == 0
    f = tmp_path / "orders_export.csv"
    f.write_text(ORDERS_CSV, encoding="utf-8")
    s = import_file(shop, f, ImportOptions(report=tmp_path / "r.csv"))
    # #1001 and its refund came by the pull; only #1004 (before the connection) is new.
    assert (s.lines_imported, s.duplicates, s.returns_imported, s.rejected) == (1, 2, 0, 0)
    assert [p[0] for p in purchases(shop)] == ["#1001", "#1004"]
    assert shop.customers.get(ada.id).points_balance == 15
    clean(shop)
