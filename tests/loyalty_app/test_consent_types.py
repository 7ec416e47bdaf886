"""Consent per type of email (announcements, refills, news): the upgrade of an old shop, the service, the CLI."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from loyalty_app.consent_types import EmailConsent
from loyalty_app.shop import open_shop
from tests.core_helpers import fingerprint
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "shop-schema-0001.sqlite"
ALL = EmailConsent(True, True, True)


def test_an_old_shops_single_consent_becomes_all_three_and_nobody_gains_any(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite"
    shutil.copy(FIXTURE, db)
    old = sqlite3.connect(db)  # two more customers written the old way: never asked, and asked then withdrawn
    for n, consent in ((2, 0), (3, 0)):
        old.execute("INSERT INTO customers (id, uuid, name, email, email_consent, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, '2026-06-01T17:00:00Z', '2026-06-01T17:00:00Z')",
                    (n, f"00000000-0000-4000-8000-00000000000{n}", f"Old {n}", f"old{n}@example.com", consent))
    old.execute("INSERT INTO consent_events (uuid, customer_id, channel, granted, source, at) VALUES "
                "('00000000-0000-4000-8000-0000000000e1', 3, 'email', 1, 'counter', '2026-06-02T10:00:00Z'), "
                "('00000000-0000-4000-8000-0000000000e2', 3, 'email', 0, 'unsubscribe', '2026-07-02T10:00:00Z')")
    old.commit()
    old.close()
    shop = open_shop(db)
    try:
        zoe = shop.lookup.find_one("(415) 555-0199")
        assert zoe.consent == ALL and zoe.email_consent
        assert shop.customers.get(2).consent == EmailConsent() and shop.customers.get(3).consent == EmailConsent()
        rows = shop.ctx.db.conn.execute(
            "SELECT customer_id, channel, granted, at FROM consent_events WHERE source = 'migration' ORDER BY id")
        assert [tuple(r) for r in rows] == [(zoe.id, t, 1, "2026-06-01T17:00:00Z")
                                            for t in ("announcements", "refills", "news")]
        records = shop.customers.consent_records(zoe.id)
        assert records["refills"].describe() == "yes, 2026-06-01 (migration)"
        assert set(shop.mail.contactable("news")) == {zoe.id}
        assert shop.check() == {name: [] for name in shop.check()}
    finally:
        shop.close()


def test_each_type_is_given_and_withdrawn_on_its_own_with_who_and_when(shop, owner, clock) -> None:
    c = shop.customers.sign_up("(415) 555-0132", email="ada@example.com", consent={"refills": True})
    assert c.consent == EmailConsent(refills=True) and c.email_consent
    clock.advance(days=2)
    c = shop.customers.set_consent(c.id, {"announcements": True, "refills": False}, "counter", owner)
    assert c.consent == EmailConsent(announcements=True) and c.email_consent
    records = shop.customers.consent_records(c.id)
    assert records["announcements"].describe() == "yes, 2026-11-04 (counter by owner)"
    assert records["refills"].describe() == "no, 2026-11-04 (counter by owner)"
    assert "news" not in records  # never asked
    c = shop.customers.set_consent(c.id, {"announcements": False}, "counter")
    assert c.consent == EmailConsent() and not c.email_consent
    events = shop.ctx.db.conn.execute(
        "SELECT channel, granted FROM consent_events WHERE customer_id = ? ORDER BY id", (c.id,))
    assert [tuple(e) for e in events] == [("refills", 1), ("announcements", 1), ("refills", 0), ("announcements", 0)]


def test_cli_edits_one_type_and_the_profile_json_carries_all_three(shop, cli) -> None:
    shop.customers.sign_up("(415) 555-0132", name="Ada", email="ada@example.com", email_consent=True)
    r = cli("customer", "edit", "ada@example.com", "--consent", "announcements=no", "--json")
    assert r.code == 0, r.err
    assert r.json()["consent"] == {"announcements": False, "refills": True, "news": True}
    assert r.json()["email_consent"] is True
    profile = cli("lookup", "(415) 555-0132", "--json").json()
    assert profile["consent"] == {"announcements": False, "refills": True, "news": True}
    r = cli("customer", "edit", "ada@example.com", "--consent", "all=no", "--consent", "news=yes", "--json")
    assert r.json()["consent"] == {"announcements": False, "refills": False, "news": True}
    assert cli("customer", "edit", "ada@example.com", "--consent", "ALL=YES").code == 0
    assert shop.customers.get(1).consent == ALL


def test_cli_refuses_a_bad_type_or_answer_in_one_line_and_changes_nothing(shop, cli, db_path) -> None:
    shop.customers.sign_up("(415) 555-0132", name="Ada", email="ada@example.com", email_consent=True)
    before = fingerprint(shop)
    for arg, needle in (("offers=no", "unknown consent type 'offers': use announcements, refills, news or all"),
                        ("refills=maybe", "consent refills=maybe: the answer is yes or no"),
                        ("refills", "--consent needs TYPE=yes|no (e.g. announcements=no), not 'refills'")):
        r = cli("customer", "edit", "ada@example.com", "--name", "Ada L.", "--consent", arg)
        assert r.code == 1 and r.out == "" and r.err == f"loyalty: {needle}\n", r.err
    assert fingerprint(shop) == before


def test_consent_to_a_type_needs_an_email(shop, cli) -> None:
    shop.customers.sign_up("(415) 555-0132", name="Ada")
    r = cli("customer", "edit", "(415) 555-0132", "--consent", "news=yes")
    assert r.code == 1 and r.err == "loyalty: email consent needs an email address first\n"
