"""The gentle automations against a real SMTP server: off by default; a welcome once per customer ever, to news
consent only; "we miss you" once per absence when a regular's own rhythm is well overdue; under the cap; never
twice after a crash or a second run; on the owner's schedule (jobs.scheduled_mail) and from the command line."""

from __future__ import annotations

from loyalty_app import jobs
from loyalty_app.sales import SaleItem
from tests.mail_support import SHOP_FROM, add_new_basil, at, configure_mail, customer, text_part


def _visits(shop, cid: int, *days: tuple[int, int, int]) -> None:
    for d in days:
        shop.sales.record_sale(cid, [SaleItem("WB250")], occurred_at=at(*d))


def test_both_are_off_by_default_and_send_nothing(catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    customer(shop, 301, "Ada", "ada@example.com")
    assert not shop.mail.settings().welcome and not shop.mail.settings().winback
    assert not shop.mail.automations_run_is_due() and shop.mail.plan_automations().rows == []
    assert shop.mail.run_automations(owner).queued == []


def test_a_welcome_goes_once_to_new_sign_ups_who_agreed_to_news(catalogue, owner, smtp, memory_keyring, clock):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    customer(shop, 301, "Old", "old@example.com")  # signed up before the welcome was switched on
    clock.advance(minutes=5)
    configure_mail(shop, owner, smtp.port, welcome="on")
    clock.advance(minutes=5)
    ada = customer(shop, 302, "Ada Lovelace", "ada@example.com")
    shop.customers.sign_up("+14155550303", name="Ben", email="ben@example.com", consent={"refills": True})
    plan = shop.mail.plan_automations()
    assert [(r.kind, r.customer_id, r.status) for r in plan.rows] == [("welcome", ada, "mail")]
    assert len(shop.mail.run_automations(owner).queued) == 1
    shop.mail.deliver()
    [msg] = smtp.handler.messages
    assert str(msg["To"]) == "Ada Lovelace <ada@example.com>" and msg["Subject"] == "Welcome to Test Olive Co"
    text = text_part(msg).replace("\r\n", "\n")
    assert text.startswith("Hello Ada,\n\nWelcome to Test Olive Co, and thank you for joining")
    assert "You receive this because you agreed to hear from us about news (welcome, we miss you)." in text
    token = str(msg["List-Unsubscribe"]).split("%20")[1].rstrip(">")
    assert f'Stop emails about news (welcome, we miss you): email {SHOP_FROM} with the subject "unsubscribe {token}"' \
        in text
    clock.advance(days=3)
    assert shop.mail.run_automations(owner).queued == []  # once per customer, ever
    assert len(smtp.handler.messages) == 1


def test_we_miss_you_once_per_absence_when_their_own_rhythm_is_well_overdue(catalogue, owner, smtp,
                                                                             memory_keyring, clock):
    shop = catalogue
    configure_mail(shop, owner, smtp.port, winback="on", winback_min_days=30, cap_days=0)
    # Today is 2 November. Ada comes every ~20 days and was last here 12 September (51 days): overdue.
    ada = customer(shop, 311, "Ada", "ada@example.com")
    _visits(shop, ada, (2026, 7, 24), (2026, 8, 13), (2026, 9, 2), (2026, 9, 12))
    # Ben comes every ~40 days, last 12 September: 51 days is not twice his rhythm.
    ben = customer(shop, 312, "Ben", "ben@example.com")
    _visits(shop, ben, (2026, 5, 25), (2026, 7, 4), (2026, 8, 3), (2026, 9, 12))
    # Cy comes every ~8 days, last 20 October (13 days): twice her rhythm, but not the 30 days at least.
    cy = customer(shop, 313, "Cy", "cy@example.com")
    _visits(shop, cy, (2026, 9, 28), (2026, 10, 6), (2026, 10, 12), (2026, 10, 20))
    # Dee would qualify but agreed only to refill reminders.
    dee = customer(shop, 314, "Dee", "dee@example.com", consent=False)
    shop.customers.set_consent(dee, {"refills": True})
    _visits(shop, dee, (2026, 7, 24), (2026, 8, 13), (2026, 9, 2), (2026, 9, 12))
    [row] = shop.mail.plan_automations().rows
    assert (row.kind, row.customer_id, row.status) == ("winback", ada, "mail")
    assert row.reason == "last visit 2026-09-12, 51 days ago; usually every 17 days"
    shop.mail.run_automations(owner)
    shop.mail.deliver()
    assert [m["Subject"] for m in smtp.handler.to("ada@example.com")] == ["We miss you at Test Olive Co"]
    assert {str(m["To"]) for m in smtp.handler.messages} == {"Ada <ada@example.com>"}
    clock.advance(days=10)
    assert shop.mail.run_automations(owner).queued == []  # not again in the same absence
    shop.sales.record_sale(ada, [SaleItem("WB250")], occurred_at=clock.now())  # she came back
    clock.advance(days=60)
    plan = shop.mail.plan_automations()  # 1 January: Ada away again (a new absence), Ben and Cy long away now
    assert {r.customer_id: r.status for r in plan.rows} == {ada: "mail", ben: "mail", cy: "mail"}


def test_the_frequency_cap_covers_the_automations(catalogue, owner, smtp, memory_keyring, clock):
    shop = catalogue
    configure_mail(shop, owner, smtp.port, winback="on", winback_min_days=30)
    ada = customer(shop, 321, "Ada", "ada@example.com", buys=("BAS250",))
    _visits(shop, ada, (2026, 7, 24), (2026, 8, 13), (2026, 9, 2))
    add_new_basil(shop, owner)
    shop.mail.announce("BASNEW", owner)  # an email today: within the 14-day cap
    [row] = shop.mail.plan_automations().rows
    assert row.status == "capped" and shop.mail.run_automations(owner).queued == []
    clock.advance(days=15)
    assert len(shop.mail.run_automations(owner).queued) == 1


def test_a_rerun_after_a_crash_before_delivery_queues_nothing_twice(catalogue, owner, smtp, memory_keyring, clock,
                                                                   db_path):
    shop = catalogue
    configure_mail(shop, owner, smtp.port, welcome="on")
    clock.advance(minutes=1)
    customer(shop, 331, "Ada", "ada@example.com")
    assert len(shop.mail.run_automations(owner).queued) == 1  # the process dies here, before delivering
    run = jobs.scheduled_mail(db_path, owner, clock=clock)  # the next start: the schedule runs again
    assert run.queued.queued == [] and run.delivery.sent == 1
    assert jobs.scheduled_mail(db_path, owner, clock=clock).delivery.total == 0
    assert len(smtp.handler.messages) == 1
    assert not shop.mail.automations_run_is_due()  # once a day
    clock.advance(days=1)
    assert shop.mail.automations_run_is_due()


def test_command_line_switches_previews_and_sends(cli, catalogue, smtp, memory_keyring, monkeypatch):
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    r = cli("mail", "setup", "--host", "127.0.0.1", "--port", str(smtp.port), "--plain", "--from", SHOP_FROM,
            "--postal-address", "12 Harbour Street", "--control-percent", "0", "--welcome", "on", "--json")
    assert r.code == 0, r.err
    assert r.json()["welcome"] is True and r.json()["winback"] is False
    bad = cli("mail", "setup", "--unsubscribe-url", "http://olive.example/u")
    assert bad.code == 1 and bad.err == ("loyalty: the unsubscribe web address starts with https:// and holds "
                                         "{token}, e.g. https://shop.example/unsubscribe/{token}\n")
    ada = cli("customer", "add", "--phone", "+14155550341", "--name", "Ada", "--email", "ada@example.com",
              "--email-consent", "--json").json()["id"]  # the command line's own clock, after the switch
    preview = cli("reminders", "automations", "--preview")
    assert preview.code == 0
    assert preview.out.splitlines()[:2] == ["welcome: 1 to email, 0 control, 0 already emailed, 0 capped",
                                            f"  #{ada} Ada <ada@example.com>: signed up"]
    sent = cli("reminders", "automations", "--send", "--if-due", "--json")
    assert sent.code == 0 and sent.json()["queued"] == 1 and sent.json()["delivery"]["sent"] == 1
    again = cli("reminders", "automations", "--send", "--if-due")
    assert again.code == 0 and again.out == "automatic emails: switched off or already run today\n"
