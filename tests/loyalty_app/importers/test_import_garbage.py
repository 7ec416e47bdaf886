"""Garbage rows (random bytes, huge fields, wrong column counts) end in the error report, never in a crash."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_app.importers.csv_reader import CsvSource
from loyalty_app.importers.engine import ImportOptions
from tests.paths import FIXTURES

POS = FIXTURES / "pos"
FORMATS = ["square_items.csv", "shopify_orders.csv", "loyverse_items.csv", "square_transactions.csv",
           "square_customers.csv"]

cell = st.one_of(st.text(max_size=30), st.sampled_from(["$8.00", "($1.00)", "2026-07-18", "1.0", "-1", "Refund",
                                                         "Cancelled", "", "'+14155550132", "x" * 5000]))
garbage_row = st.one_of(
    st.lists(cell, min_size=0, max_size=50).map(lambda r: ("csv", r)),
    st.binary(min_size=1, max_size=300).map(lambda b: ("bytes", b)),
)


def _file(tmp_path: Path, fixture: str, rows: list, seq: int) -> Path:
    raw = (POS / fixture).read_bytes()
    out = io.BytesIO()
    out.write(raw if raw.endswith(b"\n") else raw + b"\n")
    for kind, r in rows:
        if kind == "bytes":
            out.write(r.replace(b"\n", b" ") + b"\n")
        else:
            s = io.StringIO()
            csv.writer(s).writerow(r)
            out.write(s.getvalue().encode("utf-8", "surrogatepass").replace(b"\x00", b""))
    p = tmp_path / f"g{seq}-{fixture}"
    p.write_bytes(out.getvalue())
    return p


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fixture=st.sampled_from(FORMATS), rows=st.lists(garbage_row, max_size=12), seq=st.integers(0, 10**9))
def test_every_record_is_imported_counted_or_reported(catalogue, tmp_path, fixture, rows, seq):
    shop = catalogue
    path = _file(tmp_path, fixture, rows, seq)
    report = tmp_path / f"g{seq}-report.csv"
    s = shop.imports.import_file(path, ImportOptions(report=report))
    records = sum(1 for _ in CsvSource(path).records())
    assert s.rows_read == records
    reported = 0
    if report.exists():
        with report.open(encoding="utf-8-sig", newline="") as fh:
            reported = sum(1 for r in csv.DictReader(fh) if r["Level"] in ("rejected", "skipped"))
    assert reported == s.rejected + s.skipped
    assert shop.check() == {k: [] for k in shop.check()}


def test_giant_field_and_stray_quote_are_reported_and_the_rest_imported(catalogue, tmp_path):
    raw = (POS / "loyverse_items.csv").read_bytes()
    head, *rows = raw.split(b"\r\n")
    giant = b'7/31/26 1:00 PM,9-9,Sale,,X,"' + b"y" * (2 << 20) + b'",,,1,1.00,0,1.00,,,0,,,,,,,,Closed'
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\r\n".join([head, giant, *rows]))
    s = catalogue.imports.import_file(path, ImportOptions(report=tmp_path / "r.csv"))
    assert s.rejected >= 1 and s.lines_imported == 4
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as fh:
        reasons = [r["Reason"] for r in csv.DictReader(fh)]
    assert any("cannot be read" in r for r in reasons)
