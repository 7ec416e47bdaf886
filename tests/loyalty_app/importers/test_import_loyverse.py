"""Loyverse receipts-by-item: BOM, cancelled receipts, refunds matched to the sale, European files."""

from __future__ import annotations

from loyalty_app.importers.engine import ImportOptions
from loyalty_app.shop import open_shop
from tests.paths import FIXTURES

POS = FIXTURES / "pos"


def test_receipts_refund_and_cancelled(catalogue, tmp_path):
    shop = catalogue
    s = shop.imports.import_file(POS / "loyverse_items.csv", ImportOptions(report=tmp_path / "r.csv"))
    assert (s.format, s.lines_imported, s.skipped, s.rejected, s.returns_imported) == ("loyverse-items", 4, 1, 0, 1)
    eve = shop.lookup.find_one("+1 415 555 0150")
    assert eve.email == "eve@example.com" and eve.name == "Eve Park"
    # 41 points on $41.00, 29 of them on the two basil oils; returning one takes back 14.
    assert shop.customers.get(eve.id).points_balance == 41 - 14
    pid = shop.ctx.db.conn.execute("SELECT id FROM purchases WHERE external_id = '1-1001'").fetchone()[0]
    lines = shop.sales.purchase(pid).lines
    assert [(ln.sku, ln.qty, ln.returned_qty, ln.points_earned) for ln in lines] == [
        ("BAS250", 2, 1, 29), ("WB250", 1, 0, 12)]
    assert shop.check() == {k: [] for k in shop.check()}
    again = shop.imports.import_file(POS / "loyverse_items.csv", ImportOptions(report=tmp_path / "r2.csv"))
    assert (again.lines_imported, again.duplicates) == (0, 4)


def test_european_file_windows_1252_semicolons_day_first(tmp_path, clock):
    shop = open_shop(tmp_path / "fr.sqlite", clock=clock)
    shop.initialise(shop_name="Épicerie", region="FR", currency="EUR", time_zone="Europe/Paris")
    try:
        s = shop.imports.import_file(POS / "loyverse_items_eu.csv", ImportOptions(report=tmp_path / "r.csv"))
        assert (s.lines_imported, s.rejected, s.warnings) == (2, 0, 1)  # 0,25 kg of tea is one portion
        zoe = shop.lookup.find_one("06 12 34 56 78")
        assert zoe.name == "Zoë Lefèvre" and shop.customers.phones(zoe.id) == ["+33612345678"]
        rows = shop.ctx.db.conn.execute("SELECT external_id, occurred_at, subtotal_cents FROM purchases "
                                        "ORDER BY external_id").fetchall()
        assert [tuple(r) for r in rows] == [("2-2001", "2025-12-31T13:05:00Z", 114900),
                                            ("2-2002", "2026-10-01T21:50:00Z", 850)]
        assert shop.customers.get(zoe.id).points_balance == 1149 + 8
    finally:
        shop.close()


def test_a_customer_named_without_contacts_is_anonymous_and_the_report_says_so_once(catalogue, tmp_path):
    from loyalty_app.importers.options import read_report

    text = (POS / "loyverse_items.csv").read_text(encoding="utf-8-sig")
    f = tmp_path / "no_contacts.csv"
    f.write_text(text.replace('"+1 415 555 0150, eve@example.com"', ""), encoding="utf-8")
    s = catalogue.imports.import_file(f, ImportOptions(report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.customers_created, s.warnings) == (4, 0, 1)
    lines, _ = read_report(tmp_path / "r.csv")
    [note] = [ln for ln in lines if ln.level == "warning"]  # beside the cancelled receipt, skipped
    assert note.row == 2
    assert note.reason.startswith("this row names the customer 'Eve Park' without a phone, email or POS customer id: "
                                  "their sales are imported as anonymous, as are those of every row like it")
