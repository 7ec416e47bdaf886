"""Suggestion speed on the benchmark shop: statistics rebuild (< 20 s of CPU) and one customer's suggestions (< 5 ms p95)."""

from __future__ import annotations

import os
import random
import resource
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.common import benchmark_shop, percentiles, table, time_calls


def run(path: Path | None = None, sample: int = 300) -> dict[str, Any]:
    from loyalty_app.shop import open_shop

    env = os.environ.get("LOYALTY_BENCH_SUGGEST_DB")  # another shop, e.g. a real one's imported history
    path = path or (Path(env) if env else benchmark_shop())
    with sqlite3.connect(path) as raw:  # bare SQLite only to pick customers at random
        ids = [r[0] for r in raw.execute("SELECT DISTINCT customer_id FROM purchases WHERE customer_id IS NOT NULL")]
        lines = raw.execute("SELECT count(*) FROM purchase_lines").fetchone()[0]
    chosen = random.Random(7).sample(ids, min(sample, len(ids)))
    shop = open_shop(path)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        built = shop.suggestions.rebuild(retune=True)  # the full job, tuning included (as on first use)
        rebuild_s, rebuild_cpu = time.perf_counter() - t0, time.process_time() - c0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # Linux: kilobytes
        shop.suggestions.for_customer(chosen[0])  # loads the stored statistics once, as the app does at start
        it = iter(chosen * 2)
        rows = [
            ("for_customer (counter, 3 with reasons)", percentiles(time_calls(
                lambda: shop.suggestions.for_customer(next(it)), len(chosen)))),
            ("refill_due", percentiles(time_calls(lambda: shop.suggestions.refill_due(next(it)), len(chosen)))),
        ]
        it = iter(chosen)
        basket = ["", ""]
        skus = [p.sku for p in shop.products.list(include_inactive=False)][:40]
        rng = random.Random(3)

        def complete() -> None:
            basket[:] = rng.sample(skus, 2)
            shop.suggestions.complete_basket(basket, next(it))

        rows.append(("complete_basket (2 items, known customer)", percentiles(time_calls(complete, len(chosen)))))
        it = iter(chosen)
        cpu: list[float] = []  # CPU time per call: what the code costs, whatever else the machine is doing
        for cid in chosen:
            c0 = time.process_time()
            shop.suggestions.for_customer(cid)
            cpu.append((time.process_time() - c0) * 1000)
        rows.append(("for_customer, CPU time", percentiles(cpu)))
        it = iter(chosen)
        # The whole history, as the counter loads it (no history_limit).
        rows.append(("lookup.profile (whole history + enrichers)", percentiles(time_calls(
            lambda: shop.lookup.profile(next(it)), len(chosen)))))
        t0 = time.perf_counter()
        due = shop.suggestions.due_customers(within_days=7)
        due_s = time.perf_counter() - t0
    finally:
        shop.close()
    print(f"benchmark shop: {lines} lines, {len(ids)} customers with purchases")
    print(f"statistics rebuild with tuning: {rebuild_s:.1f} s wall, {rebuild_cpu:.1f} s CPU (target < 20 s), "
          f"peak memory {peak_mb} MB; "
          f"due_customers(within 7 days): {due_s:.1f} s, "
          f"{len(due)} customers")
    print(table("suggestions", rows))
    return {"lines": lines, "rebuild_s": round(rebuild_s, 2), "rebuild_cpu_s": round(rebuild_cpu, 2), "peak_mb": peak_mb, "rebuild": built, "due_customers_s": round(due_s, 2),
            **{name: r for name, r in rows}}
