"""Exported CSVs never run a spreadsheet formula: report exports and the import problem report alike."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_app.csv_safe import FORMULA_STARTS, PLAIN_NUMBER, neutralise, safe_row
from loyalty_app.importers.engine import ImportOptions
from loyalty_app.importers.generic import parse_mapping

HOSTILE = st.one_of(st.text(max_size=40), st.sampled_from(
    ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1", "-7.00", "+1"]))


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
def test_no_cell_reaches_a_spreadsheet_as_a_formula(text: str) -> None:
    cell = neutralise(text)
    assert cell == text or cell == "'" + text
    assert not cell.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(cell)
    assert safe_row([3, -2, text]) == [3, -2, cell]  # numbers stay numbers


def test_an_import_problem_report_shows_hostile_fields_as_text(catalogue, tmp_path: Path) -> None:
    till = tmp_path / "till.csv"
    till.write_text("Ticket,Sold at,Tel,Article,Ref,Qty,Line total\n"
                    "=HYPERLINK(\"http://evil\"),not a date,415-555-0140,@SUM(A1),BAS250,1,-7.00\n",
                    encoding="utf-8")
    report = tmp_path / "report.csv"
    summary = catalogue.imports.import_file(till, ImportOptions(
        mapping=parse_mapping("receipt=Ticket,time=Sold at,phone=Tel,name=Article,sku=Ref,qty=Qty,amount=Line total"),
        report=report))
    assert summary.rejected == 1
    rows = list(csv.reader(report.open(encoding="utf-8-sig")))
    cells = rows[1]
    assert "'=HYPERLINK(\"http://evil\")" in cells and "'@SUM(A1)" in cells and "-7.00" in cells
    assert not any(c.startswith(("=", "@")) for row in rows for c in row)
