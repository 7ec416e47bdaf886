"""Closing the window while emails are being sent: the send stops between two emails, the window waits for it,
no thread is left and each email is either sent (and marked so) or still queued for next time."""

from __future__ import annotations

import threading

import pytest

from tests.mail_support import add_new_basil, configure_mail, customer
from tests.threads import threads_left_behind
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_closing_the_window_during_a_send_marks_each_email_sent_or_queued(catalogue, owner, smtp, memory_keyring,
                                                                           qtbot):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    for n in range(5):
        customer(shop, 180 + n, f"C{n}", f"c{n}@example.com", buys=("BAS250",))
    add_new_basil(shop, owner)
    window = MainWindow(shop)
    qtbot.addWidget(window)
    compose = window.mail.compose
    compose.choose_product("BASNEW")
    with qtbot.waitSignal(compose.sig_proposed, timeout=20000):
        compose.propose()
    shop.ctx.actor = owner
    smtp.handler.block_on_mail = 2  # the server holds the second email while the owner closes the window
    compose.send()
    qtbot.waitUntil(smtp.handler.blocked.is_set, timeout=20000)
    before = set(threading.enumerate())  # the SMTP server's own threads are the fixture's to stop
    smtp.handler.release.set()
    window.close()
    # The SMTP server's event loop may start its executor thread ('asyncio_0') for a later connection: that one
    # is the fixture's to stop too.
    assert window.tasks.running() == [] and [t for t in threads_left_behind(before) if "'asyncio_" not in t] == []
    rows = shop.ctx.db.conn.execute("SELECT status, count(*) FROM mail_outbox GROUP BY status").fetchall()
    statuses = dict(rows)
    assert set(statuses) <= {"sent", "queued"} and sum(statuses.values()) == 5
    assert 2 <= statuses["sent"] < 5  # stopped between emails: the rest stay queued for next time
    assert len(smtp.handler.messages) == statuses["sent"]  # every email the server took is marked sent
