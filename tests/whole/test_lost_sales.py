"""Sales reported saved survive another program reading the shop: no code path opens the shop's file with
anything but SQLite while a connection is live, so this process's locks hold and nobody takes its WAL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from loyalty_app.shop import open_shop
from tests.crash_harness import ROOT
from tests.crash_setup import make_shop


def test_two_opens_an_outside_reader_and_a_power_cut_lose_no_sale(tmp_path: Path) -> None:
    db = make_shop(tmp_path / "shop.sqlite")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "tests.outside_reader_worker", str(db)], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert "OUTSIDE 0" in run.stdout, run.stderr
    saved = [line.split()[1:] for line in run.stdout.splitlines() if line.startswith("SAVED ")]
    assert len(saved) == 5 and run.returncode == -9  # killed after the fifth sale, as by a power cut
    shop = open_shop(db)
    try:
        for pid, uuid in saved:
            assert shop.sales.purchase(int(pid)).uuid == uuid
    finally:
        shop.close()


def _read_locks(pid: int, inode: int) -> list[tuple[str, ...]]:
    """This process's locks on the file: (kind, mode, type, first byte, last byte), without the kernel's line
    number, which moves as other processes take and drop locks."""
    fields = [line.split() for line in Path("/proc/locks").read_text().splitlines()]
    return sorted((f[1], f[2], f[3], f[6], f[7]) for f in fields
                  if f[4] == str(pid) and f[5].endswith(f":{inode}"))


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads the kernel's lock table (Linux)")
def test_opening_the_shop_again_keeps_the_locks_this_process_holds(catalogue) -> None:
    catalogue.customers.list()
    inode = catalogue.path.stat().st_ino
    held = _read_locks(os.getpid(), inode)
    assert held, "an open WAL connection holds a read lock on the shop's file"
    again = open_shop(catalogue.path)
    try:
        again.customers.list()
        assert _read_locks(os.getpid(), inode) == held
    finally:
        again.close()
    assert _read_locks(os.getpid(), inode) == held
