"""Upgrades keep the data: a database written at schema 0001 opens in this version, after a backup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loyalty_app.shop import open_shop
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "shop-schema-0001.sqlite"


def test_a_shop_from_the_first_schema_opens_with_its_customers_and_points(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite"
    shutil.copy(FIXTURE, db)
    shop = open_shop(db)
    try:
        customer = shop.lookup.find_one("(415) 555-0199")
        profile = shop.lookup.profile(customer.id)
        assert profile.name == "Zoë Upgrade"
        assert profile.points_balance == 38
        assert len(profile.history) == 2
        assert profile.email_consent is True
        assert shop.check() == {name: [] for name in shop.check()}
    finally:
        shop.close()


def test_a_pending_migration_is_preceded_by_a_backup(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite"
    shutil.copy(FIXTURE, db)
    from db.migrations import MIGRATIONS

    if len(MIGRATIONS._migrations) == 1:
        pytest.skip("no migration newer than the fixture's schema yet")
    open_shop(db).close()
    backups = list((tmp_path / "backups").glob("shop-before-*.sqlite"))
    assert backups, "a backup is written before migrating"
