"""Consent per type against a real SMTP server: each email reaches only those who agreed to its type, carries
one-click unsubscribe headers for its type (RFC 8058), and its links withdraw that type or every type."""

from __future__ import annotations

import email
from email import policy

from loyalty_app.consent_types import EmailConsent
from loyalty_app.sales import SaleItem
from tests.mail_support import SHOP_FROM, add_new_basil, at, configure_mail, customer, html_part, text_part

WEB = "https://olive.example/unsubscribe/{token}"


def _reply(subject: str, sender: str = "someone@example.org"):
    raw = f"From: <{sender}>\nTo: {SHOP_FROM}\nSubject: {subject}\n\nplease\n".encode()
    return email.message_from_bytes(raw, policy=policy.default)


def _shop(shop, owner, smtp, **extra):
    configure_mail(shop, owner, smtp.port, **extra)
    ada = customer(shop, 201, "Ada", "ada@example.com", buys=("BAS250",), when=at(2026, 7, 15))
    shop.sales.record_sale(ada, [SaleItem("BAS250")], occurred_at=at(2026, 9, 1))  # due for a refill
    ben = customer(shop, 202, "Ben", "ben@example.com", consent=False, buys=("BAS250",), when=at(2026, 7, 15))
    shop.sales.record_sale(ben, [SaleItem("BAS250")], occurred_at=at(2026, 9, 1))
    shop.customers.set_consent(ben, {"refills": True})  # refill reminders only
    add_new_basil(shop, owner)
    return ada, ben


def test_each_email_goes_only_to_those_who_agreed_to_its_type(catalogue, owner, smtp, memory_keyring, clock):
    shop = catalogue
    ada, ben = _shop(shop, owner, smtp, cap_days=0)
    shop.mail.announce("BASNEW", owner)
    shop.mail.send_refill(owner)
    shop.mail.deliver()
    assert [m["Subject"] for m in smtp.handler.to("ada@example.com")] == [
        "New at Test Olive Co: Basil olive oil — 2026 harvest", "Time for a refill at Test Olive Co?"]
    assert [m["Subject"] for m in smtp.handler.to("ben@example.com")] == ["Time for a refill at Test Olive Co?"]


def test_headers_and_footer_offer_one_click_for_this_type_and_a_way_to_stop_all(catalogue, owner, smtp,
                                                                              memory_keyring):
    shop = catalogue
    _shop(shop, owner, smtp, unsubscribe_url=WEB)
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    [msg] = smtp.handler.to("ada@example.com")
    web, mailto = (u.strip().strip("<>") for u in str(msg["List-Unsubscribe"]).split(","))
    token = web.rsplit("/", 1)[1]
    assert web == f"https://olive.example/unsubscribe/{token}" and len(token) >= 16
    assert mailto == f"mailto:{SHOP_FROM}?subject=unsubscribe%20{token}"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = text_part(msg)
    assert "You receive this because you agreed to hear from us about new products." in text
    assert (f'Stop emails about new products: email {SHOP_FROM} with the subject "unsubscribe {token}" or open {web}.'
            in text)
    all_line = next(line for line in text.splitlines() if line.startswith("Stop all our emails"))
    all_token = all_line.rsplit(" ", 1)[1].strip('".')
    assert all_token != token and len(all_token) >= 16
    assert f"{web}" in html_part(msg) and f"unsubscribe%20{all_token}" in html_part(msg)


def test_unsubscribing_from_one_type_leaves_the_others_and_is_counted_for_its_campaign(catalogue, owner, smtp,
                                                                                       memory_keyring, clock):
    shop = catalogue
    ada, _ = _shop(shop, owner, smtp, cap_days=0)
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    [msg] = smtp.handler.to("ada@example.com")
    token = str(msg["List-Unsubscribe"]).split("%20")[1].rstrip(">")
    done = shop.mail.apply_message(_reply(f"unsubscribe {token}"))
    assert [(d.email, d.consent_type, d.customer_id) for d in done] == [("ada@example.com", "announcements", ada)]
    assert shop.customers.get(ada).consent == EmailConsent(refills=True, news=True)
    assert shop.customers.consent_records(ada)["announcements"].describe() == "no, 2026-11-02 (unsubscribe email)"
    results = {r.kind: r for r in shop.mail.campaign_results()}
    assert results["announce"].unsubscribes == 1
    clock.advance(days=1)
    shop.mail.send_refill(owner)  # her refill reminder still comes
    shop.mail.deliver()
    assert [m["Subject"] for m in smtp.handler.to("ada@example.com")][-1] == "Time for a refill at Test Olive Co?"


def test_the_stop_all_link_withdraws_every_type_and_suppresses_the_address(catalogue, owner, smtp,
                                                                           memory_keyring):
    shop = catalogue
    ada, _ = _shop(shop, owner, smtp)
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    text = text_part(smtp.handler.to("ada@example.com")[0])
    all_token = next(ln for ln in text.splitlines() if ln.startswith("Stop all")).rsplit(" ", 1)[1].strip('".')
    [done] = shop.mail.apply_message(_reply(f"Unsubscribe {all_token}"))
    assert (done.consent_type, done.reason) == ("all", "unsubscribed")
    assert shop.customers.get(ada).consent == EmailConsent()
    assert ada not in shop.mail.contactable("refills")
    [r] = [r for r in shop.mail.campaign_results() if r.kind == "announce"]
    assert r.unsubscribes == 1


