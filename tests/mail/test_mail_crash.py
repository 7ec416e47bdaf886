"""A sender killed mid-batch loses no queued email and, restarted, resends none already marked sent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from loyalty_app.mail import campaigns, sender
from loyalty_app.mail.outbox import list_outbox
from tests.conftest import OWNER_PIN
from tests.mail.support import add_new_basil, configure_mail, customer

ROOT = Path(__file__).resolve().parents[2]


def test_killed_sender_restarts_without_duplicates(catalogue, owner, smtp, db_path, memory_keyring):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    for n in range(10):
        customer(shop, 110 + n, f"Buyer {n}", f"buyer{n}@example.com", buys=("BAS250",))
    add_new_basil(shop, owner)
    assert len(campaigns.announce(shop, "BASNEW", owner).queued) == 10
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

    statuses = Counter(r["status"] for r in list_outbox(shop.ctx))
    assert statuses == {"sent": 4, "queued": 6}  # nothing lost, the four accepted ones are marked sent

    smtp.handler.block_on_mail = None
    report = sender.deliver_queued(shop)
    assert report.sent == 6 and report.remaining == 0
    received = Counter(str(m["To"]) for m in smtp.handler.messages)
    assert len(received) == 10 and set(received.values()) == {1}
    assert len({m["Message-ID"] for m in smtp.handler.messages}) == 10
