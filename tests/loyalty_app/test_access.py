"""Who may do what: owner-only actions refused in the services for a cashier, slow salted PINs, the audit log."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from loyalty_app.errors import PermissionDenied
from loyalty_app.points_rules import PointsProgram
from loyalty_app.reports.model import ReportPeriod
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop


def test_a_cashier_is_refused_every_owner_action_in_the_services(catalogue, tmp_path: Path) -> None:
    sam = catalogue.staff.sign_in("sam", "1111")
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    bea = catalogue.customers.sign_up("+14155550133", name="Bea")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
    kept = catalogue.backups.backup_now(tmp_path / "kept.sqlite")
    before = catalogue.customers.get(ada.id)
    attempts = {
        "program": lambda: catalogue.points.set_program(PointsProgram(), actor=sam),
        "adjust": lambda: catalogue.points.adjust(ada.id, 1000, "gift", actor=sam),
        "merge": lambda: catalogue.customers.merge(ada.id, bea.id, actor=sam),
        "export": lambda: catalogue.privacy.export_customer(ada.id, actor=sam),
        "erase": lambda: catalogue.privacy.erase_customer(ada.id, actor=sam),
        "restore": lambda: catalogue.backups.restore_into(kept, "sam", "1111"),
        "backup settings": lambda: catalogue.backups.configure(keep=1, actor=sam),
        "product add": lambda: catalogue.products.add(sku="X1", name="X", price_cents=1, actor=sam),
        "product edit": lambda: catalogue.products.edit("BAS250", price_cents=1, actor=sam),
        "staff add": lambda: catalogue.staff.add("eve", "owner", "9999", actor=sam),
        "staff pin": lambda: catalogue.staff.set_pin("owner", "0000", actor=sam),
        "staff deactivate": lambda: catalogue.staff.set_active("owner", False, actor=sam),
        "report": lambda: catalogue.reports.popular(ReportPeriod(catalogue.ctx.now().date(), catalogue.ctx.now().date()),
                                                    actor=sam),
        "audit log": lambda: catalogue.audit_log(),
    }
    catalogue.ctx.actor = sam
    for name, attempt in attempts.items():
        with pytest.raises(PermissionDenied, match="owner"):
            attempt()
        assert name  # every refusal above is one clear PermissionDenied naming the owner
    after = catalogue.customers.get(ada.id)
    assert (after.name, after.points_balance) == (before.name, before.points_balance)
    assert catalogue.products.find("BAS250").price_cents == 1450
    assert catalogue.staff.sign_in("owner", "1234").is_owner


def test_pins_are_salted_slow_hashes_and_wrong_ones_lock_the_name(shop, clock) -> None:
    rows = shop.ctx.db.execute("SELECT name, pin_hash FROM staff").fetchall()
    hashes = {r[0]: r[1] for r in rows}
    assert all(h.startswith("scrypt$") and "1234" not in h and "1111" not in h for h in hashes.values())
    shop.staff.set_pin("sam", "1234", actor=shop.staff.verify_owner("1234"))
    new = shop.ctx.db.execute("SELECT pin_hash FROM staff WHERE name = 'sam'").fetchone()[0]
    assert new != hashes["owner"]  # same PIN, different salt
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            shop.staff.sign_in("owner", "0000")
    with pytest.raises(PermissionDenied, match="too many wrong PINs"):
        shop.staff.sign_in("owner", "1234")  # even the right PIN waits out the lock


def test_the_owner_reads_who_did_what_and_when(catalogue, owner, cli, monkeypatch, tmp_path: Path) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    bea = catalogue.customers.sign_up("+14155550133", name="Bea")
    catalogue.points.adjust(ada.id, 50, "apology", actor=owner)
    catalogue.customers.merge(ada.id, bea.id, actor=owner)
    catalogue.points.set_program(PointsProgram(), actor=owner)
    catalogue.backups.configure(folder=tmp_path / "usb", keep=5, actor=owner)
    catalogue.privacy.export_customer(ada.id, actor=owner)
    catalogue.privacy.erase_customer(ada.id, actor=owner)
    catalogue.close()
    assert cli("audit", "--json").code == 1  # not without the owner
    monkeypatch.setenv("LOYALTY_STAFF", "sam")
    monkeypatch.setenv("LOYALTY_PIN", "1111")
    refused = cli("audit", "--json")
    assert refused.code == 1 and "owner" in refused.err
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    log = json.loads(cli("audit", "--json").out)
    actions = [e["action"] for e in log]
    wanted = {"points.adjust", "customer.merge", "program.change", "backup.configure", "customer.export",
              "customer.erase"}
    assert wanted <= set(actions)
    latest = {}
    for e in log:  # newest first; the shop's first program was set at creation, by nobody signed in
        latest.setdefault(e["action"], e)
    assert {a: (latest[a]["staff_name"], latest[a]["at"]) for a in wanted} == {
        a: ("owner", "2026-11-02T18:30:00Z") for a in wanted}


def test_the_shop_and_its_backups_are_readable_by_their_user_only(tmp_path: Path) -> None:
    shop = open_shop(tmp_path / "new" / "shop.sqlite")
    try:
        shop.initialise(shop_name="Private Oils", owner_pin="1234")
        copy = shop.backups.backup_now(tmp_path / "usb" / "copy.sqlite")
        daily = shop.backups.daily_backup_if_due()
        assert daily is not None
        files = [shop.path, Path(f"{shop.path}-wal"), copy, daily]
        for path in files:
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    finally:
        shop.close()
