"""`loyalty announce SKU --subject TEXT --message TEXT --preview|--send`: the plain text and the recipients count,
then the very words delivered through the outbox, and one-line refusals."""

from __future__ import annotations

import pytest

from loyalty_app.sales import SaleItem
from tests.conftest import OWNER_PIN
from tests.mail_support import add_new_basil, at, configure_mail, customer, text_part
from tests.paths import ROOT


@pytest.fixture
def ready(cli, catalogue, owner, smtp, memory_keyring, monkeypatch):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    customer(shop, 401, "Ada Lovelace", "ada@example.com", buys=("BAS250",))
    customer(shop, 402, "Ben", "ben@example.com", buys=("BAS500",))
    customer(shop, 403, "Cy", "cy@example.com", consent=False, buys=("BAS250",))
    add_new_basil(shop, owner)
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)
    return shop


def test_preview_prints_the_plain_text_and_the_recipients_count_then_send_delivers_it(ready, cli, smtp):
    words = ("--subject", "Basil & friends are back", "--message", "Pressed last week.\nCome taste it <today>.")
    preview = cli("announce", "BASNEW", *words, "--preview")
    assert preview.code == 0, preview.err
    lines = preview.out.splitlines()
    assert lines[0].startswith("BASNEW Basil olive oil — 2026 harvest: 2 recipients, 0 control, 0 already emailed")
    assert lines[2:8] == ["To: Ada Lovelace <ada@example.com>", "Subject: Basil & friends are back", "",
                          "Hello Ada,", "", "Pressed last week."]
    assert "Come taste it <today>." in preview.out and smtp.handler.messages == []
    as_json = cli("announce", "BASNEW", *words, "--preview", "--json").json()
    assert as_json["recipients"] == 2 and as_json["preview"][0]["subject"] == "Basil & friends are back"
    assert "Come taste it &lt;today&gt;." in as_json["preview"][0]["html"]

    sent = cli("announce", "BASNEW", *words, "--send")
    assert sent.code == 0, sent.err
    assert sent.out.startswith("queued 2, control 0; sent 2, failed 0")
    got = {str(m["To"]): m for m in smtp.handler.messages}
    assert str(got["Ben <ben@example.com>"]["Subject"]) == "Basil & friends are back"
    assert text_part(got["Ben <ben@example.com>"]).replace("\r\n", "\n").startswith(
        "Hello Ben,\n\nPressed last week.\nCome taste it <today>.\n")


def test_a_refill_reminder_in_the_owners_words(ready, cli, smtp):
    shop = ready
    dee = customer(shop, 404, "Dee", "dee@example.com", buys=("BAS250",), when=at(2026, 7, 1))
    shop.sales.record_sale(dee, [SaleItem("BAS250")], occurred_at=at(2026, 8, 15))  # a rhythm: due by now
    preview = cli("reminders", "refill", "--preview", "--subject", "Your basil oil", "--message", "Bring the bottle!")
    assert preview.code == 0, preview.err
    assert "Subject: Your basil oil" in preview.out and "Bring the bottle!\n\n  - Basil olive oil 250 ml" in preview.out
    sent = cli("reminders", "refill", "--send", "--subject", "Your basil oil", "--message", "Bring the bottle!")
    assert sent.code == 0, sent.err
    [msg] = smtp.handler.to("dee@example.com")
    assert str(msg["Subject"]) == "Your basil oil" and "Bring the bottle!" in text_part(msg)


@pytest.mark.parametrize(("args", "message"), [
    (("NOPE", "--subject", "Hi", "--preview"), "loyalty: unknown product 'NOPE' (no SKU or barcode matches)"),
    (("BASNEW", "--subject", "  ", "--send"), "loyalty: the subject is empty: write one (at most 120 characters)"),
    (("BASNEW", "--subject", "s" * 130, "--preview"),
     "loyalty: the subject is 130 characters long; keep it to 120 or fewer"),
    (("BASNEW", "--picture", "README.md", "--preview"),
     "loyalty: README.md is not a picture (PNG, JPEG, GIF or WebP); nothing was changed"),
])
def test_refusals_are_one_line_and_send_nothing(ready, cli, smtp, args, message, monkeypatch):

    monkeypatch.chdir(ROOT)
    r = cli("announce", *args)
    assert (r.code, r.out, r.err) == (1, "", message + "\n")
    assert smtp.handler.messages == [] and ready.mail.outbox() == []


def test_nothing_to_send_to_is_one_line(ready, cli, smtp):
    ready.mail.save_settings(ready.staff.verify_owner(OWNER_PIN), cap_days=14)
    assert cli("announce", "BASNEW", "--send").code == 0
    again = cli("announce", "BASNEW", "--subject", "Once more", "--preview")
    assert (again.code, again.out) == (1, "")
    assert again.err == ("loyalty: nothing to send to for BASNEW: 2 already emailed, 0 emailed too recently, "
                         "0 in the control group, 1 without consent or email, 0 excluded; nothing was queued\n")
