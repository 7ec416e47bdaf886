"""Where an import's CPU goes, and the least it could cost: `python -m bench.import_floor [--json] [FORMAT ...]`.

For each format's bench file (the same files `python -m bench import` writes) it measures, on this machine and in
this minute:

- the anchor: `sqlite-utils insert --csv` of the file, its own process (as `bench import` does);
- start-up: Python with the CLI's imports, its own process;
- parsing: the format's parser over the whole file, no database;
- SQLite: the CPU spent inside every statement and commit of a real `loyalty import` into a fresh shop, run
  in-process with each statement timed, grouped by what it writes.

Start-up, parsing and SQLite add up to the import's floor: what it would cost if the writer's own Python took no
time at all. When the floor is above half the anchor, no tuning of the writer can meet the 0.5x goal; only writing
less can (fewer indexes, records or summaries per line).
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.bench_import import GOAL, LINES, OUT, anchor_command, measure, new_shop
from bench.import_files import FORMATS, import_args, make_export

Timings = dict[str, list[float]]  # group -> [statements, CPU seconds]


def group_of(sql: str) -> str:
    """What a statement writes, in a few words: 'commit', 'insert purchases', 'report summaries', ..."""
    words = sql.split()
    verb = words[0].upper() if words else ""
    if verb in ("COMMIT", "END"):
        return "commit"
    if verb == "INSERT":
        rest = [w for w in words[1:6] if w.upper() not in ("OR", "IGNORE", "REPLACE", "INTO")]
        table = rest[0] if rest else "?"
    elif verb in ("UPDATE", "DELETE"):
        table = (words[2] if verb == "DELETE" and len(words) > 2 else words[1] if len(words) > 1 else "?")
    else:
        return "other (reads, triggers, pragmas)"
    table = table.split("(")[0].removeprefix("temp.")
    if table.startswith(("report_", "import_")) or table.startswith("suggestion_due"):
        return "report summaries and refill marks"
    return f"{verb.lower()} {table}"


def _timed_connection(timings: Timings) -> type[sqlite3.Connection]:
    clock = time.process_time

    def add(sql: str, started: float) -> None:
        t = timings[group_of(sql)]
        t[0] += 1
        t[1] += clock() - started

    def timed(sql: str, call: Callable[..., Any], *args: Any) -> Any:
        started = clock()
        try:
            return call(*args)
        finally:
            add(sql, started)

    class Timed(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            return timed(sql, super().execute, sql, *args)

        def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
            return timed(sql, super().executemany, sql, *args)

        def executescript(self, sql: str) -> sqlite3.Cursor:
            return timed(sql, super().executescript, sql)

        def commit(self) -> None:
            timed("COMMIT", super().commit)

    return Timed


def sql_timings(fmt: str, csv_path: Path) -> tuple[float, Timings]:
    """(CPU of the whole in-process import, CPU inside SQLite by group) for one import into a fresh shop."""
    from loyalty_app.cli.main import main as cli

    db = new_shop(OUT / f"import-floor-{fmt}.sqlite")
    timings: Timings = defaultdict(lambda: [0, 0.0])
    factory = _timed_connection(timings)
    real_connect: Callable[..., sqlite3.Connection] = sqlite3.connect
    sqlite3.connect = lambda *a, **k: real_connect(*a, factory=factory, **k)  # type: ignore[assignment]
    try:
        started = time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):  # the import's own summary
            code = cli(["--db", str(db), "import", str(csv_path), *import_args(fmt),
                        "--report", str(OUT / f"import-floor-{fmt}-report.csv"), "--json"])
        cpu = time.process_time() - started
    finally:
        sqlite3.connect = real_connect  # type: ignore[assignment]
    if code != 0:
        raise RuntimeError(f"the import of {csv_path} exited {code}")
    return cpu, timings


def parse_cpu(fmt: str, csv_path: Path) -> float:
    """CPU of the format's parser over the whole file, with no database."""
    from zoneinfo import ZoneInfo

    from loyalty_app.importers.csv_reader import CsvSource
    from loyalty_app.importers.engine import PARSERS
    from loyalty_app.importers.generic import parse_mapping
    from loyalty_app.importers.records import ParseOptions

    args = import_args(fmt)
    mapping = parse_mapping(args[args.index("--map") + 1]) if "--map" in args else {}
    opts = ParseOptions(zone=ZoneInfo("America/New_York"), day_first=False, region="US", currency="USD",
                        mapping=mapping)
    parser = PARSERS[fmt][1]
    started = time.process_time()
    for _ in parser(CsvSource(csv_path), opts):
        pass
    return time.process_time() - started


def one_format(fmt: str) -> dict[str, Any]:
    csv_path = make_export(OUT / "imports", fmt, LINES)
    anchor = measure([anchor_command(), "insert", str(OUT / f"import-floor-{fmt}-anchor.sqlite"), "rows",
                      str(csv_path), "--csv"])["cpu_s"]
    (OUT / f"import-floor-{fmt}-anchor.sqlite").unlink(missing_ok=True)
    startup = measure([sys.executable, "-c", "import loyalty_app.cli.main"])["cpu_s"]
    parsing = parse_cpu(fmt, csv_path)
    whole, timings = sql_timings(fmt, csv_path)
    sql = sum(t[1] for t in timings.values())
    return {"format": fmt, "anchor_cpu_s": round(anchor, 2), "budget_cpu_s": round(GOAL * anchor, 2),
            "startup_cpu_s": round(startup, 2), "parse_cpu_s": round(parsing, 2), "sql_cpu_s": round(sql, 2),
            "import_in_process_cpu_s": round(whole, 2), "floor_cpu_s": round(startup + parsing + sql, 2),
            "sql": {g: {"statements": int(n), "cpu_s": round(s, 3)}
                    for g, (n, s) in sorted(timings.items(), key=lambda kv: -kv[1][1])}}


def report(r: dict[str, Any]) -> None:
    print(f"  {r['format']}: anchor {r['anchor_cpu_s']:.2f} CPU-s, so the 0.5x budget is {r['budget_cpu_s']:.2f}")
    print(f"    start-up {r['startup_cpu_s']:.2f} + parsing {r['parse_cpu_s']:.2f} + SQLite {r['sql_cpu_s']:.2f} "
          f"= floor {r['floor_cpu_s']:.2f} (the whole import in-process: {r['import_in_process_cpu_s']:.2f}, "
          "start-up not included)")
    for group, t in r["sql"].items():
        if t["cpu_s"] >= 0.01:
            print(f"      {t['cpu_s']:6.2f}  {t['statements']:5}  {group}")
    verdict = ("the floor alone is above the budget: only writing less per line can meet it"
               if r["floor_cpu_s"] > r["budget_cpu_s"] else "the budget is above the floor")
    print(f"    {verdict}")


def main(argv: Sequence[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    chosen = [a for a in argv if a != "--json"] or list(FORMATS)
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        print(f"no format named {', '.join(unknown)}; choose from {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    print(f"Import floor, {LINES:,} lines (CPU seconds of this machine now; --help says what each is)")
    results = [one_format(fmt) for fmt in chosen]
    for r in results:
        report(r)
    if "--json" in argv:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
