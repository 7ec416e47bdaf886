"""First run: the wizard's answers make a ready shop; bad answers are refused before anything is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from loyalty_app.errors import Conflict, ValidationError
from loyalty_app.first_run import START_DEMO, ShopSetup, create_shop
from loyalty_app.points_rules import PointsProgram
from tests.paths import ROOT


def test_a_new_shop_gets_country_currency_zone_owner_program_and_backup_folder(tmp_path: Path) -> None:
    setup = ShopSetup(shop_name="Thé & Co", country="FR", owner_pin="2468", backup_dir=tmp_path / "usb",
                      program=PointsProgram(earn_points=2, welcome_bonus=50))
    shop = create_shop(tmp_path / "shop.sqlite", setup)
    try:
        assert shop.settings["shop_name"] == "Thé & Co"
        assert (shop.ctx.region, shop.ctx.currency, shop.settings["time_zone"]) == ("FR", "EUR", "Europe/Paris")
        assert shop.settings["backup_dir"] == str(tmp_path / "usb")
        assert shop.points.program().earn_points == 2
        assert shop.staff.sign_in("owner", "2468").is_owner
        customer = shop.customers.sign_up("06 12 34 56 78")  # a French mobile in national format
        assert shop.customers.phones(customer.id) == ["+33612345678"]
        assert customer.points_balance == 50
    finally:
        shop.close()


@pytest.mark.parametrize("setup, message", [
    (ShopSetup(shop_name="  ", country="US", owner_pin="2468"), "needs a name"),
    (ShopSetup(shop_name="Shop", country="US", owner_pin="12"), "4 to 12 digits"),
    (ShopSetup(shop_name="Shop", country="US", owner_pin="2468", program=PointsProgram(max_redeem_percent=150)),
     "percentage"),
])
def test_bad_answers_are_refused_and_no_file_is_written(tmp_path: Path, setup: ShopSetup, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        create_shop(tmp_path / "shop.sqlite", setup)
    assert not (tmp_path / "shop.sqlite").exists()


def test_an_existing_shop_is_never_overwritten(tmp_path: Path) -> None:
    create_shop(tmp_path / "shop.sqlite", ShopSetup(shop_name="First", country="US", owner_pin="2468")).close()
    with pytest.raises(Conflict, match="already holds the shop 'First'"):
        create_shop(tmp_path / "shop.sqlite", ShopSetup(shop_name="Second", country="US", owner_pin="1357"))


def test_the_wizard_collects_the_answers_by_keyboard(qtbot) -> None:
    from ui.first_run_wizard import FirstRunWizard

    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.shop_name, "Olive & Vine")
    wizard.country.setCurrentIndex(wizard.country.findData("GB"))
    assert wizard.time_zone.text() == "Europe/London"
    wizard.next()
    qtbot.keyClicks(wizard.pin, "2468")
    qtbot.keyClicks(wizard.pin_again, "2469")
    wizard.next()
    assert wizard.pin_message.text() == "The two PINs are not the same."
    wizard.pin_again.clear()
    qtbot.keyClicks(wizard.pin_again, "2468")
    wizard.next()
    wizard.bonus.setValue(25)
    assert "25 points welcome bonus" in wizard.summary.text()
    assert "£5.00 off" in wizard.summary.text()
    wizard.next()
    wizard.next()
    assert wizard.currentPage().title() == "How do you want to start?"
    demo = next(b for b in wizard.start_group.buttons() if b.property("start") == START_DEMO)
    # A radio button reacts on its label, which is at its left edge (the widget is as wide as the page).
    qtbot.mouseClick(demo, Qt.MouseButton.LeftButton, pos=QPoint(10, demo.height() // 2))
    setup = wizard.setup()
    assert (setup.shop_name, setup.country, setup.owner_pin, setup.start) == ("Olive & Vine", "GB", "2468", "demo")
    assert setup.program.welcome_bonus == 25


def test_a_first_start_without_a_shop_runs_the_wizard_then_opens_the_new_shop(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-m", "tests.first_start_worker", str(db)], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines() == ["WINDOW SHOWN", "EXIT 0"]
    from loyalty_app.shop import open_shop

    shop = open_shop(db)
    try:
        assert shop.ctx.shop_name == "Tea Corner" and shop.ctx.currency == "GBP"
    finally:
        shop.close()
