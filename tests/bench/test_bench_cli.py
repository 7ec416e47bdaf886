"""The benchmarks' command line: help without running anything, and the import benchmark on a small file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT


def _bench(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "LOYALTY_BENCH_DIR": str(tmp_path), **env}, timeout=300)


def test_help_prints_the_benchmarks_and_runs_none(tmp_path):
    r = _bench(tmp_path, "--help")
    assert r.returncode == 0
    assert r.stdout.startswith("usage: python -m bench [-h] [--json] [TOPIC ...]")
    assert "build, counter, import, lookup, mail" in " ".join(r.stdout.split()) and "==" not in r.stdout
    assert list(tmp_path.iterdir()) == []
    wrong = _bench(tmp_path, "imports")
    assert wrong.returncode == 2 and wrong.stderr.splitlines()[-1].startswith(
        "python -m bench: error: no benchmark named imports; choose from build, counter, import,")


def test_the_import_benchmark_runs_both_real_commands_on_the_same_file(tmp_path):
    r = _bench(tmp_path, "import", "--json", LOYALTY_BENCH_IMPORT_LINES="300",
               LOYALTY_BENCH_IMPORT_FORMATS="generic,loyverse-items")
    assert r.returncode == 0, r.stderr
    results = json.loads(r.stdout[r.stdout.index("{"):])["import"]
    for fmt in ("generic", "loyverse-items"):
        x = results[fmt]
        assert (x["lines"], x["lines_imported"], x["rejected"]) == (300, 300, 0)
        assert x["products_created"] > 50 and x["customers_created"] > 5
        assert x["anchor_cpu_s"] > 0 and x["ours_peak_rss_mb"] > 0
        assert x["ratio_cpu"] > 0
    assert "`loyalty import` into a fresh shop vs `sqlite-utils insert --csv`" in r.stdout


def test_every_export_of_the_import_benchmark_ends_the_day_before_today(tmp_path):
    import csv
    from datetime import date

    from bench.import_files import make_export

    # 30,000 lines span about a month; 1.5 million lines would span years: whatever the size, none is ahead of
    # the shop's clock, so an import rejects none as future-dated.
    for lines in (3_000, 30_000):
        path = make_export(tmp_path, "generic", lines, today=date(2026, 3, 1))
        with path.open(encoding="utf-8", newline="") as fh:
            days = sorted({row["Date"] for row in csv.DictReader(fh)})
        assert days[-1] == "2026-02-28"
        assert days[0] < "2026-02-27"
        path.unlink()
