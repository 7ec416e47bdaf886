"""Recording a sale with points (1-4 lines, some with redemption), including the synchronous=FULL commit."""

from __future__ import annotations

import random
import shutil
import subprocess

from bench.common import OUT, benchmark_shop, percentiles, table, time_calls
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop

RUNS = 400


def run() -> dict:
    source = benchmark_shop()
    path = OUT / "bench-sale.sqlite"
    shutil.copyfile(source, path)  # a copy, so the benchmark shop stays as built
    fs = subprocess.run(["stat", "-f", "-c", "%T", str(path)], capture_output=True, text=True).stdout.strip()
    shop = open_shop(path)
    rng = random.Random(5)
    skus = [p.sku for p in shop.products.list() if p.active and p.price_cents > 0]
    customers = [c.id for c in shop.customers.list(limit=5000)]

    def sale() -> None:
        cid = rng.choice(customers)
        items = [SaleItem(rng.choice(skus), rng.choice([1, 1, 2])) for _ in range(rng.randint(1, 4))]
        balance = shop.customers.get(cid).points_balance
        program = shop.points.program()
        subtotal = sum(shop.products.find(i.code).price_cents * i.qty for i in items)
        most = program.max_redeemable(balance, subtotal)
        redeem = most if most >= program.min_redeem_points and rng.random() < 0.3 else 0
        shop.sales.record_sale(cid, items, redeem_points=redeem)

    ms = percentiles(time_calls(sale, RUNS))
    check = shop.check()
    shop.close()
    path.unlink()
    print(table(f"Record a sale with points (file system: {fs})", [("record_sale incl. FULL commit", ms)]))
    print(f"  target: p95 < 15 ms; check after the run: {'clean' if not any(check.values()) else check}")
    return {"sale": ms, "filesystem": fs}
