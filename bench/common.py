"""Shared by the benchmarks: the 50,000-customer benchmark shop (built once) and percentile maths."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

OUT = Path(os.environ.get("LOYALTY_BENCH_DIR", Path(__file__).resolve().parent / "out"))
BENCH_SHOP = OUT / "bench-shop.sqlite"


def benchmark_shop(customers: int = 50_000, years: int = 3, seed: int = 7) -> Path:
    """The benchmark shop (~2M purchase lines), built on first use and kept in bench/out/ (disk, not tmpfs)."""
    if BENCH_SHOP.exists():
        return BENCH_SHOP
    from loyalty_app.demo import build_demo

    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    stats = build_demo(BENCH_SHOP, seed=seed, customers=customers, years=years)
    print(f"built benchmark shop in {time.perf_counter() - started:.1f} s: {stats}")
    return BENCH_SHOP


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """median and p95 (nearest-rank) in milliseconds, rounded to 0.01 ms."""
    s = sorted(samples_ms)
    p95 = s[min(len(s) - 1, max(0, int(round(0.95 * len(s))) - 1))]
    return {"n": len(s), "median_ms": round(statistics.median(s), 2), "p95_ms": round(p95, 2)}


def time_calls(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall time of each call in milliseconds."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def table(title: str, rows: list[tuple[str, dict[str, float]]]) -> str:
    lines = [title, f"  {'measure':<44} {'n':>6} {'median ms':>10} {'p95 ms':>9}"]
    for name, r in rows:
        lines.append(f"  {name:<44} {r['n']:>6} {r['median_ms']:>10.2f} {r['p95_ms']:>9.2f}")
    return "\n".join(lines)
