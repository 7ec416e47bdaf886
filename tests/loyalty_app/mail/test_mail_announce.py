"""Announcing a product by email against a real SMTP server: audience, content, headers, consent, caps."""

from __future__ import annotations

import pytest

from loyalty_app.errors import PermissionDenied
from tests.mail_support import (
    SHOP_FROM,
    add_new_basil,
    configure_mail,
    customer,
    html_part,
    text_part,
)


@pytest.fixture
def basil_shop(catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    ids = {
        "ada": customer(shop, 101, "Ada Lovelace", "ada@example.com", buys=("BAS250",)),
        "ben": customer(shop, 102, "Ben", "ben@example.com", buys=("LEM250",)),
        "cy": customer(shop, 103, "Cy", "cy@example.com", consent=False, buys=("BAS250",)),
        "dee": customer(shop, 104, "<b>Dee</b>{{7*7}} Smith", "dee@example.com", buys=("BAS500",)),
        "eve": customer(shop, 105, "Eve", None, buys=("BAS250",)),
    }
    add_new_basil(shop, owner)
    return shop, ids


def test_announcement_reaches_consenting_basil_buyers_and_nobody_else(basil_shop, owner, smtp):
    shop, ids = basil_shop
    plan = shop.mail.plan_announcement("BASNEW")
    assert {r.customer_id for r in plan.rows if r.status == "mail"} == {ids["ada"], ids["dee"]}
    assert plan.not_contactable == 2  # Cy has no consent, Eve no email
    assert plan.loosely_related == 1  # Ben's lemon oil shares only "infused" and the category
    reasons = {r.customer_id: r.reason for r in plan.rows}
    assert reasons[ids["ada"]] == "bought Basil olive oil 250 ml (same family)"
    queued = shop.mail.announce("BASNEW", owner)
    report = shop.mail.deliver()
    assert (report.sent, report.failed, report.error) == (2, 0, None), [r.last_error for r in shop.mail.outbox()]
    assert sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in smtp.handler.messages) == \
        ["ada@example.com", "dee@example.com"]
    assert {r.status for r in shop.mail.outbox()} == {"sent"}
    assert len(queued.queued) == 2


def test_email_has_both_parts_address_unsubscribe_and_headers(basil_shop, owner, smtp):
    shop, ids = basil_shop
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    [msg] = smtp.handler.to("ada@example.com")
    assert SHOP_FROM in str(msg["From"]) and "Test Olive Co" in str(msg["From"])
    assert msg["Subject"] == "New at Test Olive Co: Basil olive oil — 2026 harvest"
    text, html = text_part(msg), html_part(msg)
    assert text.startswith("Hello Ada,")
    assert "Basil olive oil 250 ml" in text  # the related product she bought
    assert "12 Harbour Street" in text and "Sausalito, CA 94965" in html
    unsub = str(msg["List-Unsubscribe"]).strip()
    assert unsub.startswith(f"<mailto:{SHOP_FROM}?subject=unsubscribe%20") and unsub.endswith(">")
    token = unsub.split("%20")[1].rstrip(">")
    assert f"unsubscribe {token}" in text and token in html
    # Mail to the shop is how this shop unsubscribes: no one-click promise (RFC 8058 wants an HTTPS address for it).
    assert msg["List-Unsubscribe-Post"] is None
    assert msg["Message-ID"]
    assert 'color: #556b2f' in html  # the shop's colour from its settings (the default here)


def test_a_name_with_html_or_template_syntax_is_shown_as_text(basil_shop, owner, smtp):
    shop, ids = basil_shop
    preview = shop.mail.preview("BASNEW", ids["dee"])  # before anything was sent
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    [msg] = smtp.handler.to("dee@example.com")
    html, text = html_part(msg), text_part(msg)
    assert "Hello &lt;b&gt;Dee&lt;/b&gt;{{7*7}}," in html and "<b>Dee" not in html
    assert text.startswith("Hello <b>Dee</b>{{7*7}},") and "49" not in text.splitlines()[0]
    assert "<b>Dee</b>{{7*7}} Smith" in str(msg["To"])
    assert preview.html == html.replace("\r\n", "\n")  # the preview is exactly what she received (same unsubscribe token)


def test_announcing_again_queues_nobody_twice_and_reaches_new_buyers(basil_shop, owner, smtp, clock):
    shop, ids = basil_shop
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    again = shop.mail.announce("BASNEW", owner)
    assert again.queued == [] and set(again.already) == {ids["ada"], ids["dee"]}
    customer(shop, 106, "Fay", "fay@example.com", buys=("BAS500",))
    third = shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    assert len(third.queued) == 1
    assert [len(smtp.handler.to(a)) for a in ("ada@", "dee@", "fay@")] == [1, 1, 1]
    assert len([c for c in shop.ctx.db.conn.execute("SELECT id FROM mail_campaigns")]) == 1


def test_frequency_cap_is_shared_by_all_marketing_emails(basil_shop, owner, smtp, clock):
    shop, ids = basil_shop
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    shop.products.add(sku="BASOLD", name="Basil olive oil reserve", price_cents=3000, family="Basil olive oil",
                      tags="basil", actor=owner)
    clock.advance(days=13)
    second = shop.mail.announce("BASOLD", owner)
    assert second.queued == [] and set(second.capped) == {ids["ada"], ids["dee"]}
    clock.advance(days=2)
    third = shop.mail.announce("BASOLD", owner)
    shop.mail.deliver()
    assert len(third.queued) == 2 and len(smtp.handler.to("ada@")) == 2


