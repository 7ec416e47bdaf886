"""POS import speed: a generated 1.5-million-line Square Items export into a fresh shop, against a bare
`sqlite-utils insert` of the same rows (the baseline ours must stay within 3x of), with peak memory."""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import OUT

LINES = int(os.environ.get("LOYALTY_BENCH_IMPORT_LINES", "1500000"))
HEADER = ["Date", "Time", "Time Zone", "Category", "Item", "Qty", "Price Point Name", "SKU", "Modifiers Applied", "Gross Sales", "Discounts", "Net Sales", "Tax", "Transaction ID", "Payment ID", "Device Name", "Notes", "Details", "Event Type", "Location", "Dining Option", "Customer ID", "Customer Name", "Customer Reference ID", "Unit", "Count", "GTIN", "Itemization Type", "Commission", "Employee", "Fulfillment Note", "Channel", "Token", "Card Brand", "PAN Suffix"]


def make_csv(path: Path, lines: int, seed: int = 11) -> Path:
    """About three lines per transaction, 40% of them by one of 20,000 known POS customers, 1% refunds."""
    if path.exists():
        return path
    rng = random.Random(seed)
    products = [(f"SKU{i:04d}", f"Product {i}", rng.randrange(300, 6000)) for i in range(300)]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        n = txn = 0
        day, secs = 0, 8 * 3600
        while n < lines:
            txn += 1
            secs += rng.randrange(20, 200)
            if secs > 19 * 3600:
                day, secs = day + 1, 8 * 3600
            date = f"{2023 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + (day % 365) % 28:02d}"
            time_ = f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"
            cust = f"CUST{rng.randrange(20000):05d}" if rng.random() < 0.4 else ""
            basket = rng.sample(products, k=min(rng.choice((1, 2, 3, 3, 4, 5)), lines - n))
            for sku, name, price in basket:
                qty = rng.choice((1, 1, 1, 2))
                money = f"${price * qty // 100:,}.{price * qty % 100:02d}"
                w.writerow([date, time_, "Eastern Time (US & Canada)", "Oils", name, f"{qty}.0", "Regular", sku, "",
                            money, "$0.00", money, "$0.00", f"T{txn:08d}", f"P{txn:08d}", "Counter", "",
                            "https://example.invalid/d", "Payment", "Main Street", "", cust,
                            f"Customer {cust}" if cust else "", "", "", "", "", "Physical Good", "$0.00", "Sam", "",
                            "Main Street", "", "Visa", "4242"])
                n += 1
    tmp.rename(path)
    return path


def _child(mode: str, db: str, csv_path: str) -> None:
    """Runs in its own process so its peak RSS is its own."""
    started = time.perf_counter()
    cpu_before = 0.0
    if mode == "ours":
        from loyalty_app import jobs
        from loyalty_app.clock import SystemClock
        from loyalty_app.importers.options import ImportOptions
        from loyalty_app.shop import open_shop

        shop = open_shop(db, clock=SystemClock())
        shop.initialise(shop_name="Bench", region="US", time_zone="America/New_York")
        shop.close()
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_SELF)
        cpu_before = before.ru_utime + before.ru_stime
        s = jobs.import_file(db, csv_path, ImportOptions(report=Path(db).with_suffix(".report.csv")))
        extra = {"lines_imported": s.lines_imported, "rejected": s.rejected, "customers_created": s.customers_created}
    else:
        from sqlite_utils import Database

        database = Database(db)
        with open(csv_path, encoding="utf-8", newline="") as fh:
            database["rows"].insert_all(csv.DictReader(fh), batch_size=1000)
        extra = {"rows": database["rows"].count}
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu_before,
                      "rss_mb": usage.ru_maxrss / 1024, **extra}))


def _measure(mode: str, csv_path: Path) -> dict[str, float]:
    db = OUT / f"import-{mode}.sqlite"
    for p in (db, db.with_suffix(".sqlite-wal"), db.with_suffix(".sqlite-shm")):
        p.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, "-m", "bench.bench_import", "--child", mode, str(db), str(csv_path)],
                         check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run() -> dict[str, float]:
    csv_path = make_csv(OUT / f"square-items-{LINES}.csv", LINES)
    ours = _measure("ours", csv_path)
    base = _measure("baseline", csv_path)
    result = {
        "lines": LINES, "ours_seconds": round(ours["seconds"], 1), "ours_lines_per_s": round(LINES / ours["seconds"]),
        "ours_peak_rss_mb": round(ours["rss_mb"]), "baseline_seconds": round(base["seconds"], 1),
        "baseline_rows_per_s": round(LINES / base["seconds"]), "baseline_peak_rss_mb": round(base["rss_mb"]),
        "ratio": round(ours["seconds"] / base["seconds"], 2),
        "ours_cpu_seconds": round(ours["cpu_seconds"], 1),
        "ours_lines_per_cpu_s": round(LINES / ours["cpu_seconds"]),
        "baseline_cpu_seconds": round(base["cpu_seconds"], 1),
        "ratio_cpu": round(ours["cpu_seconds"] / base["cpu_seconds"], 2), "lines_imported": ours["lines_imported"],
        "rejected": ours["rejected"], "customers_created": ours["customers_created"],
    }
    print("POS import (Square Items export, fresh shop)")
    for k, v in result.items():
        print(f"  {k:<24} {v}")
    ok = result["ours_lines_per_s"] >= 50_000 and result["ratio"] <= 3 and result["ours_peak_rss_mb"] < 300
    print(f"  target (>= 50,000 lines/s, <= 3x baseline, < 300 MB): {'met' if ok else 'NOT met'}")
    return result


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        run()
