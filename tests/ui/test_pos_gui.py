"""The window pulls from a connected POS in its task runner and shows how far it is (Square on loopback)."""

from __future__ import annotations

import pytest

from tests.pos_servers import FakeSquare

pytestmark = pytest.mark.gui


@pytest.fixture
def connected(httpserver, catalogue, owner, monkeypatch):
    fake = FakeSquare(httpserver)
    fake.skus["V-BAS250"] = "BAS250"
    fake.sale("O1", "2026-11-02T10:00:00.000Z", [("V-BAS250", "Basil olive oil 250 ml", 2, 1450)])
    fake.sale("O2", "2026-11-02T11:00:00.000Z", [("V-BAS250", "Basil olive oil 250 ml", 1, 1450)])
    fake.sale("O3", "2026-11-02T12:00:00.000Z", [("V-BAS250", "Basil olive oil 250 ml", 1, 1450)])
    monkeypatch.setenv("SQUARE_TOKEN", fake.token)
    catalogue.pos.connect("square", "till", token_env="SQUARE_TOKEN", api_base=fake.base, since="2026-11-01",
                          actor=owner)
    return fake


def test_window_pulls_in_the_background_and_shows_the_state(qtbot, catalogue, connected, monkeypatch):
    from ui.main_window import MainWindow
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    label = window.pos_puller.label
    qtbot.waitUntil(lambda: label.text() != "", timeout=20000)
    assert label.text() == "Square (till): up to 2026-11-02 12:00, 3 new sales, 0 returns"
    assert catalogue.ctx.db.conn.execute("SELECT count(*) FROM purchases").fetchone()[0] == 3
    # A refused token is the one line the owner acts on, in the same place.
    monkeypatch.setenv("SQUARE_TOKEN", "revoked")
    with qtbot.waitSignal(window.pos_puller.sig_status, timeout=20000) as blocker:
        window.pos_puller.pull_now()
    assert blocker.args[0].startswith("Square (till): Square refused the access token (HTTP 401); nothing was "
                                      "changed")
    window.close()


def test_no_connection_no_timer(qtbot, catalogue):
    from ui.main_window import MainWindow
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    assert not window.pos_puller.timer.isActive() and window.pos_puller.task is None
    window.close()


def test_counter_beside_the_till_refuses_to_ring_the_sale(qtbot, catalogue, connected):
    from PySide6.QtCore import Qt

    from ui.main_window import MainWindow
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.pos_puller.label.text() != "", timeout=20000)
    panel = window.counter.sale_panel
    qtbot.keyClicks(panel.item_input, "BAS250")
    qtbot.keyClick(panel.item_input, Qt.Key.Key_Return)
    assert panel.finish() is None
    assert panel.status_label.text() == (
        "Not saved: this shop rings its sales on Square: ring this one at the till and it comes in with its points "
        "at the next pull (for a customer who did not show their card there, attach the order here afterwards); "
        "nothing was saved")
    assert [r.sku for r in panel.basket.rows] == ["BAS250"]
    assert catalogue.ctx.db.conn.execute("SELECT count(*) FROM purchases").fetchone()[0] == 3  # the pulled ones
    window.close()


def test_counter_redeems_points_for_the_till_and_the_pull_confirms_them(qtbot, catalogue, owner, connected):
    from PySide6.QtCore import Qt

    from tests.pos_servers import money
    from ui.main_window import MainWindow
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.points.adjust(ada.id, 300, "opening balance", actor=owner)
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.pos_puller.label.text() != "", timeout=20000)
    window.counter.open_customer(ada.id)
    panel = window.counter.sale_panel
    for _ in range(4):
        qtbot.keyClicks(panel.item_input, "BAS250")
        qtbot.keyClick(panel.item_input, Qt.Key.Key_Return)
    panel.redeem_spin.setValue(100)
    assert panel.finish() is None
    assert panel.status_label.text() == ("100 points redeemed: key a discount of $5.00 into the till for Ada "
                                         "(balance 200; confirmed when the POS order comes in)")
    assert panel.basket.rows == [] and catalogue.customers.get(ada.id).points_balance == 200
    # The cashier keys $5.00 off into Square; the next pull carries it and confirms the redemption.
    connected.customers["C-ADA"] = {"given_name": "Ada", "phone_number": "+14155550132"}
    o = connected.sale("O9", "2026-11-02T18:35:00.000Z", [("V-BAS250", "Basil olive oil 250 ml", 4, 1450)],
                       customer="C-ADA")
    o["line_items"][0]["total_money"] = money(5300)
    o["total_discount_money"] = money(500)
    with qtbot.waitSignal(window.pos_puller.sig_pulled, timeout=20000):
        window.pos_puller.pull_now()
    assert catalogue.pos.till.pending() == []
    assert catalogue.customers.get(ada.id).points_balance == 253
    window.close()
