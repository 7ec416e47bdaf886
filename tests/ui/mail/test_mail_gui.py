"""The Email tab end to end: compose → audience → preview → send (worker, progress) → outbox → results."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.mail_support import add_new_basil, configure_mail, customer

pytestmark = pytest.mark.gui


def test_compose_preview_send_and_watch_the_outbox(qtbot, catalogue, owner, smtp, memory_keyring, qtmodeltester):
    from ui.main_window import MainWindow

    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    ada = customer(shop, 161, "Ada", "ada@example.com", buys=("BAS250",))
    dee = customer(shop, 162, "Dee", "dee@example.com", buys=("BAS500",))
    customer(shop, 163, "Ben", "ben@example.com", buys=("LEM250",))
    add_new_basil(shop, owner)
    window = MainWindow(shop)
    qtbot.addWidget(window)
    mail = window.mail
    assert window.tabs.tabText(window.tabs.indexOf(mail)) == "Email"
    compose = mail.compose

    compose.choose_product("BASNEW")
    with qtbot.waitSignal(compose.sig_proposed, timeout=20000):
        qtbot.mouseClick(compose.propose_button, Qt.MouseButton.LeftButton)
    assert compose.audience_model.rowCount() == 2
    assert compose.count_label.text().startswith("2 will receive it")
    qtmodeltester.check(compose.audience_model)

    dee_row = next(i for i in range(2) if compose.audience_model.row(i).customer_id == dee)
    compose.preview_combo.setCurrentIndex(compose.preview_combo.findData(dee))
    assert "Hello Dee" in compose.preview_text.toPlainText()
    assert "Basil olive oil — 2026 harvest" in compose.subject_line.text()
    # the owner unticks Dee: she will not get it this time
    idx = compose.audience_model.index(dee_row, compose.audience_model.COL_SEND)
    assert compose.audience_model.setData(idx, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)

    compose.actor = owner
    with qtbot.waitSignal(compose.sig_sent, timeout=20000) as done, \
            qtbot.waitSignal(compose.sig_proposed, timeout=20000) as again:
        qtbot.mouseClick(compose.send_button, Qt.MouseButton.LeftButton)
    assert done.args[0].delivery.sent == 1
    assert again.args == [1]  # proposed afresh: Ada has it now; Dee, excluded this time, could get it later
    assert compose.audience_model.row(0).customer_id == dee

    assert [str(m["To"]) for m in smtp.handler.messages] == ["Ada <ada@example.com>"]
    assert compose.progress.value() == compose.progress.maximum()
    assert "Sent 1" in compose.status_label.text()

    model = mail.outbox.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, model.COL_STATUS).data() == "sent"
    assert "ada@example.com" in model.index(0, model.COL_TO).data()
    assert model.index(0, model.COL_WHEN).data() == "2026-11-02 10:30"  # 18:30 UTC in Los Angeles
    results = mail.campaigns.model
    assert results.rowCount() == 1 and results.index(0, 1).data() == "1"
    assert ada  # Ada was the one recipient


def test_cancel_stops_between_emails_and_the_rest_stay_queued(qtbot, catalogue, owner, smtp, memory_keyring, tasks):
    from ui.mail.mail_tab import MailTab

    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    for n in range(5):
        customer(shop, 170 + n, f"B{n}", f"b{n}@example.com", buys=("BAS250",))
    add_new_basil(shop, owner)
    tab = MailTab(shop, tasks)
    qtbot.addWidget(tab)
    smtp.handler.block_on_mail = 2  # hold the second email until the owner has pressed Cancel
    tab.compose.choose_product("BASNEW")
    with qtbot.waitSignal(tab.compose.sig_proposed, timeout=20000):
        tab.compose.propose()
    shop.ctx.actor = owner  # signed in at the window: no second PIN asked
    with qtbot.waitSignal(tab.compose.sig_sent, timeout=20000) as done, \
            qtbot.waitSignal(tab.compose.sig_proposed, timeout=20000):
        tab.compose.send()
        qtbot.waitUntil(smtp.handler.blocked.is_set, timeout=10000)
        qtbot.mouseClick(tab.compose.cancel_button, Qt.MouseButton.LeftButton)
        smtp.handler.release.set()
    delivery = done.args[0].delivery
    assert delivery.cancelled and delivery.sent == 2 and delivery.remaining == 3
    assert "Cancelled" in tab.compose.status_label.text()
    assert tab.outbox.counts_label.text() == "3 queued, 2 sent"


def test_settings_dialog_keeps_the_password_in_the_keyring_and_tests_in_the_background(
        qtbot, shop, owner, smtp, memory_keyring, db_path):
    from ui.mail.mail_settings_dialog import MailSettingsDialog

    dialog = MailSettingsDialog(shop, owner)
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(smtp.port)
    dialog.security.setCurrentIndex(dialog.security.findData("plain"))
    dialog.from_address.setText("hello@olive.example")
    dialog.postal_address.setPlainText("12 Harbour Street\nSausalito, CA")
    dialog.user.setText("")
    assert dialog.save()
    assert shop.ctx.settings["shop_postal_address"] == "12 Harbour Street; Sausalito, CA"
    dialog.test_address.setText("owner@olive.example")
    with qtbot.waitSignal(dialog.sig_tested, timeout=20000) as tested:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert tested.args[0].startswith("test email sent to owner@olive.example")
    assert smtp.handler.messages[0]["Subject"] == "Test email from Test Olive Co"

    dialog.user.setText("shopuser")
    dialog.password.setText("s3cret-Passw0rd")
    assert dialog.save()
    assert memory_keyring.get_password("loyalty-desk", "shopuser") == "s3cret-Passw0rd"
    assert dialog.password.text() == ""
    shop.ctx.db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob("shop.sqlite*"))
    assert b"s3cret-Passw0rd" not in raw


def test_settings_dialog_says_when_the_host_is_unreachable(qtbot, shop, owner, memory_keyring):
    from tests.mail_support import free_port
    from ui.mail.mail_settings_dialog import MailSettingsDialog

    dialog = MailSettingsDialog(shop, owner)
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(free_port())
    dialog.security.setCurrentIndex(dialog.security.findData("plain"))
    dialog.from_address.setText("hello@olive.example")
    with qtbot.waitSignal(dialog.sig_tested, timeout=20000) as tested:
        dialog.send_test()
    assert tested.args[0].startswith("host unreachable")
    assert dialog.test_button.isEnabled()
