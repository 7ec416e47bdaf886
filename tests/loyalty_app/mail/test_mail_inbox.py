"""The shop mailbox: unsubscribe requests with a token and bounce reports (DSN) are read and applied."""

from __future__ import annotations

import email
from email import policy

from loyalty_app.consent_types import EmailConsent
from loyalty_app.mail.imap import parse_bounces, parse_unsubscribe
from tests.mail_support import add_new_basil, configure_mail, customer

DSN = b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: hello@olive.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"

--BOUND
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--BOUND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon,  2 Nov 2026 18:31:00 +0000

Final-Recipient: rfc822; Ada@Example.com
Original-Recipient: rfc822;ada@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <ada@example.com>: Recipient address rejected: User unknown

Final-Recipient: rfc822; slow@example.com
Action: delayed
Status: 4.4.1
Diagnostic-Code: smtp; 451 try later

--BOUND
Content-Type: text/rfc822-headers

From: Test Olive Co <hello@olive.example>
To: Ada <ada@example.com>
Subject: New at Test Olive Co

--BOUND--
"""


def _msg(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def _unsub(subject: str, body: str = "", sender_addr: str = "someone@example.com"):
    return _msg(f"From: Someone <{sender_addr}>\nTo: hello@olive.example\nSubject: {subject}\n\n{body}\n".encode())


def test_bounce_report_lists_only_permanent_failures():
    bounces = parse_bounces(_msg(DSN))
    assert [(b.email, b.status) for b in bounces] == [("ada@example.com", "5.1.1")]
    assert "User unknown" in bounces[0].diagnostic
    assert parse_unsubscribe(_msg(DSN)) is None


def test_unsubscribe_requests_with_token_in_subject_or_body_or_just_the_word():
    assert parse_unsubscribe(_unsub("unsubscribe AbC123_-xyz")).token == "AbC123_-xyz"
    assert parse_unsubscribe(_unsub("unsubscribe -AbC123_xyz-")).token == "-AbC123_xyz-"  # '-' at either end
    assert parse_unsubscribe(_unsub("Re: New oil", "Unsubscribe AbC123_-xyz\n> quoted")).token == "AbC123_-xyz"
    word_only = parse_unsubscribe(_unsub("UNSUBSCRIBE", sender_addr="Ben@Example.com"))
    assert word_only is not None and word_only.token is None and word_only.from_address == "Ben@Example.com"
    assert parse_unsubscribe(_unsub("Lovely oil, thanks!", "When do you open?")) is None
    # The footer asks for a reply with the word: the word on a line of its own in the reply is the request.
    reply = parse_unsubscribe(_unsub("Re: New oil", "Unsubscribe.\n\nOn Tue, Olive wrote:\n> Hello Ben"))
    assert reply is not None and reply.token is None and reply.from_address == "someone@example.com"


def test_a_reply_quoting_the_footer_is_no_request():
    footer = ('Stop emails about new products: email hello@olive.example with the subject "unsubscribe AbC123_-xyz".\n'
              'Stop all our emails: email hello@olive.example with the subject "unsubscribe all ZzZ987_-abc".')
    quoted = "\n".join("> " + line for line in footer.splitlines())
    assert parse_unsubscribe(_unsub("Re: New oil", f"Lovely, I'll come by.\n\n{quoted}")) is None
    below = f"Lovely, I'll come by.\n\nAm 3. Dez. 2026 schrieb Ölmühle <hello@olive.example>:\n{footer}"
    assert parse_unsubscribe(_unsub("Re: Neues Öl", below)) is None  # a client that quotes without '>'
    outlook = f"See you Friday\n-----Original Message-----\nFrom: Olive\n{footer}"
    assert parse_unsubscribe(_unsub("RE: New oil", outlook)) is None


def test_applying_the_mailbox_suppresses_bounced_and_unsubscribed(catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    ada = customer(shop, 141, "Ada", "ada@example.com", buys=("BAS250",))
    ben = customer(shop, 142, "Ben", "ben@example.com", buys=("BAS250",))
    add_new_basil(shop, owner)
    shop.mail.announce("BASNEW", owner)
    shop.mail.deliver()
    ben_mail = next(m for m in smtp.handler.messages if "ben@" in str(m["To"]))
    token = str(ben_mail["List-Unsubscribe"]).split("%20")[1].rstrip(">")
    shop.mail.apply_message(_msg(DSN))
    shop.mail.apply_message(_unsub(f"unsubscribe {token}", sender_addr="ben.other@example.org"))
    assert not shop.customers.get(ada).email_consent
    # The announcement's link withdraws announcements only: Ben still gets his refill reminders.
    assert shop.customers.get(ben).consent == EmailConsent(announcements=False, refills=True, news=True)
    assert set(shop.mail.contactable("announcements")) == set() and set(shop.mail.contactable("refills")) == {ben}
    history = [tuple(r) for r in shop.ctx.db.conn.execute(
        "SELECT customer_id, channel, granted, source FROM consent_events WHERE granted = 0 ORDER BY customer_id")]
    assert history == [(ada, "email", 0, "bounced (bounce report)"),
                       (ben, "announcements", 0, "unsubscribe email")]


class FakeImap:
    """Stands in for the remote IMAP server (remote servers are the one thing tests fake)."""

    def __init__(self, messages: list[bytes]) -> None:
        self.messages = messages
        self.seen: list[str] = []

    def __call__(self, host: str, port: int) -> FakeImap:
        return self

    def login(self, user: str, password: str) -> None:
        assert password == "imap-secret"

    def select(self, box: str) -> None:
        pass

    def search(self, charset, criterion):
        return "OK", [" ".join(str(i + 1) for i in range(len(self.messages))).encode()]

    def fetch(self, num: str, what: str):
        return "OK", [(b"1 (RFC822 {n}", self.messages[int(num) - 1]), b")"]

    def store(self, num: str, op: str, flags: str) -> None:
        self.seen.append(num)

    def logout(self) -> None:
        pass


def test_check_mailbox_reads_unseen_mail_and_marks_it_seen(catalogue, owner, smtp, memory_keyring, monkeypatch):
    shop = catalogue
    configure_mail(shop, owner, smtp.port, imap_host="imap.olive.example", imap_user="hello@olive.example")
    ada = customer(shop, 143, "Ada", "ada@example.com")
    memory_keyring.set_password("loyalty-desk", "imap:hello@olive.example", "imap-secret")
    box = FakeImap([DSN, b"From: x@example.com\nSubject: hello\n\nhi\n"])
    applied = shop.mail.check_mailbox(factory=box)
    assert [a.reason for a in applied] == ["bounced"] and box.seen == ["1", "2"]
    assert not shop.customers.get(ada).email_consent
