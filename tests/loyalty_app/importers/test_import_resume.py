"""A killed import, run again, finishes without duplicates (batches are committed keyed by source ids)."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT

HEADER = ["Date", "Time", "Time Zone", "Item", "Qty", "SKU", "Net Sales", "Transaction ID", "Payment ID",
          "Event Type", "Customer ID", "Customer Name"]


def _export(path: Path, transactions: int) -> int:
    lines = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for t in range(transactions):
            for i in range(1 + t % 3):
                w.writerow([f"2026-03-{1 + t % 28:02d}", f"{9 + t % 9:02d}:{t % 60:02d}:00", "Pacific Time (US & Canada)",
                            f"Tea {i}", "1", f"TEA{i}", f"${5 + i}.50", f"T{t:06d}", f"P{t:06d}", "Payment",
                            f"C{t % 50}" if t % 2 else "", f"Customer {t % 50}" if t % 2 else ""])
                lines += 1
    return lines


def _cli(db: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("LOYALTY_STAFF", None)
    return subprocess.Popen([sys.executable, "-m", "loyalty_app.cli", "--db", str(db), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_import_resumes_without_duplicates(shop, db_path, tmp_path):
    export = tmp_path / "items.csv"
    total = _export(export, 3000)
    proc = _cli(db_path, "import", str(export), "--batch-lines", "500", "--progress", "--json")
    assert proc.stderr is not None
    first = proc.stderr.readline()
    assert first.startswith("progress:"), first + proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = shop.ctx.db.conn
    committed = conn.execute("SELECT count(*) FROM purchase_lines").fetchone()[0]
    assert 0 < committed < total  # killed part-way, after at least one batch
    status = conn.execute("SELECT status FROM import_runs").fetchone()[0]
    assert status == "running"  # the interrupted run stays visible
    rerun = _cli(db_path, "import", str(export), "--json")
    out, err = rerun.communicate()
    assert rerun.returncode == 0, err
    summary = json.loads(out)
    assert summary["duplicates"] == committed and summary["lines_imported"] == total - committed
    assert conn.execute("SELECT count(*) FROM purchase_lines").fetchone()[0] == total
    assert conn.execute("SELECT count(*) FROM purchases").fetchone()[0] == 3000
    assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 25  # odd transactions name one of 25 POS customers
    assert shop.check() == {k: [] for k in shop.check()}
