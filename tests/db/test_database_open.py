"""Opening the shop's file: refusals that change nothing (not a database, newer schema, another program's file,
locked past the timeout), and the pragmas every connection runs with."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from loyalty_app.errors import ShopUnavailable
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from tests.core_helpers import fingerprint
from tests.paths import ROOT


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pragmas(shop) -> None:
    conn = shop.ctx.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_a_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("customers: Ada, Bob\n")
    before = _digest(path)
    with pytest.raises(ShopUnavailable, match="not a Loyalty Desk database"):
        open_shop(path)
    assert _digest(path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_a_damaged_file_with_an_sqlite_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = _digest(path)
    with pytest.raises(ShopUnavailable, match="not a usable database"):
        open_shop(path)
    assert _digest(path) == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ShopUnavailable, match="is a folder"):
        open_shop(tmp_path)


def test_another_programs_sqlite_file_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(ShopUnavailable, match="another program"):
        open_shop(path)
    assert _digest(path) == before


def test_a_database_from_a_newer_version_is_refused_and_untouched(shop, db_path: Path) -> None:
    shop.ctx.db.conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('loyalty_desk', "
        "'0099_from_the_future', '2030-01-01')")
    shop.ctx.db.conn.commit()
    shop.close()
    before = _digest(db_path)
    with pytest.raises(ShopUnavailable, match="newer version of Loyalty Desk .*0099_from_the_future"):
        open_shop(db_path)
    assert _digest(db_path) == before
    assert not (db_path.parent / "backups").exists()


HOLDER = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE settings SET value = 'held' WHERE key = 'shop_name'")
    print("holding", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
""")


@pytest.fixture
def lock_holder(db_path: Path):
    """Another process that holds the database's write lock until the test ends."""
    def start() -> subprocess.Popen[str]:
        proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        procs.append(proc)
        return proc
    procs: list[subprocess.Popen[str]] = []
    yield start
    for proc in procs:
        proc.communicate("\n", timeout=20)


def test_a_database_locked_by_another_process_is_a_clear_error(catalogue, owner, db_path, lock_holder,
                                                               monkeypatch):
    import dataclasses

    monkeypatch.setenv("LOYALTY_BUSY_TIMEOUT_MS", "200")
    c = catalogue.customers.sign_up("(415) 555-0132")
    program = dataclasses.replace(catalogue.points.program(), expiry_mode="inactivity", expiry_months=6)
    catalogue.points.set_program(program, actor=owner)
    catalogue.close()
    shop = open_shop(db_path)
    try:
        assert shop.ctx.db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 200
        before = fingerprint(shop)
        lock_holder()
        with pytest.raises(ShopUnavailable, match="busy with another counter or program"):
            shop.sales.record_sale(c.id, [SaleItem("BAS250")])
        with pytest.raises(ShopUnavailable):
            shop.customers.sign_up("(415) 555-0133")
        assert shop.start_up() is None  # the daily job does not stop the shop from opening
        assert fingerprint(shop) == before
    finally:
        shop.close()


def test_the_command_line_reports_a_lock_in_one_line(catalogue, db_path, lock_holder) -> None:
    catalogue.customers.sign_up("(415) 555-0132")
    catalogue.close()
    lock_holder()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "LOYALTY_BUSY_TIMEOUT_MS": "200"}
    r = subprocess.run([sys.executable, "-m", "loyalty_app.cli", "--db", str(db_path), "sale",
                        "--customer", "(415) 555-0132", "--item", "BAS250"], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=60)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("loyalty: the shop's database is busy") and r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


def test_a_pending_migration_on_a_locked_database_is_refused(tmp_path: Path, lock_holder, monkeypatch) -> None:
    from sqlite_utils import Database

    from db.migrations import MIGRATIONS

    monkeypatch.setenv("LOYALTY_BUSY_TIMEOUT_MS", "200")
    path = tmp_path / "shop.sqlite"
    db = Database(path)
    last = MIGRATIONS._migrations[-1].name
    MIGRATIONS.apply(db, stop_before=last)
    db.execute("INSERT INTO settings (key, value) VALUES ('shop_name', 'Old')")
    db.conn.commit()
    db.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(ShopUnavailable, match="locked by another program"):
            open_shop(path)
    finally:
        holder.communicate("\n", timeout=20)
    assert [m.name for m in MIGRATIONS.pending(Database(path))] == [last]  # nothing half-applied
    shop = open_shop(path)  # once the other program lets go, it opens and migrates
    assert shop.settings["shop_name"] == "Old"
    shop.close()


def test_a_constraint_broken_inside_a_write_is_a_conflict_and_rolls_back(shop) -> None:
    """What a race between two counters would produce reaches the cashier as a Conflict, not a traceback."""
    from db import customers_queries as cq
    from loyalty_app.errors import Conflict

    c = shop.customers.sign_up("(415) 555-0132", name="Ada")
    before = fingerprint(shop)
    with pytest.raises(Conflict, match="nothing was saved"):
        with shop.ctx.write():
            shop.customers.edit(c.id, name="Ada Lovelace")
            cq.insert_phone(shop.ctx.db, {"uuid": "x", "customer_id": c.id, "e164": "+14155550132",
                                          "added_at": "2026-11-02T18:30:00Z"})
    assert fingerprint(shop) == before
