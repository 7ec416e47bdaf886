"""Files a shop saves by mistake instead of a CSV, and what the person who imports them reads: a workbook or a
UTF-16 text is refused with how to save it; rows are numbered as the spreadsheet shows them."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from loyalty_app.errors import ValidationError
from loyalty_app.importers.engine import ImportOptions
from loyalty_app.importers.generic import parse_mapping
from loyalty_app.importers.options import read_report
from tests.paths import ROOT

MAP = parse_mapping("receipt=Receipt,date=Date,sku=SKU,name=Item,qty=Qty,amount=Amount")
CSV = "Receipt,Date,SKU,Item,Qty,Amount\r\nR1,2026-05-01,OIL-250,Olive oil,1,12.00\r\n"


def test_a_workbook_or_a_utf16_text_is_refused_with_how_to_save_it_and_nothing_is_written(shop, tmp_path):
    xlsx = tmp_path / "sales.xlsx"
    with zipfile.ZipFile(xlsx, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    utf16 = tmp_path / "sales.txt"
    utf16.write_bytes(CSV.replace(",", "\t").encode("utf-16"))  # Excel's 'Unicode Text': a BOM, then UTF-16
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    for path, what in ((xlsx, "is a spreadsheet workbook"), (utf16, "is saved as UTF-16"),
                       (xls, "is an old Excel workbook (.xls)")):
        with pytest.raises(ValidationError) as err:
            shop.imports.import_file(path, ImportOptions(mapping=MAP, report=tmp_path / "r.csv"))
        assert str(err.value).startswith(f"{path.name} {what}")
        assert "save it" in str(err.value) and "'CSV UTF-8 (comma delimited)'" in str(err.value)
    assert not (tmp_path / "r.csv").exists()
    good = tmp_path / "sales.csv"
    good.write_text(CSV, encoding="utf-8")
    assert shop.imports.import_file(good, ImportOptions(mapping=MAP, report=tmp_path / "r.csv")).lines_imported == 1


def test_report_rows_are_the_rows_a_spreadsheet_shows_blank_lines_included(shop, tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("Receipt,Date,SKU,Item,Qty,Amount\n\nR1,2026-05-01,OIL-250,Olive oil,1,12.00\n\n\n"
                    "R2,2026-05-01,OIL-250,Olive oil,0,12.00\n", encoding="utf-8")
    s = shop.imports.import_file(path, ImportOptions(mapping=MAP, report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.rejected, s.rows_read) == (1, 1, 2)
    [line], _ = read_report(tmp_path / "r.csv")
    assert (line.row, line.reason) == (6, "the quantity is zero")


def test_every_row_refused_still_counts_the_rows_read(shop, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Receipt,Date,SKU,Item,Qty,Amount\nR1,2026-05-01,OIL-250,Olive oil,0,12.00\n"
                    "R2,not a date,OIL-250,Olive oil,1,12.00\n", encoding="utf-8")
    s = shop.imports.import_file(path, ImportOptions(mapping=MAP, report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.rejected, s.rows_read) == (0, 2, 2)


def test_the_command_line_prints_the_first_reasons_under_the_summary(shop, tmp_path, db_path):
    path = tmp_path / "till.csv"
    path.write_text("Receipt,Date,SKU,Item,Qty,Amount\n" + "".join(
        f"R{n},2026-05-01,OIL-250,Olive oil,0,12.00\n" for n in range(7)) + "R9,2026-05-01,OIL-250,Olive oil,1,"
        "12.00\n", encoding="utf-8")
    shop.close()
    r = subprocess.run([sys.executable, "-m", "loyalty_app.cli", "--db", str(db_path), "import", str(path),
                        "--map", "receipt=Receipt,date=Date,sku=SKU,name=Item,qty=Qty,amount=Amount"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    at = out.index(f"  report: {tmp_path / 'till-report.csv'}")
    assert out[at + 1:] == [f"    row {n}, rejected: the quantity is zero" for n in range(2, 7)] + [
        "    ... and 2 more in the report"]
    assert "1 lines imported, 0 already imported, 7 rejected" in r.stdout
    helped = subprocess.run([sys.executable, "-m", "loyalty_app.cli", "import", "--help"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60).stdout
    assert "date=, sku=" in " ".join(helped.split()) and "store=" in helped
