"""POS import speed: `loyalty import` of a generated export into a fresh shop against `sqlite-utils insert --csv`
of the same file, each the real command in its own process, compared by the CPU time and peak memory of that
process (resource.getrusage(RUSAGE_CHILDREN), read by a wrapper process around each command)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import OUT
from bench.import_files import FORMATS, import_args, make_export

LINES = int(os.environ.get("LOYALTY_BENCH_IMPORT_LINES", "60000"))
CHOSEN = [f for f in os.environ.get("LOYALTY_BENCH_IMPORT_FORMATS", ",".join(FORMATS)).split(",") if f]
GOAL, MOONSHOT, RSS_MB = 0.5, 0.25, 300  # at most 0.5x the anchor's CPU (moonshot 0.25x); < 300 MB for 1.5M lines
ROOT = Path(__file__).resolve().parent.parent


def _wrapper(cmd: list[str]) -> None:
    """Run ``cmd`` as this process's only child and print its CPU seconds, peak RSS and wall seconds."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"cpu_s": u.ru_utime + u.ru_stime, "rss_mb": u.ru_maxrss / 1024, "wall_s": wall,
                      "code": done.returncode, "out": done.stdout[-4000:], "err": done.stderr[-4000:]}))


def measure(cmd: list[str]) -> dict[str, Any]:
    """CPU, peak memory and wall time of ``cmd`` alone (measured by a wrapper whose only child it is)."""
    out = subprocess.run([sys.executable, "-m", "bench.bench_import", "--wrap", *cmd], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    r: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if r["code"] != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {r['code']}: {r['err']}")
    return r


def _fresh(path: Path) -> Path:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)
    return path


def new_shop(path: Path) -> Path:
    from loyalty_app.clock import SystemClock
    from loyalty_app.shop import open_shop

    shop = open_shop(_fresh(path), clock=SystemClock())
    shop.initialise(shop_name="Bench", region="US", time_zone="America/New_York")
    shop.close()
    return path


def anchor_command() -> str:
    return shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")


def one_format(fmt: str, lines: int) -> dict[str, Any]:
    csv_path = make_export(OUT / "imports", fmt, lines)
    db = new_shop(OUT / f"import-{fmt}.sqlite")
    ours = measure([sys.executable, "-m", "loyalty_app.cli", "--db", str(db), "import", str(csv_path),
                    *import_args(fmt), "--report", str(OUT / f"import-{fmt}-report.csv"), "--json"])
    summary = json.loads(ours["out"])
    anchor_db = _fresh(OUT / f"import-{fmt}-anchor.sqlite")
    anchor = measure([anchor_command(), "insert", str(anchor_db), "rows", str(csv_path), "--csv"])
    return {
        "format": fmt, "lines": lines, "lines_imported": summary["lines_imported"], "rejected": summary["rejected"],
        "customers_created": summary["customers_created"], "products_created": summary["products_created"],
        "ours_cpu_s": round(ours["cpu_s"], 2), "ours_wall_s": round(ours["wall_s"], 2),
        "ours_peak_rss_mb": round(ours["rss_mb"]), "ours_lines_per_cpu_s": round(lines / ours["cpu_s"]),
        "anchor_cpu_s": round(anchor["cpu_s"], 2), "anchor_wall_s": round(anchor["wall_s"], 2),
        "anchor_peak_rss_mb": round(anchor["rss_mb"]),
        "ratio_cpu": round(ours["cpu_s"] / anchor["cpu_s"], 2),
    }


def run() -> dict[str, Any]:
    print(f"POS import, {LINES:,} lines: `loyalty import` into a fresh shop vs `sqlite-utils insert --csv` "
          f"(CPU of each command's process; load average {os.getloadavg()[0]:.1f})")
    print(f"  {'format':<16} {'ours CPU s':>10} {'anchor CPU s':>12} {'ratio':>6} {'lines/CPU s':>11} "
          f"{'peak MB':>8} {'anchor MB':>9} {'imported':>9} {'rejected':>8}")
    results: dict[str, Any] = {}
    for fmt in CHOSEN:
        r = results[fmt] = one_format(fmt, LINES)
        print(f"  {fmt:<16} {r['ours_cpu_s']:>10.2f} {r['anchor_cpu_s']:>12.2f} {r['ratio_cpu']:>6.2f} "
              f"{r['ours_lines_per_cpu_s']:>11,} {r['ours_peak_rss_mb']:>8} {r['anchor_peak_rss_mb']:>9} "
              f"{r['lines_imported']:>9,} {r['rejected']:>8}", flush=True)
    worst = max(r["ratio_cpu"] for r in results.values())
    peak = max(r["ours_peak_rss_mb"] for r in results.values())
    print(f"  goal (CPU <= {GOAL}x the anchor, moonshot {MOONSHOT}x; < {RSS_MB} MB): worst ratio {worst:.2f} "
          f"{'meets the moonshot' if worst <= MOONSHOT else 'meets the goal' if worst <= GOAL else 'misses the goal'}"
          f", peak {peak} MB")
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["--wrap"]:
        _wrapper(sys.argv[2:])
    else:
        run()
