"""Kill a working counter at random moments and prove nothing it reported as saved was lost or half-written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from loyalty_app.shop import open_shop

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Outcome:
    kills: int = 0
    sales: dict[int, int] = field(default_factory=dict)  # purchase id -> total reported
    returns: list[tuple[int, int]] = field(default_factory=list)  # (return id, purchase id)
    problems: list[str] = field(default_factory=list)


def run(db: Path, kills: int, seed: int = 1) -> Outcome:
    rng = random.Random(seed)
    out = Outcome()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for i in range(kills):
        worker = subprocess.Popen([sys.executable, "-m", "tests.crash_worker", str(db), str(seed * 1000 + i)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        assert worker.stdout is not None
        for _ in range(rng.randint(1, 8)):  # let it save a few, then pull the plug mid-whatever
            line = worker.stdout.readline()
            if not line:
                break
            parts = line.split()
            if parts[:2] == ["SAVED", "sale"]:
                out.sales[int(parts[2])] = int(parts[3])
            elif parts[:2] == ["SAVED", "return"]:
                out.returns.append((int(parts[2]), int(parts[3])))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        out.kills += 1
    out.problems = verify(db, out)
    return out


def verify(db: Path, out: Outcome) -> list[str]:
    shop = open_shop(db)
    problems: list[str] = []
    try:
        for pid, total in out.sales.items():
            try:
                p = shop.sales.purchase(pid)
            except Exception:  # noqa: BLE001 - any failure here is a lost sale
                problems.append(f"sale #{pid} reported saved is missing")
                continue
            if p["total_cents"] != total or not p["lines"]:
                problems.append(f"sale #{pid} is not as saved")
        for rid, pid in out.returns:
            if rid not in {r["id"] for r in shop.sales.purchase(pid)["returns"]}:
                problems.append(f"return #{rid} of sale #{pid} reported saved is missing")
        problems += [f"{name}: {p}" for name, ps in shop.check().items() for p in ps]
    finally:
        shop.close()
    return problems
