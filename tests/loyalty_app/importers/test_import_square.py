"""Square exports: customer directory, Items (with refunds), Transactions alone and joined."""

from __future__ import annotations

import csv
import json

from loyalty_app.importers.engine import ImportOptions
from loyalty_app.sales import SaleItem
from tests.paths import FIXTURES

POS = FIXTURES / "pos"


def _import(shop, name, tmp_path, **kw):
    return shop.imports.import_file(POS / name, ImportOptions(report=tmp_path / f"{name}-report.csv", **kw))


def _report(summary) -> list[dict[str, str]]:
    with open(summary.report, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _purchase(shop, key):
    rows = shop.ctx.db.conn.execute("SELECT id FROM purchases WHERE source = 'square' AND external_id = ?",
                                    (key,)).fetchall()
    assert len(rows) == 1
    return shop.sales.purchase(rows[0][0])


def test_directory_links_pos_ids_to_phones_without_duplicates(catalogue, tmp_path):
    shop = catalogue
    bob = shop.customers.sign_up("+1 (415) 555-0133", name="Bob S.")
    s = _import(shop, "square_customers.csv", tmp_path)
    assert (s.format, s.customers_created, s.customers_linked, s.rejected, s.warnings) == (
        "square-customers", 2, 1, 1, 1)
    assert shop.lookup.find_one("415.555.0133").id == bob.id  # written differently, still Bob
    ada = shop.lookup.find_one("(415) 555-0132")
    assert ada.name == "Ada Lovelace" and ada.email == "ada@example.com" and ada.email_consent
    reasons = {r["Row"]: r["Reason"] for r in _report(s)}
    assert "nothing identifies this person" in reasons["4"]
    assert "too short" in reasons["5"]
    assert _import(shop, "square_customers.csv", tmp_path).customers_created == 0


def test_items_land_on_the_linked_customer_with_counter_points(catalogue, tmp_path):
    shop = catalogue
    _import(shop, "square_customers.csv", tmp_path)
    ada = shop.lookup.find_one("+14155550132")
    s = _import(shop, "square_items.csv", tmp_path)
    assert (s.lines_imported, s.duplicates, s.rejected, s.warnings, s.returns_imported) == (5, 0, 2, 1, 1)
    sale = _purchase(shop, "TXN-A1")
    assert sale.customer_id == ada.id
    assert sale.occurred_at == "2026-07-18T16:59:30Z"  # 12:59:30 Eastern
    assert [(ln.sku, ln.qty, ln.net_cents) for ln in sale.lines] == [("BAS250", 1, 1450), ("WB250", 2, 2400)]
    # The same basket and return at the counter give exactly the same points.
    twin = shop.customers.sign_up("+1 415 555 0199")
    r = shop.sales.record_sale(twin.id, [SaleItem("BAS250", 1, 1450), SaleItem("WB250", 2, 1200)])
    back = shop.sales.return_items(r.purchase_id, [("BAS250", 1)])
    assert sale.points_earned == r.points_earned == 38
    assert sale.returns[0].points_reversed == back.points_reversed == 14
    assert shop.customers.get(ada.id).points_balance == shop.customers.get(twin.id).points_balance == 24
    assert shop.check() == {k: [] for k in shop.check()}


def test_new_products_are_flagged_and_gtin_matches_the_catalogue(catalogue, tmp_path):
    shop = catalogue
    s = _import(shop, "square_items.csv", tmp_path)
    flagged = {p.sku: p for p in shop.products.list() if p.needs_review}
    assert set(flagged) == {"TEA-EG", "AGED25"} and s.products_created == 2
    assert flagged["AGED25"].price_cents == 114900  # "$1,149.00 " with its trailing space


def test_weighed_quantity_is_one_portion_with_the_exact_amount(catalogue, tmp_path):
    s = _import(catalogue, "square_items.csv", tmp_path)
    line = _purchase(catalogue, "TXN-B2").lines[0]
    assert (line.qty, line.net_cents) == (1, 975)
    warning = [r for r in _report(s) if r["Level"] == "warning"]
    assert warning[0]["Row"] == "4" and "0.5 is not a whole number" in warning[0]["Reason"]
    assert warning[0]["Notes"] == "Gift wrap,\nplease"  # the quoted newline survives into the report


def test_reimport_adds_nothing(catalogue, tmp_path):
    shop = catalogue
    first = _import(shop, "square_items.csv", tmp_path)
    counts = shop.ctx.db.conn.execute("SELECT (SELECT count(*) FROM purchases), (SELECT count(*) FROM returns), "
                                      "(SELECT count(*) FROM points_ledger), (SELECT count(*) FROM customers)"
                                      ).fetchone()
    again = _import(shop, "square_items.csv", tmp_path)
    assert (again.lines_imported, again.duplicates, again.rejected) == (0, first.lines_imported, 2)
    assert shop.ctx.db.conn.execute("SELECT (SELECT count(*) FROM purchases), (SELECT count(*) FROM returns), "
                                    "(SELECT count(*) FROM points_ledger), (SELECT count(*) FROM customers)"
                                    ).fetchone() == counts


def test_rejected_rows_are_reported_with_reasons(catalogue, tmp_path):
    rows = {r["Row"]: r for r in _report(_import(catalogue, "square_items.csv", tmp_path))}
    assert rows["7"]["Reason"] == "the row has no Transaction ID" and rows["7"]["Level"] == "rejected"
    assert "not a real date" in rows["8"]["Reason"] and rows["8"]["Date"] == "2026-13-45"


def test_transactions_alone_give_baskets_and_whole_refunds(catalogue, tmp_path):
    shop = catalogue
    _import(shop, "square_customers.csv", tmp_path)
    s = _import(shop, "square_transactions.csv", tmp_path)
    assert (s.format, s.lines_imported, s.rejected) == ("square-transactions", 4, 1)
    big = _purchase(shop, "TXN-T1")
    assert big.subtotal_cents == 114900 and big.occurred_at == "2018-12-27T19:02:45Z"
    assert big.lines[0].sku == "POS-UNITEMISED"
    refunded = _purchase(shop, "TXN-T2")
    assert refunded.returns[0].refund_cents == 3362  # ($33.62)
    partial = [r for r in _report(s) if r["Level"] == "rejected"][0]
    assert partial["Payment ID"] == "REF-T3" and "partial refund" in partial["Reason"]


def test_items_joined_with_transactions(catalogue, tmp_path):
    shop = catalogue
    s = _import(shop, "square_items.csv", tmp_path, transactions=POS / "square_transactions.csv")
    assert _purchase(shop, "TXN-A1").lines[0].sku == "BAS250"
    assert _purchase(shop, "TXN-T1").lines[0].sku == "POS-UNITEMISED"  # no item detail for it
    assert s.lines_imported == 5 + 4


def test_imported_sales_leave_the_counters_change_records(catalogue, tmp_path):
    shop = catalogue
    _import(shop, "square_customers.csv", tmp_path)
    ada = shop.lookup.find_one("+14155550132")
    shop.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
    _import(shop, "square_items.csv", tmp_path)
    rows = shop.ctx.db.conn.execute("SELECT type, entity_uuid, data FROM change_log WHERE type IN "
                                    "('purchase.recorded', 'ledger.entry') ORDER BY seq").fetchall()
    records = [(t, e, json.loads(d)) for t, e, d in rows]
    counter, *imported = [r for r in records if r[0] == "purchase.recorded"]
    assert len(imported) == 3
    for _, entity, data in imported:
        assert data.keys() == counter[2].keys()
        assert {k for ln in data["lines"] for k in ln} == {k for ln in counter[2]["lines"] for k in ln}
        p = shop.sales.purchase(shop.ctx.db.conn.execute("SELECT id FROM purchases WHERE uuid = ?",
                                                         (entity,)).fetchone()[0])
        assert [ln.uuid for ln in p.lines] == [ln["uuid"] for ln in data["lines"]]
        assert data["total_cents"] == p.total_cents and data["external_id"] == p.external_id
    a1 = [d for _, _, d in imported if d["external_id"] == "TXN-A1"][0]
    assert a1["customer"] == ada.uuid and a1["lines"][1]["sku"] == "WB250"
    earns = [d for t, _, d in records if t == "ledger.entry" and d["kind"] == "earn"]
    assert 38 in {d["delta"] for d in earns} and all(d["customer"] for d in earns)


def test_customer_signed_up_at_the_counter_during_an_import_is_linked_not_doubled(catalogue, tmp_path):
    from loyalty_app.importers.records import Person
    from loyalty_app.importers.resolver import CustomerResolver

    shop = catalogue
    resolver = CustomerResolver(shop, "square")  # indexes loaded now...
    meanwhile = shop.customers.sign_up("+1 415 555 0177", name="Walk-in")  # ...then the counter signs someone up
    with shop.ctx.write():
        cid = resolver.resolve(Person("CUST-W", "Walk In", "+14155550177", None))
    assert cid == meanwhile.id and not resolver.created


def test_a_transaction_split_apart_in_the_file_is_rejected_not_lost(catalogue, tmp_path):
    rows = (POS / "square_items.csv").read_bytes().decode("utf-8").split("\r\n")
    header, a1_basil, a1_balsamic, *rest = rows
    f = tmp_path / "split.csv"
    f.write_bytes(("\r\n".join([header, a1_basil, *rest[:1], a1_balsamic]) + "\r\n").encode())
    s = catalogue.imports.import_file(f, ImportOptions(report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.duplicates, s.rejected) == (2, 0, 1)
    rejected = [r for r in _report(s) if r["Level"] == "rejected"][0]
    assert rejected["Row"] == "4" and "apart from its other lines" in rejected["Reason"]
    again = catalogue.imports.import_file(f, ImportOptions(report=tmp_path / "r2.csv"))
    assert (again.lines_imported, again.duplicates, again.rejected) == (0, 3, 0)
