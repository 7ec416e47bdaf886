"""Recording a sale with points (1-4 lines, some with redemption), including the synchronous=FULL commit, against
the same rows written by hand through sqlite3 into another copy of the shop: the bare baseline."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import time
from typing import Any

from bench.common import OUT, benchmark_shop, percentiles, table
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop

RUNS = int(os.environ.get("LOYALTY_BENCH_RUNS", "400"))
# What a counter sale inserts; the customer's balance and last visit are one update.
TABLES = ("purchases", "purchase_lines", "points_ledger", "change_log")


def _connect_bare(path: os.PathLike[str] | str) -> sqlite3.Connection:
    """The shop's file settings (WAL, synchronous=FULL, foreign keys, checkpoints), nothing of ours on top."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON", "wal_autocheckpoint = 2000",
                   "busy_timeout = 5000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


class SaleRows:
    """Reads back, outside the timing, the rows one sale wrote, and writes them by hand into the bare copy."""

    def __init__(self, ours: sqlite3.Connection, bare: sqlite3.Connection) -> None:
        self.ours, self.bare = ours, bare
        self.columns = {t: [r[1] for r in ours.execute(f"PRAGMA table_info({t})")] for t in TABLES}
        self.inserts = {t: f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                        for t, cols in self.columns.items()}

    def marks(self) -> dict[str, int]:
        return {t: self.ours.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0] for t in TABLES}

    def written_since(self, marks: dict[str, int], customer_id: int) -> tuple[dict[str, list[tuple[Any, ...]]],
                                                                               tuple[Any, ...]]:
        rows = {t: self.ours.execute(f"SELECT {', '.join(self.columns[t])} FROM {t} WHERE rowid > ? ORDER BY rowid",
                                     (marks[t],)).fetchall() for t in TABLES}
        customer = self.ours.execute("SELECT points_balance, last_visit_at FROM customers WHERE id = ?",
                                     (customer_id,)).fetchone()
        return rows, (*customer, customer_id)

    def write_bare(self, rows: dict[str, list[tuple[Any, ...]]], customer: tuple[Any, ...]) -> None:
        conn = self.bare
        conn.execute("BEGIN IMMEDIATE")
        for t in TABLES:
            conn.executemany(self.inserts[t], rows[t])
        conn.execute("UPDATE customers SET points_balance = ?, last_visit_at = ? WHERE id = ?", customer)
        conn.execute("COMMIT")


def run() -> dict[str, Any]:
    source = benchmark_shop()
    path, bare_path = OUT / "bench-sale.sqlite", OUT / "bench-sale-bare.sqlite"
    for target in (path, bare_path):
        shutil.copyfile(source, target)  # copies, so the benchmark shop stays as built
    fs = subprocess.run(["stat", "-f", "-c", "%T", str(path)], capture_output=True, text=True).stdout.strip()
    shop = open_shop(path)
    reader, bare = sqlite3.connect(path), _connect_bare(bare_path)
    rows = SaleRows(reader, bare)
    rng = random.Random(5)
    skus = [p.sku for p in shop.products.list() if p.active and p.price_cents > 0]
    customers = [c.id for c in shop.customers.list(limit=5000)]
    program = shop.points.program()
    wall: dict[str, list[float]] = {"ours": [], "bare": []}
    cpu: dict[str, list[float]] = {"ours": [], "bare": []}
    redeemed = written = 0
    for _ in range(RUNS):
        # The basket and the redemption are decided first (the cashier's part); only record_sale is timed.
        cid = rng.choice(customers)
        items = [SaleItem(rng.choice(skus), rng.choice([1, 1, 2])) for _ in range(rng.randint(1, 4))]
        subtotal = sum(shop.products.find(i.code).price_cents * i.qty for i in items)
        most = program.max_redeemable(shop.customers.get(cid).points_balance, subtotal)
        redeem = most if most >= program.min_redeem_points and rng.random() < 0.3 else 0
        redeemed += bool(redeem)
        marks = rows.marks()
        t0, c0 = time.perf_counter(), time.process_time()
        shop.sales.record_sale(cid, items, redeem_points=redeem)
        wall["ours"].append((time.perf_counter() - t0) * 1000)
        cpu["ours"].append((time.process_time() - c0) * 1000)
        sale, customer = rows.written_since(marks, cid)
        written += sum(len(r) for r in sale.values()) + 1
        t0, c0 = time.perf_counter(), time.process_time()
        rows.write_bare(sale, customer)
        wall["bare"].append((time.perf_counter() - t0) * 1000)
        cpu["bare"].append((time.process_time() - c0) * 1000)
    check = shop.check()
    shop.close()
    reader.close()
    bare.close()
    for name in (path.name, bare_path.name):
        for suffix in ("", "-wal", "-shm"):
            OUT.joinpath(name + suffix).unlink(missing_ok=True)
    ms = {k: percentiles(v) for k, v in wall.items()}
    cpu_ms = {k: percentiles(v) for k, v in cpu.items()}
    ratio = {m: round(cpu_ms["ours"][f"{m}_ms"] / cpu_ms["bare"][f"{m}_ms"], 2) for m in ("median", "p95")}
    print(table(f"Record a sale with points (file system: {fs})", [
        ("record_sale incl. FULL commit: wall", ms["ours"]), ("  CPU time", cpu_ms["ours"]),
        ("bare sqlite3, the same rows: wall", ms["bare"]), ("  CPU time", cpu_ms["bare"])]))
    print(f"  CPU ours / bare: {ratio['median']}x median, {ratio['p95']}x p95 (target at most 2x); "
          f"{written / RUNS:.1f} rows a sale; {redeemed} of {RUNS} sales redeemed points; target: p95 < 15 ms; "
          f"check after the run: {'clean' if not any(check.values()) else check}; "
          f"load average {os.getloadavg()[0]:.1f}")
    return {"sale": ms["ours"], "cpu": cpu_ms["ours"], "bare": ms["bare"], "bare_cpu": cpu_ms["bare"],
            "ratio_cpu": ratio, "filesystem": fs, "redeemed": redeemed, "load_average": os.getloadavg()[0]}
