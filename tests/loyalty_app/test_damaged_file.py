"""A shop file damaged in the middle (a failing disk, a bad sector): `check` says so in one line with the way
back, `restore` brings the latest good backup over it (the damaged file set aside, never backed up), no
half-written copy is left by any failed step, and the app's start-up check tells the owner."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from loyalty_app import jobs
from loyalty_app.customers import CustomerService
from loyalty_app.errors import ShopDamaged
from loyalty_app.shop import open_shop
from ui.main_window import MainWindow

GARBAGE = bytes(range(256)) * 32  # 8 KB


def damage_the_middle(path: Path) -> None:
    """Overwrite 8 KB in the middle of the file, on a page boundary, as a bad sector would."""
    size = path.stat().st_size
    middle = size // 2 - (size // 2) % 4096
    with path.open("r+b") as fh:  # the shop is closed here: no connection of this process is live
        fh.seek(middle)
        fh.write(GARBAGE)


@pytest.fixture
def damaged(demo_shop_path: Path) -> tuple[Path, Path]:
    """A demo shop with one good backup, then damaged in the middle: (shop file, good backup)."""
    shop = open_shop(demo_shop_path)
    try:
        good = shop.backups.backup_now()
    finally:
        shop.close()
    damage_the_middle(demo_shop_path)
    return demo_shop_path, good


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith((".part", ".restoring")))


def test_check_says_damaged_in_one_line_with_the_way_back(damaged, cli) -> None:
    db, good = damaged
    result = cli("check", db=db)
    assert result.code == 1 and "Traceback" not in result.err
    [line] = result.err.strip().splitlines()
    assert "is damaged" in line and f"loyalty restore {good}" in line


def test_any_command_that_meets_a_damaged_page_says_so_in_one_line(catalogue, cli, monkeypatch) -> None:
    good = catalogue.backups.backup_now()

    def malformed(*_args: object, **_kw: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(CustomerService, "list", malformed)
    result = cli("customer", "list")
    assert result.code == 1 and "Traceback" not in result.err
    [line] = result.err.strip().splitlines()
    assert "is damaged (database disk image is malformed)" in line and f"loyalty restore {good}" in line


def test_restore_brings_the_good_backup_back_over_the_damaged_file(damaged, cli, monkeypatch) -> None:
    db, good = damaged
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    result = cli("restore", str(good), "--json", db=db)
    assert result.code == 0, result.err
    kept = Path(result.json()["safety_copy"])
    assert kept.name.startswith(f"{db.name}.damaged-")
    assert GARBAGE in kept.read_bytes()  # set aside as it was, not copied through SQLite
    assert cli("check", db=db).out.strip() == "All checks passed."
    assert _leftovers(db.parent) == []


def test_the_window_restores_over_a_damaged_file(damaged, qtbot) -> None:
    db, good = damaged
    shop = open_shop(db)
    try:
        result = shop.backups.restore_into(good, "owner", "1234")
        assert ".damaged-" in result.safety_copy
        assert shop.quick_check() is None and shop.customers.list()  # the open shop carries on, restored
    finally:
        shop.close()
    assert _leftovers(db.parent) == []


def test_a_backup_of_a_damaged_file_is_refused_and_leaves_nothing(damaged) -> None:
    db, good = damaged
    shop = open_shop(db)
    try:
        with pytest.raises(ShopDamaged, match=f"loyalty restore {good}"):
            shop.backups.backup_now()
        assert [Path(b.file) for b in shop.backups.list_backups()] == [good]  # the good one is still there
    finally:
        shop.close()
    assert _leftovers(db.parent) == []


def test_the_start_up_job_finds_the_damage_and_takes_no_backup(damaged) -> None:
    db, good = damaged
    report = jobs.startup(db)
    assert report.damaged is not None and f"loyalty restore {good}" in report.damaged
    assert report.backup is None and sorted(good.parent.iterdir()) == [good]


def test_the_window_tells_the_owner_the_file_is_damaged(damaged, qtbot) -> None:
    db, good = damaged
    shop = open_shop(db)
    window = MainWindow(shop)
    qtbot.addWidget(window)
    try:
        window.run_startup_checks()
        qtbot.waitUntil(lambda: hasattr(window, "damage_warning"), timeout=30000)
        assert window.damage_warning.isVisible()
        assert "damaged" in window.damage_warning.text() and str(good) in window.damage_warning.text()
        assert "damaged" in window.statusBar().currentMessage()
    finally:
        window.close()
        shop.close()


def test_a_sound_shop_passes_the_start_up_check(demo_shop_path: Path) -> None:
    report = jobs.startup(demo_shop_path)
    assert report.damaged is None and report.problem is None and report.backup is not None
