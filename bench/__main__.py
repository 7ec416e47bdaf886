"""`python -m bench [topic ...]`: run every bench/bench_<topic>.py (or the named ones) and print their results."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def topics() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmarks of Loyalty Desk; see bench/README.md for what each measures "
        "and the environment variables that size them.")
    parser.add_argument("topic", nargs="*", metavar="TOPIC",
                        help=f"benchmarks to run (default: all): {', '.join(topics())}")
    parser.add_argument("--json", action="store_true", help="print every result as JSON at the end")
    args = parser.parse_args(argv)
    unknown = [t for t in args.topic if t not in topics()]
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; choose from {', '.join(topics())}")
    results = {}
    for topic in args.topic or topics():
        module = importlib.import_module(f"bench.bench_{topic}")
        print(f"== {topic}", flush=True)
        results[topic] = module.run()
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # PySide6 can crash while the interpreter tears down Qt objects of a GUI benchmark; the results are out.
    os._exit(code)
