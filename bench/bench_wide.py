"""The suggestion maths on a wide catalogue (bench/wide_history.py: 3,000 products, 8,000 customers, random
repertoires): statistics, the rebuild's tuning, one customer's ranking, and the evaluation's targets on data
whose next purchases follow no rhythm and little co-purchase (LOYALTY_BENCH_WIDE=products,customers to resize)."""

from __future__ import annotations

import os
import random
import time
from typing import Any

from bench.common import percentiles, table
from bench.wide_history import wide_history


def run() -> dict[str, Any]:
    from loyalty_app.suggestions.cooccurrence import build_stats
    from loyalty_app.suggestions.evaluate import evaluate
    from loyalty_app.suggestions.metrics import by_customer, sorted_for_stats
    from loyalty_app.suggestions.ranking import components, rank_next
    from loyalty_app.suggestions.tuning import calibrate
    from loyalty_app.views import plain

    products, customers = (int(x) for x in os.environ.get("LOYALTY_BENCH_WIDE", "3000,8000").split(","))
    lines, catalogue = wide_history(products=products, customers=customers)
    today = max(ln[2] for ln in lines) + 1
    t0 = time.process_time()
    stats = build_stats(sorted_for_stats(lines), catalogue)
    build_s = time.process_time() - t0
    assert stats is not None
    t0 = time.process_time()
    weights = calibrate(lines, catalogue, today, 30, 3, sample=800)  # as the rebuild tunes
    tune_s = time.process_time() - t0
    hist = by_customer(lines)
    popular = sorted(stats.baskets, key=lambda p: (-stats.baskets[p], p))
    cpu = []
    for cid in random.Random(7).sample(sorted(hist), 300):
        t0 = time.process_time()
        rank_next(components(hist[cid], catalogue, stats, today, 30, weights), stats, weights, popular, 3)
        cpu.append((time.process_time() - t0) * 1000)
    t0 = time.process_time()
    result = evaluate(lines, catalogue, holdout_days=60, k=5)
    evaluate_s = time.process_time() - t0
    print(f"wide catalogue: {len(lines)} lines, {products} products, {customers} customers; statistics "
          f"{build_s:.1f} s CPU, the rebuild's tuning {tune_s:.1f} s CPU, evaluate {evaluate_s:.1f} s CPU")
    print(table("wide catalogue", [("one customer's ranking (components + top 3), CPU", percentiles(cpu))]))
    print("evaluation targets (ours vs baseline):")
    for name, v in result.targets.items():
        print(f"  {'n/a' if v.met is None else 'met' if v.met else 'missed':<7}{name}: {v.ours} vs {v.baseline}")
    return {"lines": len(lines), "build_stats_cpu_s": round(build_s, 2), "tune_cpu_s": round(tune_s, 2),
            "evaluate_cpu_s": round(evaluate_s, 2), "ranking": percentiles(cpu), "weights": str(weights),
            "targets": plain(result.targets)}
