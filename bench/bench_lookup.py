"""Customer lookup by a phone typed as a person would, to the whole profile with history, against bare SQLite."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from typing import Any

from bench.common import benchmark_shop, percentiles, table
from loyalty_app.lookup import COUNTER_HISTORY_PAGE
from loyalty_app.shop import open_shop

RUNS = int(os.environ.get("LOYALTY_BENCH_RUNS", "500"))


def _bare_profile(conn: sqlite3.Connection, e164: str, purchases: int | None = None) -> dict[str, Any]:
    """The same profile with the fewest hand-written indexed queries: the baseline (the newest ``purchases``
    of the history, or all of it)."""
    c = conn.execute("SELECT c.* FROM phones p JOIN customers c ON c.id = p.customer_id WHERE p.e164 = ?",
                     (e164,)).fetchone()
    phones = conn.execute("SELECT e164 FROM phones WHERE customer_id = ?", (c[0],)).fetchall()
    cards = conn.execute("SELECT number FROM cards WHERE customer_id = ? AND status = 'active'", (c[0],)).fetchall()
    history = conn.execute(
        "SELECT pu.id, pu.occurred_at, pu.total_cents, l.qty, pr.sku, pr.name FROM purchases pu "
        "JOIN purchase_lines l ON l.purchase_id = pu.id JOIN products pr ON pr.id = l.product_id "
        "WHERE pu.id IN (SELECT id FROM purchases WHERE customer_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?) "
        "ORDER BY pu.occurred_at DESC, pu.id DESC, l.line_no", (c[0], -1 if purchases is None else purchases)).fetchall()
    return {"customer": c, "phones": phones, "cards": cards, "history": history}


def _human(e164: str, rng: random.Random) -> str:
    n = e164[2:]
    return rng.choice([f"({n[:3]}) {n[3:6]}-{n[6:]}", f"{n[:3]}.{n[3:6]}.{n[6:]}", f"+1 {n[:3]} {n[3:6]} {n[6:]}",
                       f"{n[:3]} {n[3:6]} {n[6:]}"])


def _ms(fn: Any, arg: Any, cpu: list[float]) -> float:
    """Wall milliseconds of one call; its CPU milliseconds go to ``cpu`` (to tell our work from the machine's)."""
    c0, t0 = time.thread_time(), time.perf_counter()
    fn(arg)
    wall = (time.perf_counter() - t0) * 1000
    cpu.append((time.thread_time() - c0) * 1000)
    return wall


def run() -> dict[str, Any]:
    path = benchmark_shop()
    rng = random.Random(11)
    conn = sqlite3.connect(path)
    ids = rng.sample(range(1, conn.execute("SELECT max(id) FROM phones").fetchone()[0] + 1), RUNS * 2)
    phones = [r[0] for i in ids for r in conn.execute("SELECT e164 FROM phones WHERE id = ? AND e164 LIKE '+1%'",
                                                       (i,))][:RUNS]
    shop = open_shop(path)
    suggestions = list(shop.lookup.enrichers)
    # What the start-up job does once a day (loyalty_app.jobs.startup): the counter's hints of every customer.
    c0, t0 = time.process_time(), time.perf_counter()
    prepared = shop.lookup.prepare_hints()
    prepare = {"customers": prepared, "cpu_s": round(time.process_time() - c0, 1),
               "wall_s": round(time.perf_counter() - t0, 1)}

    def core(text: str) -> None:  # the whole history, no enrichers (what `loyalty customer show` reads)
        shop.lookup.enrichers = []
        shop.lookup.profile(shop.lookup.find(text).matches[0].id)

    def counter(text: str) -> None:  # what the counter runs on Enter: its first page of history, enrichers on
        shop.lookup.enrichers = suggestions
        shop.lookup.profile(shop.lookup.find(text).matches[0].id, history_limit=COUNTER_HISTORY_PAGE)

    def bare(e164: str) -> None:
        _bare_profile(conn, e164, COUNTER_HISTORY_PAGE)

    def bare_all(e164: str) -> None:
        _bare_profile(conn, e164)

    for e164 in phones[:20]:  # warm the caches of all three the same way
        bare(e164)
        bare_all(e164)
        core(_human(e164, rng))
        counter(_human(e164, rng))
    samples: dict[str, list[float]] = {"core": [], "counter": [], "bare": [], "bare_all": []}
    cpu: dict[str, list[float]] = {"core": [], "counter": [], "bare": [], "bare_all": []}
    for e164 in phones:  # interleaved, so a busy moment of the machine hits all of them alike
        bare_all(e164)  # this customer's pages read once untimed: none of the four pays the first read alone
        samples["bare"].append(_ms(bare, e164, cpu["bare"]))
        samples["bare_all"].append(_ms(bare_all, e164, cpu["bare_all"]))
        samples["core"].append(_ms(core, _human(e164, rng), cpu["core"]))
        samples["counter"].append(_ms(counter, _human(e164, rng), cpu["counter"]))
    shop.lookup.enrichers = suggestions
    shop.close()
    conn.close()
    result = {name: percentiles(xs) for name, xs in samples.items()}
    cpu_ms = {name: percentiles(xs) for name, xs in cpu.items()}
    # The headline is what the counter runs: find + profile with its enrichers (refill dates, suggestions) on.
    ratio = {"median": round(result["counter"]["median_ms"] / result["bare"]["median_ms"], 2),
             "p95": round(result["counter"]["p95_ms"] / result["bare"]["p95_ms"], 2)}
    ratio_core = {"median": round(result["core"]["median_ms"] / result["bare_all"]["median_ms"], 2),
                  "p95": round(result["core"]["p95_ms"] / result["bare_all"]["p95_ms"], 2)}
    ratio_cpu = {"median": round(cpu_ms["counter"]["median_ms"] / cpu_ms["bare"]["median_ms"], 2),
                 "p95": round(cpu_ms["counter"]["p95_ms"] / cpu_ms["bare"]["p95_ms"], 2)}
    print(table("Lookup by phone → whole profile (benchmark shop)", [
        (f"counter: find + profile ({COUNTER_HISTORY_PAGE} purchases) + hints", result["counter"]),
        (f"bare sqlite3, same data ({COUNTER_HISTORY_PAGE} purchases)", result["bare"]),
        ("whole history, without the enrichers", result["core"]),
        ("bare sqlite3 baseline, whole history", result["bare_all"])]))
    print(f"  counter/baseline: {ratio['median']}x median, {ratio['p95']}x p95; CPU time {ratio_cpu['median']}x "
          f"median, {ratio_cpu['p95']}x p95   (targets: p95 < 20 ms, within 5x of the baseline)")
    print(f"  whole history without the enrichers / bare whole history: {ratio_core['median']}x median, "
          f"{ratio_core['p95']}x p95 (not what the cashier waits for)")
    print(f"  the day's counter hints prepared first (the start-up job): {prepare['customers']} customers in "
          f"{prepare['cpu_s']} CPU-seconds, {prepare['wall_s']} s wall (0 when already prepared today)")
    print(f"  CPU time only (without the waits a busy machine adds): counter p95 {cpu_ms['counter']['p95_ms']} ms, "
          f"baseline p95 {cpu_ms['bare']['p95_ms']} ms; load average {os.getloadavg()[0]:.1f}")
    return {**result, "prepare_hints": prepare, "ratio": ratio, "ratio_cpu": ratio_cpu, "ratio_without_enrichers": ratio_core, "cpu": cpu_ms,
            "load_average": os.getloadavg()[0]}
