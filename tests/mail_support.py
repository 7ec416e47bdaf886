"""Shared by the mail tests: a real aiosmtpd server on loopback, an in-memory keyring, a shop set up to send."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from typing import Any

import keyring
import keyring.backend
import pytest
from aiosmtpd.controller import Controller

from loyalty_app.mail import settings as mail_settings
from loyalty_app.sales import SaleItem
from loyalty_app.shop import Shop

SHOP_FROM = "hello@olive.example"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in a dict, so tests never touch the machine's real keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    monkeypatch.delenv(mail_settings.PASSWORD_ENV, raising=False)
    yield ring
    keyring.set_keyring(previous)


class Handler:
    """Records accepted messages. Can answer 451 to the first N DATA commands, 550 to chosen recipients, and hold
    the Nth MAIL FROM until released (to kill a sender mid-batch)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.temporary_failures = 0
        self.reject: set[str] = set()
        self.block_on_mail: int | None = None
        self.mail_count = 0
        self.blocked = threading.Event()
        self.release = threading.Event()
        self.data_calls = 0
        self.accepted = threading.Event()

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self.mail_count += 1
        if self.block_on_mail is not None and self.mail_count == self.block_on_mail:
            self.blocked.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.lower() in self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_calls += 1
        if self.temporary_failures > 0:
            self.temporary_failures -= 1
            return "451 4.3.0 try again later"
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        self.accepted.set()
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    def __init__(self, handler: Handler, port: int) -> None:
        self.handler = handler
        self.port = port
        self.host = "127.0.0.1"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 at a free port, stopped after the test."""
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(handler, port)
    finally:
        handler.release.set()
        controller.stop()


def configure_mail(shop: Shop, owner: Any, port: int, **extra: Any) -> None:
    values: dict[str, Any] = {"host": "127.0.0.1", "port": port, "security": "plain", "from_address": SHOP_FROM,
                              "postal_address": "12 Harbour Street; Sausalito, CA 94965", "control_percent": 0}
    values.update(extra)
    mail_settings.save(shop.ctx, owner, **values)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 18, 0, tzinfo=UTC)


def customer(shop: Shop, n: int, name: str, email_addr: str | None, consent: bool = True,
             buys: tuple[str, ...] = (), when: datetime | None = None) -> int:
    c = shop.customers.sign_up(phone=f"+1415555{n:04d}", name=name, email=email_addr,
                               email_consent=consent and email_addr is not None)
    for sku in buys:
        shop.sales.record_sale(c.id, [SaleItem(sku)], occurred_at=when or at(2026, 9, 1))
    return c.id


def add_new_basil(shop: Shop, owner: Any) -> None:
    shop.products.add(sku="BASNEW", name="Basil olive oil — 2026 harvest", price_cents=1800,
                      family="Basil olive oil", size="250 ml", category="Infused oils", tags="basil,infused",
                      actor=owner)


def text_part(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_part(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())
