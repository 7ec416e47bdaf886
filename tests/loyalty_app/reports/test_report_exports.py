"""Report exports: CSV that a spreadsheet cannot run, PDFs read back as text, the `loyalty report` command."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loyalty_app.reports.export import neutralise, sheet_csv, sheet_pdf
from loyalty_app.reports.model import Column, Figure, ReportSheet, ReportTable
from loyalty_app.sales import SaleItem

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")


def pdf_text(data: bytes, tmp_path: Path) -> str:
    f = tmp_path / "r.pdf"
    f.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+2", "-3+4", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


def test_csv_neutralises_text_and_keeps_numbers_numbers():
    sheet = ReportSheet(
        key="popular", title="Popular items", shop_name="=Evil Co", currency="USD", period_label="Oct",
        store_label="All stores", generated_at="2026-11-02T18:30:00Z",
        figures=[Figure("Revenue", -1250, "money"), Figure("Change", -505, "change")],
        tables=[ReportTable("Best", [Column("name", "Product"), Column("units", "Units", "int"),
                                     Column("rev", "Revenue", "money")],
                            [["=cmd|' /C calc'!A0", 3, 123456], ["-Minus oil", -2, -50], ["Plain", 0, 0]])],
        charts=[],
    )
    rows = list(csv.reader(io.StringIO(sheet_csv(sheet))))
    assert rows[0] == ["Popular items", "'=Evil Co"]
    assert ["Revenue", "-12.50"] in rows and ["Change", "-50.5"] in rows
    i = rows.index(["Product", "Units", "Revenue (USD)"])
    assert rows[i + 1] == ["'=cmd|' /C calc'!A0", "3", "1234.56"]
    assert rows[i + 2] == ["'-Minus oil", "-2", "-0.50"]  # text neutralised, negative numbers left alone
    assert rows[i + 3] == ["Plain", "0", "0.00"]


@pytest.fixture
def sold(shop, owner, catalogue):
    c = shop.customers.sign_up("+14155550111", name="Ada")
    for i in range(60):
        shop.sales.record_sale(c.id, [SaleItem("BAS250"), SaleItem("WB250", 2)],
                               occurred_at=datetime(2026, 10, 1 + i % 30, 18, tzinfo=UTC))
    return shop


@needs_pdftotext
def test_popular_pdf_reads_like_a_report(sold, owner, tmp_path):
    sheet = sold.reports.sheet("popular", sold.reports.period("2026-10-01", "2026-10-31"), actor=owner)
    text = pdf_text(sheet_pdf(sheet), tmp_path)
    assert "Popular items" in text and "Test Olive Co" in text
    assert "Oct 1, 2026 – Oct 31, 2026" in text  # the dates as the shop (en_US) writes them
    assert "Page 1 of 1" in text
    assert "Basil olive oil 250 ml" in text and "$870.00" in text  # 60 × $14.50
    assert "Best sellers" in text and "Slow movers" in text


@needs_pdftotext
def test_long_tables_repeat_their_header_and_number_pages(tmp_path):
    rows = [[f"Product {i:03d}", i, i * 100] for i in range(150)]
    sheet = ReportSheet("popular", "Popular items", "Shop", "USD", "Oct", "All stores", "2026-11-02T18:30:00Z",
                        [], [ReportTable("Best", [Column("n", "Product"), Column("u", "Units", "int"),
                                                  Column("r", "Revenue", "money")], rows)], [])
    text = pdf_text(sheet_pdf(sheet), tmp_path)
    pages = text.split("\f")
    assert "Page 1 of 4" in pages[0] or "Page 1 of 3" in pages[0]
    total = pages[0].split("Page 1 of ")[1].split()[0]
    assert all("Product" in p and "Revenue" in p for p in pages[:int(total)])  # header on every page
    assert f"Page {total} of {total}" in text and "Product 149" in text


def test_report_command_needs_the_owner_pin(cli, shop, monkeypatch):
    r = cli("report", "popular")
    assert r.code == 1 and "needs the owner" in r.err
    monkeypatch.setenv("LOYALTY_STAFF", "sam")
    monkeypatch.setenv("LOYALTY_PIN", "1111")
    r = cli("report", "popular")
    assert r.code == 1 and "needs the owner" in r.err and "sam" in r.err


@needs_pdftotext
def test_report_command_writes_json_csv_and_pdf(cli, sold, monkeypatch, tmp_path):
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    r = cli("report", "popular", "--from", "2026-10-01", "--to", "2026-10-31", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["units"] == 180 and data["rows"][0]["sku"] == "WB250"
    r = cli("report", "customers", "--from", "2026-10-01", "--to", "2026-10-31",
            "--csv", str(tmp_path / "c.csv"), "--pdf", str(tmp_path / "c.pdf"))
    assert r.code == 0, r.err
    assert "Active customers,1" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    assert "Customers" in pdf_text((tmp_path / "c.pdf").read_bytes(), tmp_path)
    r = cli("report", "points", "--from", "2026-10-01", "--to", "2026-10-31")
    assert r.code == 0 and "Outstanding points" in r.out
    r = cli("report", "refill")
    assert r.code == 0 and "Refills due" in r.out
    r = cli("report", "popular", "--from", "2026-10-01", "--to", "2026-10-31", "--store", "Nowhere")
    assert r.code == 1 and r.err.startswith("loyalty: no store called 'Nowhere'")


def test_emails_report_shows_lift_against_control():
    from collections import namedtuple

    from loyalty_app.reports.emails import sheet_from_results
    from loyalty_app.reports.model import ReportPeriod

    R = namedtuple("R", "title kind created_at sent recipients recipients_converted control control_converted "
                        "window_days")
    results = [R("Fig balsamic is here", "announce", "2026-10-05T17:00:00Z", 200, 200, 30, 50, 4, 30),
               R("Time for a refill", "reminder", "2026-10-20T17:00:00Z", 80, 80, 20, 0, 0, 30),
               R("Summer news", "announce", "2026-07-01T17:00:00Z", 90, 90, 9, 10, 1, 30)]
    period = ReportPeriod(datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    sheet = sheet_from_results(results, "Shop", "USD", period, "2026-11-02T18:30:00Z",
                               "2026-10-01T07:00:00Z", "2026-11-01T07:00:00Z")
    figures = {f.label: f.value for f in sheet.figures}
    assert figures == {"Campaigns": 2, "Emails sent": 280, "Recipients who bought": 179}  # 50 of 280
    fig, refill = sheet.tables[0].rows
    assert fig[5:] == [150, 50, 80, 70]  # 15.0% vs 8.0%: +7.0 points
    assert refill[5:] == [250, 0, None, None]  # no control group: no lift
    assert sheet.charts[0].series[0].values == [15, 25]


def test_report_emails_command(cli, shop, monkeypatch):
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    r = cli("report", "emails", "--from", "2026-10-01", "--to", "2026-10-31")
    assert r.code == 0 and "Emails" in r.out  # the email campaigns feature is part of this build


def _popular_table(skus: list[str]) -> ReportTable:
    cols = [Column("sku", "SKU"), Column("name", "Product"), Column("category", "Category"),
            Column("units", "Units", "int"), Column("revenue", "Revenue", "money"),
            Column("customers", "Customers", "int"), Column("prev", "Units before", "int"),
            Column("change", "Change", "change")]
    rows = [[sku, "Arbequina extra virgin olive oil 250 ml", "Extra virgin olive oil", 117, 187200, 93, 115, 17]
            for sku in skus]
    return ReportTable("Best sellers", cols, rows)


@needs_pdftotext
def test_a_crowded_table_wraps_product_names_never_skus(tmp_path):
    sheet = ReportSheet("popular", "Popular items", "Shop", "USD", "Oct", "All stores", "2026-11-02T18:30:00Z",
                        [], [_popular_table(["GIFT-TASTE", "AEVOO-250"])], [])
    lines = pdf_text(sheet_pdf(sheet), tmp_path).splitlines()
    assert any(line.split()[:1] == ["GIFT-TASTE"] for line in lines if line.strip())
    assert any(line.split()[:1] == ["AEVOO-250"] for line in lines if line.strip())


def test_long_codes_without_spaces_still_keep_the_table_on_the_page():
    from receipts.report_pdf import PdfTable, _widths

    frame = 595.27 - 36 * 72 / 25.4  # A4 less the two 18 mm margins, in points
    headers = ["SKU", "Product", "Category", "Units", "Revenue", "Customers", "Units before", "Change"]
    rows = [[f"SHOPIFY-VARIANT-00000000000{n:08d}", "Arbequina extra virgin olive oil 250 ml",
             "Extra virgin olive oil", "117", "$1,872.00", "93", "115", "+1.7%"] for n in (12345678, 87654321)]
    table = PdfTable("Best sellers", headers, rows, [False, False, False, True, True, True, True, True])
    assert sum(_widths(table, frame)) <= frame + 0.01