def test_unsubscribed_and_revoked_customers_are_not_emailed(basil_shop, owner, smtp):
    shop, ids = basil_shop
    shop.mail.unsubscribe("ADA@example.com", "command line")
    assert shop.customers.get(ids["ada"]).email_consent is False
    shop.mail.announce("BASNEW", owner)
    # the cashier revokes Dee's consent at the counter after her email was queued
    shop.customers.set_email_consent(ids["dee"], False, source="counter")
    report = shop.mail.deliver()
    assert smtp.handler.messages == [] and report.skipped == 1
    assert [r.status for r in shop.mail.outbox()] == ["cancelled"]


def test_temporary_failures_are_retried_with_backoff(basil_shop, owner, smtp):
    shop, ids = basil_shop
    smtp.handler.temporary_failures = 2
    shop.mail.announce("BASNEW", owner, exclude=[ids["dee"]])
    waits: list[float] = []
    report = shop.mail.deliver(sleep=waits.append, base_delay=0.0)
    assert report.sent == 1 and report.retried == 2
    [row] = shop.mail.outbox()
    assert row.status == "sent" and row.attempts == 3 and row.last_error.startswith("451")


def test_temporary_failure_gives_up_after_the_last_attempt(basil_shop, owner, smtp):
    shop, ids = basil_shop
    smtp.handler.temporary_failures = 99
    shop.mail.announce("BASNEW", owner, exclude=[ids["dee"]])
    report = shop.mail.deliver(sleep=lambda s: None, base_delay=0.0, max_attempts=3)
    [row] = shop.mail.outbox()
    assert report.failed == 1 and row.status == "failed"
    assert row.last_error.startswith("gave up after 3 attempts: 451")


def test_permanent_failure_is_recorded_with_the_servers_reason(basil_shop, owner, smtp):
    shop, ids = basil_shop
    smtp.handler.reject = {"ada@example.com"}
    shop.mail.announce("BASNEW", owner)
    report = shop.mail.deliver()
    rows = {r.to_address: r for r in shop.mail.outbox()}
    assert report.sent == 1 and report.failed == 1
    assert rows["ada@example.com"].status == "failed"
    assert rows["ada@example.com"].last_error == "550 5.1.1 mailbox unavailable"
    assert rows["dee@example.com"].status == "sent"


def test_server_down_leaves_everything_queued_with_a_plain_reason(basil_shop, owner, smtp):
    shop, ids = basil_shop
    from tests.mail_support import configure_mail as cfg
    from tests.mail_support import free_port
    cfg(shop, owner, free_port())
    shop.mail.announce("BASNEW", owner)
    report = shop.mail.deliver(sleep=lambda s: None, base_delay=0.0)
    assert report.remaining == 2 and report.sent == 0
    assert report.error and "host unreachable" in report.error


def test_only_the_owner_announces(basil_shop):
    shop, _ = basil_shop
    cashier = shop.staff.sign_in("sam", "1111")
    with pytest.raises(PermissionDenied):
        shop.mail.announce("BASNEW", cashier)


def test_consent_given_again_after_an_unsubscribe_counts_but_a_bounce_stays(basil_shop, owner, smtp, clock):
    shop, ids = basil_shop
    shop.mail.unsubscribe("ada@example.com", "command line")
    shop.mail.suppress("dee@example.com", "bounced", "bounce report", "5.1.1 user unknown")
    clock.advance(days=1)
    shop.customers.set_email_consent(ids["ada"], True, source="counter")
    shop.customers.set_email_consent(ids["dee"], True, source="counter")
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    assert [str(m["To"]) for m in smtp.handler.messages] == ["Ada Lovelace <ada@example.com>"]


def test_deciding_in_short_transactions_still_decides_each_customer_once(basil_shop, owner, smtp, monkeypatch):
    from loyalty_app.mail import outbox

    shop, ids = basil_shop
    for n in range(5):
        customer(shop, 180 + n, f"Extra {n}", f"extra{n}@example.com", buys=("BAS250",))
    monkeypatch.setattr(outbox, "CHUNK", 2)
    first = shop.mail.announce("BASNEW", owner)
    second = shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    assert len(first.queued) == 7 and second.queued == [] and len(second.already) == 7
    assert len({str(m["To"]) for m in smtp.handler.messages}) == len(smtp.handler.messages) == 7


def test_accented_names_and_subjects_arrive_intact(basil_shop, owner, smtp):
    shop, ids = basil_shop
    customer(shop, 186, "Zoë Ünal", "zoe@example.com", buys=("BAS250",))
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    [msg] = smtp.handler.to("zoe@example.com")
    assert msg["To"].addresses[0].display_name == "Zoë Ünal"
    assert msg["Subject"] == "New at Test Olive Co: Basil olive oil — 2026 harvest"
    assert text_part(msg).startswith("Hello Zoë,")
    row = next(r for r in shop.mail.outbox() if r.to_address == "zoe@example.com")
    assert row.subject == "New at Test Olive Co: Basil olive oil — 2026 harvest"  # readable in the outbox


def test_erasing_a_customer_removes_their_emails_text_and_cancels_queued_mail(basil_shop, owner, smtp):

    shop, ids = basil_shop
    shop.mail.announce("BASNEW", owner)
    exported = shop.privacy.export_customer(ids["ada"], actor=owner)
    assert [r["to_address"] for r in exported.tables["mail_outbox"]] == ["ada@example.com"]
    shop.privacy.erase_customer(ids["ada"], actor=owner)
    rows = {r.customer_id: r for r in shop.mail.outbox()}
    assert rows[ids["ada"]].status == "cancelled" and rows[ids["ada"]].to_address == ""
    shop.mail.deliver()
    assert [str(m["To"]) for m in smtp.handler.messages] == ['"<b>Dee</b>{{7*7}} Smith" <dee@example.com>']
