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


def test_the_import_floor_adds_up_what_an_import_spends_in_sqlite_by_what_it_writes(tmp_path):
    r = subprocess.run([sys.executable, "-m", "bench.import_floor", "--json", "generic"], capture_output=True,
                       text=True, cwd=ROOT, timeout=300,
                       env={**os.environ, "LOYALTY_BENCH_DIR": str(tmp_path), "LOYALTY_BENCH_IMPORT_LINES": "300"})
    assert r.returncode == 0, r.stderr
    [x] = json.loads(r.stdout[r.stdout.index("["):])
    # Each figure is rounded to 0.01 on its own.
    assert x["format"] == "generic" and abs(x["budget_cpu_s"] - x["anchor_cpu_s"] / 2) <= 0.01
    assert abs(x["floor_cpu_s"] - (x["startup_cpu_s"] + x["parse_cpu_s"] + x["sql_cpu_s"])) <= 0.02
    assert 0 < x["sql_cpu_s"] < x["import_in_process_cpu_s"]
    # One batch of 300 lines: its sales, lines and change records each go in with one statement, and commit.
    assert x["sql"]["insert purchases"]["statements"] == 1 and x["sql"]["insert purchase_lines"]["statements"] == 1
    assert x["sql"]["commit"]["statements"] >= 2 and "report summaries and refill marks" in x["sql"]
    assert "generic: anchor" in r.stdout and "= floor" in r.stdout


def test_the_import_floor_names_what_each_statement_writes():
    from bench.import_floor import group_of

    assert group_of("INSERT OR IGNORE INTO customer_external_ids (source) VALUES (?)") == "insert customer_external_ids"
    assert group_of("INSERT INTO temp.import_new_visits (scope) SELECT 1") == "report summaries and refill marks"
    assert group_of("UPDATE report_visits AS r SET next_at = 1") == "report summaries and refill marks"
    assert group_of("DELETE FROM suggestion_due_dirty WHERE 1") == "report summaries and refill marks"
    assert group_of("UPDATE customers SET points_balance = 1") == "update customers"
    assert group_of("COMMIT") == "commit" and group_of("SELECT 1") == "other (reads, triggers, pragmas)"
