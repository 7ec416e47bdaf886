"""Reading the shop mailbox (IMAP): unsubscribe requests carrying a token, and bounce reports (DSN)."""

from __future__ import annotations

import email
import imaplib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.utils import parseaddr

from loyalty_app.errors import NotFound
from loyalty_app.mail import consent
from loyalty_app.mail import settings as mail_settings
from loyalty_app.mail.deps import MailDeps
from loyalty_app.mail.smtp import MailServerError

IMAP_PASSWORD_ENV = "LOYALTY_IMAP_PASSWORD"
# Tokens may begin or end with '-', which \b would cut off: the token runs to the first other character.
# "unsubscribe all TOKEN" withdraws every type whatever the token's own type.
_TOKEN = re.compile(r"\bunsubscribe\s+(all\s+)?([A-Za-z0-9_-]{8,64})(?![A-Za-z0-9_-])", re.IGNORECASE)
_WORD = re.compile(r"\bunsubscribe\b", re.IGNORECASE)
_WORD_LINE = re.compile(r"^\W*unsubscribe\W*$", re.IGNORECASE)  # a reply whose own line is just the word
# Where a reply's quote of our email begins ("On … wrote:", Outlook's divider, in the shop's languages): our footer's
# tokens below it are not the customer's words.
_QUOTE_START = re.compile(r"(wrote|a écrit|escribió)\s*:\s*$|\bschrieb\b.*:\s*$|^-{2,}\s*(original|ursprüngliche)",
                          re.IGNORECASE)


@dataclass(frozen=True)
class UnsubscribeRequest:
    token: str | None
    from_address: str
    everything: bool = False  # "unsubscribe all ...": every type, not only the token's


@dataclass(frozen=True)
class Bounce:
    email: str
    status: str
    diagnostic: str


def _text_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",)) if msg.is_multipart() else msg
    if part is None:
        return ""
    try:
        return str(part.get_content())  # type: ignore[attr-defined]
    except (KeyError, LookupError):
        return ""


def parse_unsubscribe(msg: EmailMessage) -> UnsubscribeRequest | None:
    """An unsubscribe request: 'unsubscribe TOKEN' in the subject or first lines, or just the word (from sender)."""
    if parse_bounces(msg):
        return None
    subject = str(msg.get("Subject", ""))
    own = _own_lines(_text_of(msg))
    body = "\n".join(own)
    sender = parseaddr(str(msg.get("From", "")))[1]
    for text in (subject, body):
        m = _TOKEN.search(text)
        if m:
            return UnsubscribeRequest(m.group(2), sender, bool(m.group(1)))
    if sender and (_WORD.search(subject) or any(_WORD_LINE.match(line) for line in own)):
        return UnsubscribeRequest(None, sender)
    return None


def _own_lines(text: str, first: int = 10) -> list[str]:
    """The first lines the sender wrote, before any quote of the email they answer."""
    out = []
    for line in text.splitlines():
        if _QUOTE_START.search(line.strip()):
            break
        if not line.lstrip().startswith(">"):
            out.append(line)
        if len(out) == first:
            break
    return out


def parse_bounces(msg: Message) -> list[Bounce]:
    """Permanent failures from a delivery status notification (multipart/report; report-type=delivery-status)."""
    if msg.get_content_type() != "multipart/report":
        return []
    out = []
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks[1:] if isinstance(blocks, list) else []:
            if not isinstance(block, Message):
                continue
            action = str(block.get("Action", "")).strip().lower()
            status = str(block.get("Status", "")).strip()
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            address = recipient.split(";", 1)[-1].strip()
            if action == "failed" and status.startswith("5") and "@" in address:
                out.append(Bounce(address.lower(), status, str(block.get("Diagnostic-Code", "")).strip()))
    return out


def apply_message(shop: MailDeps, msg: EmailMessage) -> list[consent.Suppressed]:
    """Apply one mailbox message: suppress bounced addresses, honour unsubscribe requests."""
    done = []
    for b in parse_bounces(msg):
        done.append(consent.suppress(shop, b.email, "bounced", "bounce report", f"{b.status} {b.diagnostic}"))
    request = parse_unsubscribe(msg)
    if request is not None:
        if request.token:
            try:
                done.append(consent.unsubscribe_token(shop, request.token, everything=request.everything))
            except NotFound:
                if request.from_address:
                    done.append(consent.unsubscribe(shop, request.from_address, "unsubscribe email"))
        elif request.from_address:
            done.append(consent.unsubscribe(shop, request.from_address, "unsubscribe email"))
    return done


def imap_password(user: str) -> str | None:
    env = os.environ.get(IMAP_PASSWORD_ENV)
    if env:
        return env
    import keyring  # imported where used: it costs every start
    import keyring.errors

    try:
        return keyring.get_password(mail_settings.KEYRING_SERVICE, f"imap:{user}")
    except keyring.errors.KeyringError:
        return None


def check_mailbox(shop: MailDeps, factory: Callable[[str, int], imaplib.IMAP4] = imaplib.IMAP4_SSL,
                  ) -> list[consent.Suppressed]:
    """Read unseen messages in the shop's INBOX, apply unsubscribes and bounces, mark them seen."""
    ms = mail_settings.load(shop.ctx.settings)
    if not ms.imap_host or not ms.imap_user:
        raise MailServerError("the shop mailbox is not set up: give its IMAP host and user in the mail settings")
    password = imap_password(ms.imap_user)
    if password is None:
        raise MailServerError(f"no IMAP password for {ms.imap_user} in the keyring or {IMAP_PASSWORD_ENV}")
    applied: list[consent.Suppressed] = []
    try:
        box = factory(ms.imap_host, ms.imap_port)
        box.login(ms.imap_user, password)
        box.select("INBOX")
        _, data = box.search(None, "UNSEEN")
        for num in (data[0] or b"").split():
            _, parts = box.fetch(num.decode(), "(RFC822)")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if raw is None:
                continue
            msg = email.message_from_bytes(raw, policy=policy.default)
            assert isinstance(msg, EmailMessage)
            applied.extend(apply_message(shop, msg))
            box.store(num.decode(), "+FLAGS", "\\Seen")
        box.logout()
    except (imaplib.IMAP4.error, OSError) as exc:
        raise MailServerError(f"could not read the shop mailbox {ms.imap_host}: {exc}") from exc
    return applied
