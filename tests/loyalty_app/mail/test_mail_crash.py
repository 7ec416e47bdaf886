"""A sender killed mid-batch loses no queued email and, restarted, resends none already marked sent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter

from tests.conftest import OWNER_PIN
from tests.mail_support import add_new_basil, configure_mail, customer
from tests.paths import ROOT


def test_killed_sender_restarts_without_duplicates(catalogue, owner, smtp, db_path, memory_keyring):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    for n in range(10):
        customer(shop, 110 + n, f"Buyer {n}", f"buyer{n}@example.com", buys=("BAS250",))
    add_new_basil(shop, owner)
    assert len(shop.mail.announce("BASNEW", owner).queued) == 10
    smtp.handler.block_on_mail = 5  # the 5th email stops at MAIL FROM until released

    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOYALTY_STAFF": "owner", "LOYALTY_PIN": OWNER_PIN}
    proc = subprocess.Popen([sys.executable, "-m", "loyalty_app.cli", "--db", str(db_path), "outbox", "--send"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert smtp.handler.blocked.wait(timeout=60), proc.stderr.read() if proc.poll() is not None else ""
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    smtp.handler.release.set()

    statuses = Counter(r.status for r in shop.mail.outbox())
    assert statuses == {"sent": 4, "queued": 6}  # nothing lost, the four accepted ones are marked sent

    smtp.handler.block_on_mail = None
    report = shop.mail.deliver()
    assert report.sent == 6 and report.remaining == 0
    received = Counter(str(m["To"]) for m in smtp.handler.messages)
    assert len(received) == 10 and set(received.values()) == {1}
    assert len({m["Message-ID"] for m in smtp.handler.messages}) == 10


def test_a_second_sender_waits_for_the_first(catalogue, owner, smtp, memory_keyring):
    import socket
    from datetime import UTC, datetime, timedelta

    from db import mail_queries
    from loyalty_app.clock import to_iso

    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    customer(shop, 190, "Ada", "ada@example.com", buys=("BAS250",))
    add_new_basil(shop, owner)
    shop.mail.announce("BASNEW", owner)
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        until = to_iso(datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=2))
        with shop.ctx.write():
            mail_queries.set_sender_lease(shop.ctx.db, f"{socket.gethostname()}|{other.pid}|{until}")
        busy = shop.mail.deliver()
        assert busy.sent == 0 and busy.remaining == 1 and f"pid {other.pid}" in (busy.error or "")
    finally:
        other.communicate(b"")
    done = shop.mail.deliver()  # that sender is gone: its lease is void
    assert done.sent == 1 and len(smtp.handler.messages) == 1
