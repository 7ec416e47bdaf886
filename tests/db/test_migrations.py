"""Migrations: an empty file becomes a full shop; a pending migration on an existing shop is preceded by an
online-backup copy that opens as the old shop."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db.migrations import MIGRATIONS
from loyalty_app.shop import open_shop

CORE_TABLES = {"settings", "stores", "staff", "points_programs", "customers", "customers_fts", "phones", "cards",
               "consent_events", "customer_external_ids", "customer_merges", "products", "purchases",
               "purchase_lines", "returns", "return_lines", "points_ledger", "audit_log", "change_log"}


def test_an_empty_file_is_migrated_to_the_whole_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    path.touch()
    shop = open_shop(path)
    try:
        db = shop.ctx.db
        assert set(db.table_names()) >= CORE_TABLES
        assert [m.name for m in MIGRATIONS.applied(db)] == [m.name for m in MIGRATIONS._migrations]
        assert MIGRATIONS.pending(db) == []
        indexes = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"phones_customer", "cards_customer", "customers_email", "purchases_customer_time",
                "points_ledger_customer"} <= indexes
        assert not (tmp_path / "backups").exists()  # nothing to back up in a new file
        shop.initialise(shop_name="New", owner_pin="1234")
        assert shop.check() == {name: [] for name in shop.check()}
    finally:
        shop.close()
    assert oct(path.stat().st_mode & 0o777) in ("0o600", "0o644")


def test_a_missing_file_is_created_readable_by_its_user_only(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "shop.sqlite"
    open_shop(path).close()
    assert path.stat().st_mode & 0o077 == 0


def test_the_lookup_indexes_are_used(shop) -> None:
    conn = shop.ctx.db.conn

    def plan(sql: str) -> str:
        return " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, ("x",)))

    assert "USING INDEX" in plan("SELECT customer_id FROM phones WHERE e164 = ?")
    assert "USING INDEX" in plan("SELECT customer_id FROM cards WHERE number = ?")
    assert "USING INDEX" in plan("SELECT id FROM customers WHERE email = ? COLLATE NOCASE AND merged_into IS NULL")
    assert "USING" in plan("SELECT id FROM purchases WHERE customer_id = ? ORDER BY occurred_at DESC")


def test_a_pending_migration_is_preceded_by_a_backup_of_the_old_shop(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite"
    last = MIGRATIONS._migrations[-1].name
    db = Database(path)
    MIGRATIONS.apply(db, stop_before=last)  # a shop written by the previous version
    db.execute("INSERT INTO settings (key, value) VALUES ('shop_name', 'Old Shop')")
    db.conn.commit()
    db.close()

    shop = open_shop(path)
    try:
        assert shop.settings["shop_name"] == "Old Shop"
        assert MIGRATIONS.pending(shop.ctx.db) == []
    finally:
        shop.close()
    [backup] = list((tmp_path / "backups").glob(f"shop-before-{last}-*.sqlite"))
    old = sqlite3.connect(backup)
    try:
        assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        applied = [r[0] for r in old.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert last not in applied and len(applied) == len(MIGRATIONS._migrations) - 1
        assert old.execute("SELECT value FROM settings WHERE key = 'shop_name'").fetchone()[0] == "Old Shop"
    finally:
        old.close()
    assert backup.stat().st_mode & 0o077 == 0

    open_shop(path).close()  # nothing pending: no second backup
    assert len(list((tmp_path / "backups").glob("*.sqlite"))) == 1
