"""The Email tab's side of consent and the automations: the set-up dialog switches them on, the Results tab
counts each campaign's unsubscribes, and the owner's schedule sends a due welcome while the app is open."""

from __future__ import annotations

import email
from email import policy

import pytest

from tests.mail_support import SHOP_FROM, add_new_basil, configure_mail, customer

pytestmark = pytest.mark.gui


def test_the_set_up_dialog_switches_the_automations_on(qtbot, shop, owner, smtp, memory_keyring):
    from ui.mail.mail_settings_dialog import MailSettingsDialog

    configure_mail(shop, owner, smtp.port)
    dialog = MailSettingsDialog(shop, owner)
    qtbot.addWidget(dialog)
    assert not dialog.welcome.isChecked() and not dialog.winback.isChecked()  # off by default
    dialog.welcome.click()
    dialog.winback.click()
    dialog.winback_days.setValue(45)
    dialog.unsubscribe_url.setText("https://olive.example/u/{token}")
    assert dialog.save()
    ms = shop.mail.settings()
    assert (ms.welcome, ms.winback, ms.winback_min_days, ms.unsubscribe_url) == (
        True, True, 45, "https://olive.example/u/{token}")
    dialog.unsubscribe_url.setText("olive.example/u")
    assert not dialog.save()
    assert dialog.message.text().startswith("the unsubscribe web address starts with https://")


def test_results_count_unsubscribes_and_the_schedule_sends_the_welcome(qtbot, catalogue, owner, smtp,
                                                                       memory_keyring, clock):
    from ui.main_window import MainWindow

    shop = catalogue
    configure_mail(shop, owner, smtp.port, welcome="on", cap_days=0)
    clock.advance(minutes=1)
    customer(shop, 401, "Ada", "ada@example.com", buys=("BAS250",))
    add_new_basil(shop, owner)
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    token = str(smtp.handler.messages[0]["List-Unsubscribe"]).split("%20")[1].rstrip(">")
    shop.mail.apply_message(email.message_from_bytes(
        f"From: <a@example.org>\nTo: {SHOP_FROM}\nSubject: unsubscribe {token}\n\n".encode(), policy=policy.default))
    window = MainWindow(shop)
    qtbot.addWidget(window)
    mail = window.mail
    model = mail.campaigns.model
    col = model.HEADERS.index("Unsubscribed")
    assert model.rowCount() == 1 and model.index(0, col).data() == "1"
    shop.ctx.actor = owner
    with qtbot.waitSignal(mail.compose.sig_sent, timeout=20000):
        mail._on_schedule_timer_timeout()
    assert [m["Subject"] for m in smtp.handler.messages][-1] == "Welcome to Test Olive Co"
    assert not shop.mail.automations_run_is_due()
