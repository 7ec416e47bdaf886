"""`python -m bench [topic ...]`: run every bench/bench_<topic>.py (or the named ones) and print their results."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    topics = [a for a in argv if not a.startswith("-")] or sorted(
        p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
    results = {}
    for topic in topics:
        module = importlib.import_module(f"bench.bench_{topic}")
        print(f"== {topic}", flush=True)
        results[topic] = module.run()
    if "--json" in argv:
        print(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # PySide6 can crash while the interpreter tears down Qt objects of a GUI benchmark; the results are out.
    os._exit(code)
