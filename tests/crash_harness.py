"""Kill a working counter at random moments and prove nothing it reported as saved was lost or half-written.

The worker (tests/crash_worker.py) prints `SAVED <kind> ...` after each service call returned; each kind has a
check here that the saved thing is whole in the file. New operations add a worker function and a check."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from loyalty_app.shop import Shop, open_shop
from tests.paths import ROOT


@dataclass
class Outcome:
    kills: int = 0
    saved: list[list[str]] = field(default_factory=list)  # the words after SAVED, in order
    problems: list[str] = field(default_factory=list)
    # After each kill: how many emails the server had accepted, and which addresses the outbox marked sent.
    mail_marks: list[tuple[int, frozenset[str]]] = field(default_factory=list)
    emails_received: int = 0

    def count(self, kind: str) -> int:
        return sum(1 for words in self.saved if words[0] == kind)

    @property
    def sales(self) -> dict[int, int]:
        return {int(w[1]): int(w[2]) for w in self.saved if w[0] == "sale"}


def _check_sale(shop: Shop, words: list[str]) -> str | None:
    pid, total, uuid = int(words[1]), int(words[2]), words[3]
    p = shop.sales.purchase(pid)
    if p.total_cents != total or not p.lines or p.uuid != uuid:
        return f"sale #{pid} is not as saved"
    return None


def _check_return(shop: Shop, words: list[str]) -> str | None:
    rid, pid = int(words[1]), int(words[2])
    if rid not in {r.id for r in shop.sales.purchase(pid).returns}:
        return f"return #{rid} of sale #{pid} reported saved is missing"
    return None


def _check_import(shop: Shop, words: list[str]) -> str | None:
    for receipt in words[1:]:
        rows = shop.ctx.db.execute(
            "SELECT p.id, count(l.id) FROM purchases p LEFT JOIN purchase_lines l ON l.purchase_id = p.id "
            "WHERE p.external_id LIKE ? GROUP BY p.id", (f"%{receipt}",)).fetchall()
        if len(rows) != 1 or rows[0][1] < 1:
            return f"imported receipt {receipt} reported saved is missing or has no lines"
    return None


CHECKS: dict[str, Callable[[Shop, list[str]], str | None]] = {
    "sale": _check_sale, "return": _check_return, "import": _check_import, "mail": lambda _shop, _words: None,
    "read": lambda _shop, _words: None}


def outside_read(db: Path) -> None:
    """Another program opening and closing the shop while the counter works (a `loyalty lookup`, a cron job):
    the last one out of a WAL database checkpoints it and deletes the WAL, unless the counter's locks hold."""
    shop = open_shop(db)
    try:
        shop.customers.list()
    finally:
        shop.close()


def run(db: Path, kills: int, seed: int = 1, received: list[Any] | None = None) -> Outcome:
    """``received``: the messages a test SMTP server accepted (when the shop was made with a mail server)."""
    rng = random.Random(seed)
    out = Outcome()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for i in range(kills):
        worker = subprocess.Popen([sys.executable, "-m", "tests.crash_worker", str(db), str(seed * 1000 + i)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        assert worker.stdout is not None
        for _ in range(rng.randint(1, 8)):  # let it save a few, then pull the plug mid-whatever
            line = worker.stdout.readline()
            if not line:
                break
            if line.startswith("SAVED "):
                out.saved.append(line.split()[1:])
            if rng.random() < 0.5:
                outside_read(db)
        worker.send_signal(signal.SIGKILL)
        _, err = worker.communicate()
        if "Traceback" in err:
            out.problems.append(f"worker {i} crashed by itself: {err.strip().splitlines()[-1]}")
        out.kills += 1
        if received is not None:
            out.mail_marks.append((len(received), marked_sent(db)))
    out.problems += verify(db, out)
    if received is not None:
        out.emails_received = len(received)
        out.problems += mail_problems(db, out, [parseaddr(str(m["To"]))[1] for m in received])
    return out


def marked_sent(db: Path) -> frozenset[str]:
    shop = open_shop(db)
    try:
        return frozenset(r[0] for r in shop.ctx.db.execute(
            "SELECT to_address FROM mail_outbox WHERE status = 'sent'"))
    finally:
        shop.close()


def mail_problems(db: Path, out: Outcome, received: list[str]) -> list[str]:
    """Every email marked sent reached the server, and none was accepted again once it was marked sent."""
    problems = [f"email to {a} is marked sent but never reached the server"
                for a in marked_sent(db) if a not in received]
    for count, sent in out.mail_marks:
        problems += [f"email to {a} was sent again after it was marked sent"
                     for a in received[count:] if a in sent]
    return problems


def verify(db: Path, out: Outcome) -> list[str]:
    shop = open_shop(db)
    problems: list[str] = []
    try:
        for words in out.saved:
            try:
                problem = CHECKS[words[0]](shop, words)
            except Exception as exc:  # noqa: BLE001 - any failure here is a lost save
                problem = f"{' '.join(words)} reported saved is missing ({exc})"
            if problem:
                problems.append(problem)
        problems += [f"{name}: {p}" for name, ps in shop.check().items() for p in ps]
        problems += half_written(shop)
    finally:
        shop.close()
    return problems


def half_written(shop: Shop) -> list[str]:
    """A purchase without lines, a line or ledger entry without its purchase: signs of a torn write."""
    db = shop.ctx.db
    found = [f"purchase #{r[0]} has no lines" for r in db.execute(
        "SELECT id FROM purchases p WHERE NOT EXISTS (SELECT 1 FROM purchase_lines l WHERE l.purchase_id = p.id)")]
    found += [f"line #{r[0]} has no purchase" for r in db.execute(
        "SELECT id FROM purchase_lines l WHERE NOT EXISTS (SELECT 1 FROM purchases p WHERE p.id = l.purchase_id)")]
    found += [f"ledger entry #{r[0]} names a missing purchase" for r in db.execute(
        "SELECT id FROM points_ledger e WHERE purchase_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.id = e.purchase_id)")]
    return found


@contextmanager
def mail_server() -> Iterator[tuple[int, list[Any]]]:
    """A real SMTP server (aiosmtpd) on loopback for the sender in the worker: (port, accepted messages)."""
    from aiosmtpd.controller import Controller

    from tests.mail_support import Handler, free_port

    handler, port = Handler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler.messages
    finally:
        controller.stop()
