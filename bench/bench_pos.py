"""A POS pull: 2,000 Square orders (20 pages of 100, 600 customers fetched once each) from a local HTTP server in
another process, into an empty shop; then the same pull again (nothing new) and a pull of 100 edited orders."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import OUT
from loyalty_app.shop import open_shop

ORDERS = int(os.environ.get("LOYALTY_BENCH_POS_ORDERS", "2000"))

SERVER = r'''
import logging, sys
logging.getLogger("werkzeug").setLevel(logging.ERROR)
from pytest_httpserver import HTTPServer
from tests.pos_servers import FakeSquare
server = HTTPServer(host="127.0.0.1", port=0)
server.start()
fake = FakeSquare(server, page_size=100)
n = int(sys.argv[1])
for c in range(600):
    fake.customers[f"C{c}"] = {"given_name": f"Guest {c}", "phone_number": f"+1415555{c % 10000:04d}"}
for v in range(40):
    fake.skus[f"V{v}"] = f"SKU{v}"
def stamp(i):
    return f"2026-11-{1 + i * 29 // n:02d}T{10 + i % 8:02d}:{i % 60:02d}:00.000Z"
for i in range(n):
    fake.sale(f"O{i}", stamp(i), [(f"V{i % 40}", f"Oil {i % 40} (250 ml)", 1 + i % 3, 1450),
                                  (f"V{(i * 7) % 40}", f"Oil {(i * 7) % 40} (500 ml)", 1, 2500)],
              customer=f"C{i % 600}" if i % 4 else None)
print(fake.base, flush=True)
for line in sys.stdin:
    k = int(line)
    for i in range(k):
        o = fake.orders[f"O{i}"]
        o["version"] += 1
        o["updated_at"] = "2026-11-30T23:00:00.000Z"
        o["line_items"][0]["quantity"] = str(int(o["line_items"][0]["quantity"]) + 1)
        o["line_items"][0]["total_money"]["amount"] += 1450
    print("ok", flush=True)
'''


def _pull(shop: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    [s] = shop.pos.pull()
    return time.perf_counter() - wall, time.process_time() - cpu, s


def run() -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(ORDERS)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    assert server.stdout is not None and server.stdin is not None
    base = server.stdout.readline().strip()
    path = OUT / "bench-pos.sqlite"
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    shop = open_shop(path)
    try:
        shop.initialise(shop_name="Bench POS", owner_pin="1234")
        owner = shop.staff.sign_in("owner", "1234")
        os.environ["BENCH_SQUARE_TOKEN"] = "secret-token"
        shop.pos.connect("square", "till", token_env="BENCH_SQUARE_TOKEN", api_base=base, since="2026-10-31",
                         actor=owner)
        first = _pull(shop)
        again = _pull(shop)
        server.stdin.write("100\n")
        server.stdin.flush()
        server.stdout.readline()
        edits = _pull(shop)
        problems = {k: v for k, v in shop.check().items() if v}
    finally:
        shop.close()
        server.kill()
    out = {"orders": ORDERS, "first_pull_s": round(first[0], 2), "first_pull_cpu_s": round(first[1], 2),
           "orders_per_s": round(ORDERS / first[0]), "sales_applied": first[2].sales_applied,
           "customers_created": first[2].customers_created, "pages": first[2].pages,
           "again_s": round(again[0], 2), "again_applied": again[2].sales_applied,
           "edits_s": round(edits[0], 2), "edits_reapplied": edits[2].sales_reapplied, "check_problems": problems}
    for k, v in out.items():
        print(f"{k:>20}: {v}")
    return out
