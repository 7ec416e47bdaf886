"""The Email tab end to end: compose → audience → preview → send (worker, progress) → outbox → results."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.mail.support import add_new_basil, configure_mail, customer

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
    with qtbot.waitSignal(compose.sig_sent, timeout=20000) as done:
        qtbot.mouseClick(compose.send_button, Qt.MouseButton.LeftButton)
    assert done.args[0]["delivery"]["sent"] == 1
    assert [str(m["To"]) for m in smtp.handler.messages] == ["Ada <ada@example.com>"]
    assert compose.progress.value() == compose.progress.maximum()
    assert "Sent 1" in compose.status_label.text()

    model = mail.outbox.model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, model.COL_STATUS).data() == "sent"
    assert "ada@example.com" in model.index(0, model.COL_TO).data()
    results = mail.campaigns.model
    assert results.rowCount() == 1 and results.index(0, 1).data() == "1"
    assert ada  # Ada was the one recipient


def test_cancel_stops_between_emails_and_the_rest_stay_queued(qtbot, catalogue, owner, smtp, memory_keyring):
    from ui.mail.mail_tab import MailTab

    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    for n in range(5):
        customer(shop, 170 + n, f"B{n}", f"b{n}@example.com", buys=("BAS250",))
    add_new_basil(shop, owner)
    tab = MailTab(shop)
    qtbot.addWidget(tab)
    smtp.handler.block_on_mail = 2  # hold the second email until the owner has pressed Cancel
    tab.compose.choose_product("BASNEW")
    tab.compose.propose()
    tab.compose.actor = owner
    with qtbot.waitSignal(tab.compose.sig_sent, timeout=20000) as done:
        tab.compose.send()
        qtbot.waitUntil(smtp.handler.blocked.is_set, timeout=10000)
        qtbot.mouseClick(tab.compose.cancel_button, Qt.MouseButton.LeftButton)
        smtp.handler.release.set()
    delivery = done.args[0]["delivery"]
    assert delivery["cancelled"] and delivery["sent"] == 2 and delivery["remaining"] == 3
    assert "Cancelled" in tab.compose.status_label.text()
    assert tab.outbox.counts_label.text() == "3 queued, 2 sent"
