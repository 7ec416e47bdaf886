"""A sync with nothing new, on a store that holds 100,000 records of another store: CPU and wall time per call."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from typing import Any

from bench.common import OUT, percentiles, table
from loyalty_app.shop import open_shop

PEER_RECORDS = int(os.environ.get("LOYALTY_BENCH_SYNC_RECORDS", "100000"))
RUNS = int(os.environ.get("LOYALTY_BENCH_RUNS", "50"))


def _store(name: str) -> Any:
    shop = open_shop(OUT / "sync" / f"{name}.sqlite")
    shop.initialise(shop_name="Olive & Vine", owner_pin="1234", default_store=name)
    return shop, shop.staff.verify_owner("1234")


def run() -> dict[str, Any]:
    root = OUT / "sync"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    folder = root / "shared"
    down, owner = _store("Downtown")
    down.sync.setup(folder, "Downtown", actor=owner)
    t0 = time.perf_counter()
    with down.ctx.write():  # a busy store's history of sign-ups, as change records (the writer's rows do not matter)
        for i in range(PEER_RECORDS):
            down.ctx.emit("customer.created", str(uuid.UUID(int=i + 1)),
                          {"name": f"Customer {i}", "email": None, "created_at": down.ctx.now_iso()})
    down.sync.sync_now()
    harbour, owner_h = _store("Harbour")
    harbour.sync.setup(folder, "Harbour", key=down.sync.key(actor=owner), actor=owner_h)
    first = harbour.sync.status().peers[0]
    print(f"  {PEER_RECORDS:,} records written and taken in once in {time.perf_counter() - t0:.1f} s; "
          f"Harbour has applied {first.applied_seq:,}, {first.not_yet_received} not yet received")
    cpu, wall = [], []
    for _ in range(RUNS):
        c0, w0 = time.process_time(), time.perf_counter()
        result = harbour.sync.sync_now()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        assert result.received == 0 and result.published == 0
    down.close()
    harbour.close()
    shutil.rmtree(root, ignore_errors=True)
    rows = [("no-op sync_now, CPU", percentiles(cpu)), ("no-op sync_now, wall", percentiles(wall))]
    print(table(f"Sync with nothing new, {PEER_RECORDS:,} peer records", rows))
    print("  target: < 50 ms CPU")
    return {"cpu_ms": percentiles(cpu), "wall_ms": percentiles(wall), "peer_records": PEER_RECORDS,
            "load_average": os.getloadavg()[0]}
