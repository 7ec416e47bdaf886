"""A way back from the worst days: a damaged or vanished shop file names the latest good backup, and
`loyalty restore` brings it back (setting the damaged file aside, never deleting it). Erasure leaves no trace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from loyalty_app.errors import ShopUnavailable
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop


def _damage(path: Path, start: int, junk: bytes) -> bytes:
    data = bytearray(path.read_bytes())
    data[start:start + len(junk)] = junk
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize(("start", "junk"), [(0, b"garbage!" * 2), (100, b"\xff" * 3000)],
                         ids=["header", "schema page"])
def test_a_damaged_file_names_the_latest_good_backup_and_restore_brings_it_back(
        catalogue, cli, monkeypatch, start: int, junk: bytes) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    sale = catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2)])
    good = catalogue.backups.daily_backup_if_due()
    assert good is not None and good.parent == catalogue.path.parent / "backups"
    db = catalogue.path
    catalogue.close()
    damaged = _damage(db, start, junk)
    with pytest.raises(ShopUnavailable) as refused:
        open_shop(db)
    assert "damaged" in str(refused.value) and f"loyalty restore {good}" in str(refused.value)
    assert db.read_bytes() == damaged  # no further damage
    result = cli("sale", "--customer", "4155550132", "--item", "BAS250")
    assert result.code == 1 and str(good) in result.err and "Traceback" not in result.err

    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1111")
    assert cli("restore", str(good)).code == 1  # the PIN is checked against the backup's own staff
    assert db.read_bytes() == damaged
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    restored = cli("restore", str(good), "--json")
    assert restored.code == 0, restored.err
    kept = Path(restored.json()["safety_copy"])
    assert kept.read_bytes() == damaged  # the damaged file is set aside, never deleted
    shop = open_shop(db)
    try:
        assert shop.sales.purchase(sale.purchase_id).total_cents == 2900
        assert all(not problems for problems in shop.check().values())
        shop.ctx.actor = shop.staff.sign_in("owner", "1234")
        assert shop.audit_log(1)[0].action == "backup.restore"
    finally:
        shop.close()


def test_a_file_deleted_while_open_names_the_backup_to_restore(catalogue) -> None:
    good = catalogue.backups.backup_now()
    os.remove(catalogue.path)
    with pytest.raises(ShopUnavailable, match=f"loyalty restore {good}"):
        catalogue.customers.sign_up("+14155550132")


def test_a_backup_from_another_shop_stem_is_not_offered(catalogue, tmp_path: Path) -> None:
    db = catalogue.path
    catalogue.close()
    _damage(db, 0, b"x" * 16)
    with pytest.raises(ShopUnavailable, match="not a Loyalty Desk database"):
        open_shop(db)  # no backup of this shop: an unknown file is not called ours, and nothing is suggested


def test_erasure_leaves_no_name_email_or_notes_anywhere_in_the_file(catalogue, owner) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Zebediah Quuxworth", email="zq@example.com")
    catalogue.customers.edit(ada.id, name="Zebediah Quuxworth-Smythe", notes="Quuxnote allergic to basil")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
    catalogue.privacy.erase_customer(ada.id, actor=owner)
    db = catalogue.path
    catalogue.close()
    raw = db.read_bytes() + (Path(f"{db}-wal").read_bytes() if Path(f"{db}-wal").exists() else b"")
    for trace in (b"Quuxworth", b"zq@example", b"Quuxnote"):
        assert trace not in raw, trace
