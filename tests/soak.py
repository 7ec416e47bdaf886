"""The long crash soak: `python -m tests.soak --kills 200` (README: `scripts/dev soak`)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.crash_harness import mail_server, run
from tests.crash_setup import make_shop


def main() -> int:
    p = argparse.ArgumentParser(description="Kill a working counter N times; check nothing saved was lost.")
    p.add_argument("--kills", type=int, default=200)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp, mail_server() as (port, received):
        db = make_shop(Path(tmp) / "soak.sqlite", mail_port=port)
        out = run(db, args.kills, args.seed, received=received)
    kinds = ", ".join(f"{kind}s: {out.count(kind)}" for kind in ("sale", "return", "import", "mail"))
    kinds += f"; emails accepted by the server: {out.emails_received}"
    print(f"kills survived: {out.kills}; reported saved: {len(out.saved)} ({kinds}); problems: {len(out.problems)}")
    for problem in out.problems[:20]:
        print("  " + problem)
    return 1 if out.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
