"""Recording a sale with points (1-4 lines, some with redemption), including the synchronous=FULL commit."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
from typing import Any

from bench.common import OUT, benchmark_shop, percentiles, table
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop

RUNS = int(os.environ.get("LOYALTY_BENCH_RUNS", "400"))


def run() -> dict[str, Any]:
    source = benchmark_shop()
    path = OUT / "bench-sale.sqlite"
    shutil.copyfile(source, path)  # a copy, so the benchmark shop stays as built
    fs = subprocess.run(["stat", "-f", "-c", "%T", str(path)], capture_output=True, text=True).stdout.strip()
    shop = open_shop(path)
    rng = random.Random(5)
    skus = [p.sku for p in shop.products.list() if p.active and p.price_cents > 0]
    customers = [c.id for c in shop.customers.list(limit=5000)]
    program = shop.points.program()
    samples: list[float] = []
    redeemed = 0
    for _ in range(RUNS):
        # The basket and the redemption are decided first (the cashier's part); only record_sale is timed.
        cid = rng.choice(customers)
        items = [SaleItem(rng.choice(skus), rng.choice([1, 1, 2])) for _ in range(rng.randint(1, 4))]
        subtotal = sum(shop.products.find(i.code).price_cents * i.qty for i in items)
        most = program.max_redeemable(shop.customers.get(cid).points_balance, subtotal)
        redeem = most if most >= program.min_redeem_points and rng.random() < 0.3 else 0
        redeemed += bool(redeem)
        t0 = time.perf_counter()
        shop.sales.record_sale(cid, items, redeem_points=redeem)
        samples.append((time.perf_counter() - t0) * 1000)
    ms = percentiles(samples)
    check = shop.check()
    shop.close()
    for suffix in ("", "-wal", "-shm"):
        OUT.joinpath(path.name + suffix).unlink(missing_ok=True)
    print(table(f"Record a sale with points (file system: {fs})", [("record_sale incl. FULL commit", ms)]))
    print(f"  {redeemed} of {RUNS} sales redeemed points; target: p95 < 15 ms; "
          f"check after the run: {'clean' if not any(check.values()) else check}")
    return {"sale": ms, "filesystem": fs, "redeemed": redeemed, "load_average": os.getloadavg()[0]}
