"""Backups, restore, privacy export and erasure, the audit log: what keeps a shop's data safe and lawful."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from loyalty_app import jobs
from loyalty_app.errors import PermissionDenied, ValidationError
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop


def test_backups_are_verified_kept_to_a_count_and_private(catalogue, owner, tmp_path: Path, clock) -> None:
    catalogue.backups.configure(folder=tmp_path / "usb", keep=3, actor=owner)
    made = []
    for _ in range(5):
        made.append(catalogue.backups.backup_now())
        clock.advance(hours=1)
    listed = [Path(b.file) for b in catalogue.backups.list_backups()]
    assert listed == made[:-4:-1]  # the newest three, newest first
    assert stat.S_IMODE(os.stat(listed[0]).st_mode) == 0o600
    fresh = open_shop(tmp_path / "new-shop.sqlite")  # a shop the app creates is its user's only
    fresh.close()
    assert stat.S_IMODE(os.stat(tmp_path / "new-shop.sqlite").st_mode) == 0o600
    copy = open_shop(listed[0])
    try:
        assert copy.products.find("BAS250").name == "Basil olive oil 250 ml"
    finally:
        copy.close()


def test_a_daily_backup_is_taken_once_a_day(catalogue, owner, tmp_path: Path, clock) -> None:
    catalogue.backups.configure(folder=tmp_path / "b", actor=owner)
    assert catalogue.backups.daily_backup_if_due() is not None
    assert catalogue.backups.daily_backup_if_due() is None
    clock.advance(days=1)
    assert catalogue.backups.daily_backup_if_due() is not None


def test_restore_brings_back_the_backup_and_keeps_the_current_file(catalogue, owner, tmp_path: Path, cli,
                                                                   monkeypatch) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.backups.configure(folder=tmp_path / "b", actor=owner)
    good = catalogue.backups.backup_now()
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])  # happens after the backup
    db = catalogue.path
    catalogue.close()
    monkeypatch.setenv("LOYALTY_STAFF", "sam")
    monkeypatch.setenv("LOYALTY_PIN", "1111")
    refused = cli("restore", str(good))
    assert refused.code == 1 and "needs the owner" in refused.err
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    result = cli("restore", str(good), "--json")
    assert result.code == 0, result.err
    shop = open_shop(db)
    try:
        assert shop.lookup.profile(ada.id).history == ()
        shop.ctx.actor = shop.staff.verify_owner("1234")
        assert any(e.action == "backup.restore" for e in shop.audit_log())
    finally:
        shop.close()
    safety = open_shop(Path(result.json()["safety_copy"]))
    try:
        assert len(safety.lookup.profile(ada.id).history) == 1  # nothing is lost by restoring
    finally:
        safety.close()


@pytest.mark.parametrize("content, message", [(b"hello, not a database", "damaged or not a database"),
                                             (b"SQLite format 3\x00" + b"\x00" * 200, "damaged or not a database")])
def test_a_damaged_file_is_never_restored(catalogue, tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        jobs.restore_backup(catalogue.path, bad, "owner", "1234")
    assert catalogue.products.find("BAS250")  # the shop is untouched


def test_export_gives_everything_and_erasure_keeps_anonymous_sales(catalogue, owner) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada <script>", email="ada@example.com",
                                      email_consent=True)
    card = catalogue.customers.attach_card(ada.id)
    sale = catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])
    with pytest.raises(PermissionDenied):
        catalogue.privacy.export_customer(ada.id, actor=catalogue.staff.identify("sam"))
    data = catalogue.privacy.export_customer(ada.id, actor=owner)
    assert data.customer is not None and data.customer["name"] == "Ada <script>" and data.tables["phones"][0]["e164"] == "+14155550132"
    assert data.tables["cards"][0]["number"] == card and len(data.tables["purchase_lines"]) == 1
    assert data.tables["consent_events"][0]["granted"] == 1
    with pytest.raises(PermissionDenied):
        catalogue.privacy.erase_customer(ada.id, actor=catalogue.staff.identify("sam"))
    catalogue.privacy.erase_customer(ada.id, actor=owner)
    assert catalogue.lookup.find("+14155550132").matches == []
    assert catalogue.lookup.find("ada").matches == []  # the name is gone from the search index too
    assert catalogue.sales.purchase(sale.purchase_id).total_cents == 2900  # the sale stays, for the reports
    after = catalogue.privacy.export_customer(ada.id, actor=owner)
    assert after.customer is not None and after.customer["name"] is None and after.customer["email"] is None
    assert after.tables["phones"] == []
    catalogue.ctx.actor = owner
    actions = [e.action for e in catalogue.audit_log()]
    assert "customer.export" in actions and "customer.erase" in actions


def test_the_cli_exports_erases_and_shows_the_audit_log(catalogue, cli, monkeypatch) -> None:
    catalogue.customers.sign_up("+14155550132", name="Ada")
    assert cli("customer", "export", "4155550132").code == 1  # no owner named
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    assert cli("customer", "export", "4155550132", "--json").json()["customer"]["name"] == "Ada"
    assert cli("customer", "erase", "4155550132").code == 0
    audit = cli("audit", "--json").json()
    assert [a["action"] for a in audit][:2] == ["customer.erase", "customer.export"]