def test_unsubscribe_all_with_a_types_token_withdraws_every_type(catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    ada, _ = _shop(shop, owner, smtp)
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    token = str(smtp.handler.to("ada@example.com")[0]["List-Unsubscribe"]).split("%20")[1].rstrip(">")
    [done] = shop.mail.apply_message(_reply(f"unsubscribe all {token}"))
    assert done.consent_type == "all" and shop.customers.get(ada).consent == EmailConsent()


def test_a_type_withdrawn_after_queuing_stops_only_that_email(catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    ada, _ = _shop(shop, owner, smtp, cap_days=0)
    shop.mail.announce("BASNEW", owner)
    shop.mail.send_refill(owner)
    shop.customers.set_consent(ada, {"announcements": False}, "counter")  # at the counter, before the send
    report = shop.mail.deliver()
    assert (report.sent, report.skipped) == (2, 1)  # Ada's refill and Ben's; not Ada's announcement
    assert [m["Subject"] for m in smtp.handler.to("ada@example.com")] == ["Time for a refill at Test Olive Co?"]
    statuses = {(r.kind, r.to_address): r.status for r in shop.mail.outbox()}
    assert statuses[("announce", "ada@example.com")] == "cancelled"


def test_the_command_line_applies_a_links_token_and_says_which_type(cli, catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    ada, _ = _shop(shop, owner, smtp)
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    token = str(smtp.handler.to("ada@example.com")[0]["List-Unsubscribe"]).split("%20")[1].rstrip(">")
    r = cli("unsubscribe", "--token", token)
    assert r.code == 0 and r.out == "ada@example.com unsubscribed: no more new products\n", r.err
    assert shop.customers.get(ada).consent == EmailConsent(refills=True, news=True)
    both = cli("unsubscribe", "ada@example.com", "--token", token)
    assert both.code == 1 and both.err == "loyalty: give an email address or --token TOKEN (one of them)\n"
    unknown = cli("unsubscribe", "--token", "not-a-real-token")
    assert unknown.code == 1 and unknown.err == "loyalty: no customer has that unsubscribe token\n"


def test_erasing_a_customer_removes_their_unsubscribe_links(catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    ada, _ = _shop(shop, owner, smtp)
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    token = str(smtp.handler.to("ada@example.com")[0]["List-Unsubscribe"]).split("%20")[1].rstrip(">")
    assert token in str(shop.privacy.export_customer(ada, actor=owner))
    shop.privacy.erase_customer(ada, actor=owner)
    assert shop.ctx.db.conn.execute("SELECT count(*) FROM mail_unsubscribe_links WHERE customer_id = ?",
                                    (ada,)).fetchone()[0] == 0


def test_previews_of_two_emails_before_either_is_sent_show_the_links_each_then_carries(catalogue, owner, smtp,
                                                                                      memory_keyring):
    shop = catalogue
    ada, _ = _shop(shop, owner, smtp, cap_days=0, unsubscribe_url=WEB)
    announce = shop.mail.preview("BASNEW", ada)  # the Email tab shows one email, then the other
    [due] = [r for r in shop.mail.plan_refill().rows if r.customer_id == ada]
    refill = shop.mail.preview_refill(due)
    shop.mail.send_refill(owner)  # sent in the other order
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    got = {str(m["Subject"]): m for m in smtp.handler.to("ada@example.com")}
    for pv in (announce, refill):
        msg = got[pv.subject]
        assert (text_part(msg).replace("\r\n", "\n"), html_part(msg).replace("\r\n", "\n")) == (pv.text, pv.html)
    tokens = [str(m["List-Unsubscribe"]).split("%20")[1].rstrip(">") for m in got.values()]
    shop.mail.apply_message(_reply(f"unsubscribe {tokens[0]}"))
    shop.mail.apply_message(_reply(f"unsubscribe {tokens[1]}"))
    results = {r.kind: r.unsubscribes for r in shop.mail.campaign_results()}
    assert results == {"announce": 1, "refill": 1}  # each counted for the email it came in


def test_the_command_line_shows_each_campaigns_unsubscribes(cli, catalogue, owner, smtp, memory_keyring,
                                                           monkeypatch):
    shop = catalogue
    _shop(shop, owner, smtp)
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    token = str(smtp.handler.to("ada@example.com")[0]["List-Unsubscribe"]).split("%20")[1].rstrip(">")
    shop.mail.apply_message(_reply(f"unsubscribe {token}"))
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    [line] = cli("campaigns").out.splitlines()
    assert line.startswith("#1 ") and line.endswith("; 1 unsubscribed")
    assert [c["unsubscribes"] for c in cli("campaigns", "--json").json()] == [1]


def test_a_links_token_never_starts_with_a_dash_the_command_line_would_take_for_an_option(monkeypatch):
    # One random token in 64 used to start with '-' ('loyalty unsubscribe --token -x…' then failed): the random
    # source is the only thing faked here, to draw such a token first.
    import secrets

    from loyalty_app.mail import consent

    drawn = iter(["-AbCdEfGhIjKlMnOp", "_AbCdEfGhIjKlMnOp"])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: next(drawn))
    assert consent.new_token() == "_AbCdEfGhIjKlMnOp"
