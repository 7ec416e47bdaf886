"""Customer lookup by a phone typed as a person would, to the whole profile with history, against bare SQLite."""

from __future__ import annotations

import random
import sqlite3

from bench.common import benchmark_shop, percentiles, table, time_calls
from loyalty_app.shop import open_shop

RUNS = 500


def _bare_profile(conn: sqlite3.Connection, e164: str) -> dict:
    """The same profile with the fewest hand-written indexed queries: the baseline."""
    c = conn.execute("SELECT c.* FROM phones p JOIN customers c ON c.id = p.customer_id WHERE p.e164 = ?",
                     (e164,)).fetchone()
    phones = conn.execute("SELECT e164 FROM phones WHERE customer_id = ?", (c[0],)).fetchall()
    cards = conn.execute("SELECT number FROM cards WHERE customer_id = ? AND status = 'active'", (c[0],)).fetchall()
    history = conn.execute(
        "SELECT pu.id, pu.occurred_at, pu.total_cents, l.qty, pr.sku, pr.name FROM purchases pu "
        "JOIN purchase_lines l ON l.purchase_id = pu.id JOIN products pr ON pr.id = l.product_id "
        "WHERE pu.customer_id = ? ORDER BY pu.occurred_at DESC, l.line_no", (c[0],)).fetchall()
    return {"customer": c, "phones": phones, "cards": cards, "history": history}


def _human(e164: str, rng: random.Random) -> str:
    n = e164[2:]
    return rng.choice([f"({n[:3]}) {n[3:6]}-{n[6:]}", f"{n[:3]}.{n[3:6]}.{n[6:]}", f"+1 {n[:3]} {n[3:6]} {n[6:]}"])


def run() -> dict:
    path = benchmark_shop()
    rng = random.Random(11)
    conn = sqlite3.connect(path)
    phones = [r[0] for r in conn.execute("SELECT e164 FROM phones WHERE e164 LIKE '+1%' ORDER BY random() LIMIT ?",
                                         (RUNS,))]
    shop = open_shop(path)
    typed = iter([_human(p, rng) for p in phones] * 2)
    bare = iter(phones * 2)

    def ours() -> None:
        found = shop.lookup.find(next(typed))
        shop.lookup.profile(found.matches[0].id)

    ours_ms = percentiles(time_calls(ours, RUNS))
    base_ms = percentiles(time_calls(lambda: _bare_profile(conn, next(bare)), RUNS))
    shop.close()
    ratio = round(ours_ms["p95_ms"] / base_ms["p95_ms"], 2)
    print(table("Lookup by phone → whole profile (benchmark shop)", [
        ("loyalty lookup (phone in a human format)", ours_ms), ("bare sqlite3 baseline", base_ms)]))
    print(f"  p95 ratio ours/baseline: {ratio}x   (targets: p95 < 20 ms, ratio <= 5x)")
    return {"ours": ours_ms, "baseline": base_ms, "p95_ratio": ratio}
