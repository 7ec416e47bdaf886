"""A synthetic shop of about 2 million purchase lines written straight into SQLite, for the report benchmark when
the demo-built benchmark shop is not at hand: `python -m bench.synthetic_shop PATH` (about a minute), then
`LOYALTY_BENCH_REPORTS_SHOP=PATH python -m bench reports`. 50,000 customers, 80 products, two stores, three years."""

from __future__ import annotations

import random
import sqlite3
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta


def iso(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(path: str, lines_wanted: int = 2_000_000, seed: int = 7) -> dict[str, int]:
    from loyalty_app.clock import FixedClock
    from loyalty_app.shop import open_shop

    now = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
    shop = open_shop(path, clock=FixedClock(now))
    shop.initialise(shop_name="Bench", owner_pin="1234")
    shop.close()
    from sqlite_utils import Database

    from db import report_summaries

    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")  # one transaction: a build that fails part-way leaves the triggers as they were
    summary_triggers = report_summaries.suspend_report_summaries(Database(con))  # rebuilt once at the end
    rnd = random.Random(seed)
    stamp = iso(now)
    con.executemany("INSERT INTO stores (uuid, name, created_at) VALUES (?, ?, ?)",
                    [(str(uuid.uuid4()), n, stamp) for n in ("Main", "Harbour")])
    con.executemany("INSERT INTO products (uuid, sku, name, price_cents, launched_on, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(str(uuid.uuid4()), f"P{i:03d}", f"Product {i}", 500 + i * 37, "2023-01-01", stamp, stamp)
                     for i in range(80)])
    start = now - timedelta(days=3 * 365)
    con.executemany("INSERT INTO customers (uuid, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    [(str(uuid.uuid4()), f"Customer {i}", iso(start + timedelta(days=rnd.random() * 900)), stamp)
                     for i in range(50_000)])
    con.executemany("INSERT INTO phones (uuid, customer_id, e164, added_at) VALUES (?, ?, ?, ?)",
                    [(str(uuid.uuid4()), i + 1, f"+1415{i:07d}", stamp) for i in range(50_000)])
    purchases, lines, ledger = [], [], []
    balance: dict[int, int] = {}
    last: dict[int, str] = {}
    pid = lid = 0
    while lid < lines_wanted:
        cid = rnd.randint(1, 50_000) if rnd.random() < 0.8 else None
        when = iso(start + timedelta(seconds=rnd.random() * 3 * 365 * 86400))
        pid += 1
        sub = 0
        for ln in range(rnd.choice((1, 2, 3, 3, 4, 5))):
            lid += 1
            p, q = rnd.randint(1, 80), rnd.choice((1, 1, 1, 2))
            net = q * (500 + (p - 1) * 37)
            sub += net
            lines.append((str(uuid.uuid4()), pid, ln + 1, p, q, net // q, net, net // 100,
                          1 if rnd.random() < 0.01 else 0))
        points = sub // 100 if cid else 0
        purchases.append((str(uuid.uuid4()), cid, rnd.randint(1, 2), when, sub, sub, points, when))
        if cid:
            ledger.append((str(uuid.uuid4()), cid, "earn", points, pid, when))
            balance[cid] = balance.get(cid, 0) + points
            last[cid] = max(last.get(cid, ""), when)
            if balance[cid] > 300 and rnd.random() < 0.3:
                ledger.append((str(uuid.uuid4()), cid, "redeem", -200, pid, when))
                balance[cid] -= 200
    con.executemany("INSERT INTO purchases (uuid, customer_id, store_id, occurred_at, subtotal_cents, total_cents, "
                    "points_earned, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", purchases)
    con.executemany("INSERT INTO purchase_lines (uuid, purchase_id, line_no, product_id, qty, unit_price_cents, "
                    "net_cents, points_earned, returned_qty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", lines)
    con.executemany("INSERT INTO points_ledger (uuid, customer_id, kind, delta, purchase_id, at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", ledger)
    con.executemany("UPDATE customers SET points_balance = ?, last_visit_at = ? WHERE id = ?",
                    [(b, last[c], c) for c, b in balance.items()])
    report_summaries.resume_report_summaries(Database(con), summary_triggers)
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return {"purchases": pid, "lines": lid, "ledger": len(ledger)}


if __name__ == "__main__":
    t0 = time.perf_counter()
    print(build(sys.argv[1]), f"{time.perf_counter() - t0:.0f} s")
