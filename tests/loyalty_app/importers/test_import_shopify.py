"""Shopify exports: orders grouped by Name with order fields on the first row; the customers export."""

from __future__ import annotations

from loyalty_app.importers.engine import ImportOptions
from tests.paths import FIXTURES

POS = FIXTURES / "pos"


def _import(shop, name, tmp_path, **kw):
    return shop.imports.import_file(POS / name, ImportOptions(report=tmp_path / f"{name}-report.csv", **kw))


def _order(shop, name):
    pid = shop.ctx.db.conn.execute("SELECT id FROM purchases WHERE source = 'shopify' AND external_id = ?",
                                   (name,)).fetchone()[0]
    return shop.sales.purchase(pid)


def test_orders_grouped_by_name_with_order_discount_spread(catalogue, tmp_path):
    shop = catalogue
    ada = shop.customers.sign_up("415 555 0132", name="Ada", email="ada@example.com")
    s = _import(shop, "shopify_orders.csv", tmp_path)
    assert (s.format, s.lines_imported, s.skipped, s.rejected) == ("shopify-orders", 6, 1, 0)
    first = _order(shop, "#1001")
    assert first.customer_id == ada.id
    assert [ln.sku for ln in first.lines] == ["BAS250", "WB250"]
    assert first.subtotal_cents == 3600 and first.tax_cents == 288  # Subtotal 36.00 after SUMMER10
    assert first.points_earned == 36
    assert _order(shop, "#1002").customer_id is None  # no email, no phone: an anonymous sale
    assert _order(shop, "#1005").customer_id == ada.id  # ADA@example.com is the same person
    assert shop.customers.get(ada.id).points_balance == 36 + 42


def test_refunded_order_is_recorded_and_reversed(catalogue, tmp_path):
    shop = catalogue
    _import(shop, "shopify_orders.csv", tmp_path)
    nina = shop.lookup.find_one("newbie@example.com")
    assert shop.lookup.find_one("(415) 555-0140").id == nina.id  # phone "'415 555 0140" kept too
    order = _order(shop, "#1003")
    assert order.points_earned == 25 and order.returns[0].points_reversed == 25
    assert shop.customers.get(nina.id).points_balance == 0


def test_cancelled_order_skipped_and_odd_product_flagged(catalogue, tmp_path):
    shop = catalogue
    s = _import(shop, "shopify_orders.csv", tmp_path)
    assert shop.ctx.db.conn.execute("SELECT count(*) FROM purchases WHERE external_id = '#1004'").fetchone()[0] == 0
    salt = [p for p in shop.products.list() if p.needs_review]
    assert [p.name for p in salt] == ['Smoked sea salt, "flaky" (gift tin)']
    assert s.products_created == 1
    assert _import(shop, "shopify_orders.csv", tmp_path).lines_imported == 0


def test_customers_export_links_and_records_consent(shop, tmp_path):
    dan = shop.customers.sign_up("+1 415 555 0134", name="Dan")
    s = _import(shop, "shopify_customers.csv", tmp_path)
    assert (s.format, s.customers_created, s.customers_linked, s.rejected) == ("shopify-customers", 1, 1, 1)
    ada = shop.lookup.find_one("ada@example.com")
    assert ada.email_consent and shop.customers.phones(ada.id) == ["+14155550132"]
    assert shop.customers.get(dan.id).email == "dan@example.com"
    assert not shop.customers.get(dan.id).email_consent
