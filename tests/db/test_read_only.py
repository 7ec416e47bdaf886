"""A read-only shop file, or a read-only folder (a locked USB stick): one clear line, nothing written, and the shop
is whole once it can be written again. Needs root for chattr and mount (skipped elsewhere)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from loyalty_app.errors import ShopUnavailable
from loyalty_app.shop import open_shop
from tests.crash_harness import ROOT
from tests.crash_setup import make_shop

pytestmark = pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or not shutil.which("chattr"),
                                reason="simulating read-only storage needs root (chattr, mount)")


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable flag")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@contextmanager
def read_only_mount(folder: Path) -> Iterator[Path]:
    view = folder.with_name(folder.name + "-ro")
    view.mkdir()
    if subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True).returncode != 0:
        pytest.skip("bind mounts are not allowed here")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True, capture_output=True)
        yield view
    finally:
        subprocess.run(["umount", str(view)], check=True)


def _sale(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "loyalty_app.cli", "--db", str(db), "sale", "--customer",
                           "+14155550140", "--item", "BAS250"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)


def _whole(db: Path) -> tuple[int, int]:
    shop = open_shop(db)
    try:
        assert all(not problems for problems in shop.check().values())
        c = shop.lookup.find_one("+14155550140")
        return len(shop.lookup.profile(c.id).history), shop.customers.get(c.id).points_balance
    finally:
        shop.close()


def _assert_one_clear_line(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("loyalty: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_a_read_only_shop_file_refuses_the_sale_clearly(tmp_path: Path) -> None:
    db = make_shop(tmp_path / "shop.sqlite")
    before = _whole(db)
    with immutable(db):
        result = _sale(db)
    _assert_one_clear_line(result)
    assert "read" in result.stderr
    assert _whole(db) == before
    assert _sale(db).returncode == 0  # writable again: the counter carries on


def test_a_read_only_folder_refuses_the_sale_and_the_backup_clearly(tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    db = make_shop(folder / "shop.sqlite")
    before = _whole(db)
    with read_only_mount(folder) as view:
        result = _sale(view / "shop.sqlite")
        _assert_one_clear_line(result)
        assert "can only be read" in result.stderr and "nothing was changed" in result.stderr
        shop = open_shop(db)
        try:
            with pytest.raises(ShopUnavailable, match="could not write the backup"):
                shop.backups.backup_now(view / "backups" / "copy.sqlite")
        finally:
            shop.close()
    assert _whole(db) == before
