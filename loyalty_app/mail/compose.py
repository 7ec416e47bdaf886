"""Building the email a customer receives: plain text + autoescaped HTML from template files, and the headers."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from loyalty_app.mail.settings import MailSettings

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Letter:
    """What one email says; the kind picks the templates (announce | refill)."""

    kind: str
    to_email: str
    to_name: str | None
    token: str
    context: dict[str, Any] = field(default_factory=dict)


@functools.cache
def _environment() -> jinja2.Environment:
    # Autoescape the HTML templates only; data put into a template is never itself rendered as a template,
    # so a name like "{{ 7*7 }}" or "<b>" stays text.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _one_line(text: str) -> str:
    return re.sub(r"[\r\n\t]+", " ", text).strip()


def first_name(name: str | None) -> str | None:
    if not name or not name.strip():
        return None
    return _one_line(name).split(" ")[0]


def unsubscribe_mailto(settings: MailSettings, token: str) -> str:
    return f"mailto:{settings.unsubscribe_address}?subject={quote('unsubscribe ' + token)}"


def _shop_block(settings: MailSettings, accent: str) -> dict[str, Any]:
    lines = [ln.strip() for ln in re.split(r"[\n;]", settings.postal_address) if ln.strip()]
    return {"name": settings.from_name, "address_lines": lines, "accent": accent}


def render(settings: MailSettings, letter: Letter) -> tuple[str, str, str]:
    """(subject, plain text, HTML) for one letter."""
    env = _environment()
    fname = first_name(letter.to_name)
    data = {
        **letter.context,
        "kind": letter.kind,
        "shop": _shop_block(settings, settings.accent),
        "greeting": f"Hello {fname}" if fname else "Hello",
        "token": letter.token,
        "unsubscribe_address": settings.unsubscribe_address,
        "unsubscribe_mailto": unsubscribe_mailto(settings, letter.token),
    }
    subject = _one_line(env.get_template("subjects.txt.j2").render(**data))
    data["subject"] = subject
    text = env.get_template(f"{letter.kind}.txt.j2").render(**data)
    html = env.get_template(f"{letter.kind}.html.j2").render(**data)
    return subject, text, html


def compose(settings: MailSettings, letter: Letter, now: datetime) -> EmailMessage:
    """The complete message: both parts, From/To/Date/Message-ID and the List-Unsubscribe headers."""
    subject, text, html = render(settings, letter)
    msg = EmailMessage()
    local, _, domain = settings.from_address.partition("@")
    msg["From"] = Address(display_name=_one_line(settings.from_name), username=local, domain=domain)
    to_local, _, to_domain = letter.to_email.partition("@")
    msg["To"] = Address(display_name=_one_line(letter.to_name or ""), username=to_local, domain=to_domain)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=domain or "localhost")
    msg["List-Unsubscribe"] = f"<{unsubscribe_mailto(settings, letter.token)}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    # quoted-printable keeps the stored message 7-bit clean, so any server takes it as is.
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    return msg
