"""The mail commands: setup (password never in the database), test email errors in plain words, announce,
reminders, outbox, campaigns, unsubscribe."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from loyalty_app.cli.main import build_parser
from loyalty_app.sales import SaleItem
from tests.conftest import OWNER_PIN
from tests.mail_support import (
    Handler,
    add_new_basil,
    at,
    customer,
    free_port,
)
from tests.paths import ROOT


@pytest.fixture
def as_owner(monkeypatch):
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)


def _setup(cli, port: int, *extra: str):
    return cli("mail", "setup", "--host", "127.0.0.1", "--port", str(port), *extra, "--from", "hello@olive.example",
               "--postal-address", "12 Harbour Street; Sausalito, CA", "--control-percent", "0", "--json")


def test_setup_is_owner_only_and_keeps_no_password_in_the_database(cli, shop, smtp, memory_keyring, monkeypatch,
                                                                    db_path):
    assert _setup(cli, smtp.port, "--plain").code == 1
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)
    memory_keyring.set_password("loyalty-desk", "shopuser", "s3cret-Passw0rd")
    r = _setup(cli, smtp.port, "--user", "shopuser", "--starttls", "--accent", "#7a1f3d")
    assert r.code == 0, r.err
    assert r.json()["accent"] == "#7a1f3d"
    bad = _setup(cli, smtp.port, "--accent", "red")
    assert bad.code == 1 and "not a colour" in bad.err
    assert r.json()["security"] == "starttls" and r.json()["user"] == "shopuser"
    shop.close()
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob("shop.sqlite*"))
    assert b"s3cret-Passw0rd" not in raw and "s3cret" not in r.out


def test_mail_test_delivers_and_explains_failures_plainly(cli, shop, smtp, memory_keyring, as_owner):
    _setup(cli, smtp.port, "--plain")
    ok = cli("mail", "test", "owner@olive.example")
    assert ok.code == 0 and "test email sent" in ok.out
    assert smtp.handler.messages[0]["Subject"] == "Test email from Test Olive Co"
    _setup(cli, free_port(), "--plain")
    down = cli("mail", "test", "owner@olive.example")
    assert down.code == 1 and down.err.startswith("loyalty: host unreachable") and "Traceback" not in down.err
    _setup(cli, smtp.port, "--starttls")
    assert "TLS refused" in cli("mail", "test", "owner@olive.example").err
    _setup(cli, smtp.port, "--ssl")
    assert "TLS refused" in cli("mail", "test", "owner@olive.example").err


def test_mail_test_says_wrong_password(cli, shop, memory_keyring, as_owner, monkeypatch):
    def check(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.password == b"right", handled=False)

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=check,
                            auth_require_tls=False)
    controller.start()
    try:
        _setup(cli, port, "--plain", "--user", "shop")
        monkeypatch.setenv("LOYALTY_SMTP_PASSWORD", "wrong")
        r = cli("mail", "test", "owner@olive.example")
        assert r.code == 1 and "wrong user name or password" in r.err
        monkeypatch.setenv("LOYALTY_SMTP_PASSWORD", "right")
        assert cli("mail", "test", "owner@olive.example").code == 0
    finally:
        controller.stop()


def test_announce_preview_send_outbox_campaigns_unsubscribe(cli, catalogue, owner, smtp, memory_keyring,
                                                            monkeypatch):
    shop = catalogue
    ada = customer(shop, 151, "Ada", "ada@example.com", buys=("BAS250",), when=at(2026, 7, 15))
    shop.sales.record_sale(ada, [SaleItem("BAS250")], occurred_at=at(2026, 9, 1))  # a rhythm: due by now
    customer(shop, 152, "Ben", "ben@example.com", buys=("LEM250",))
    add_new_basil(shop, owner)
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)
    _setup(cli, smtp.port, "--plain")
    monkeypatch.delenv("LOYALTY_PIN")
    preview = cli("announce", "BASNEW", "--preview", "--json")
    assert preview.code == 0 and preview.json()["counts"]["mail"] == 1
    assert preview.json()["sample"][0]["customer_id"] == ada
    denied = cli("announce", "BASNEW", "--send")
    assert denied.code == 1 and "owner" in denied.err and smtp.handler.messages == []
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)
    sent = cli("announce", "BASNEW", "--send", "--json")
    assert sent.code == 0, sent.err
    assert sent.json()["delivery"]["sent"] == 1 and len(smtp.handler.messages) == 1
    again = cli("announce", "BASNEW", "--send", "--json")
    assert again.code == 1 and again.out == "" and len(smtp.handler.messages) == 1
    assert again.err == ("loyalty: nothing to send to for BASNEW: 1 already emailed, 0 emailed too recently, "
                         "0 in the control group, 0 without consent or email, 0 excluded; nothing was queued\n")
    outbox = cli("outbox", "--json").json()["emails"]
    assert [(e["to_address"], e["status"]) for e in outbox] == [("ada@example.com", "sent")]
    camp = cli("campaigns", "--json").json()
    assert camp[0]["sku"] == "BASNEW" and camp[0]["sent"] == 1 and "lift_points" in camp[0]
    rem = cli("reminders", "refill", "--preview", "--json")
    assert rem.code == 0 and rem.json()["counts"]["capped"] == 1  # basil due, but she was emailed today
    un = cli("unsubscribe", "ada@example.com")
    assert un.code == 0 and "unsubscribed" in un.out
    assert cli("reminders", "refill", "--send", "--json").json()["queued"] == 0


def test_every_mail_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in ("mail", "announce", "reminders", "outbox", "campaigns", "unsubscribe"):
        assert name in sub.choices
        assert f"loyalty {name}" in readme, name
    for phrase in ("loyalty mail setup", "loyalty mail test", "loyalty reminders refill", "loyalty mail check-inbox"):
        assert phrase in readme, phrase


def test_failed_emails_can_be_queued_again_once_the_problem_is_fixed(cli, catalogue, owner, smtp, memory_keyring,
                                                                      as_owner):
    shop = catalogue
    customer(shop, 155, "Ada", "ada@example.com", buys=("BAS250",))
    add_new_basil(shop, owner)
    _setup(cli, smtp.port, "--plain")
    smtp.handler.reject = {"ada@example.com"}
    first = cli("announce", "BASNEW", "--send", "--json").json()
    assert first["delivery"]["failed"] == 1
    failed = cli("outbox", "--status", "failed", "--json").json()["emails"]
    assert failed[0]["last_error"] == "550 5.1.1 mailbox unavailable"
    smtp.handler.reject = set()
    again = cli("outbox", "--retry-failed", "--json").json()
    assert again["delivery"]["sent"] == 1 and again["emails"][0]["status"] == "sent"
    assert len(smtp.handler.messages) == 1
