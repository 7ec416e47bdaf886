"""Mail settings: SMTP server and sender in the shop's settings; the password only in the OS keyring."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from db import settings_queries as sq
from loyalty_app.context import ShopContext, Staff
from loyalty_app.errors import ValidationError

KEYRING_SERVICE = "loyalty-desk"
PASSWORD_ENV = "LOYALTY_SMTP_PASSWORD"
SECURITY_MODES = ("starttls", "ssl", "plain")


@dataclass(frozen=True)
class MailSettings:
    """Everything needed to send, except the password (see ``smtp_password``)."""

    host: str
    port: int
    security: str
    user: str | None
    from_address: str
    from_name: str
    postal_address: str
    unsubscribe_address: str
    cap_days: int
    control_percent: int
    results_days: int
    refill_every_days: int
    imap_host: str | None
    imap_port: int
    imap_user: str | None
    accent: str = "#556b2f"
    unsubscribe_url: str = ""  # https://.../{token}: the shop's own one-click page, if it has one
    welcome: bool = False  # the welcome email after a sign-up with consent
    winback: bool = False  # "we miss you" when a customer's own rhythm is well overdue
    winback_min_days: int = 60  # ... and at least this many days since their last visit

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)


def _int(settings: dict[str, str], key: str, default: int) -> int:
    try:
        return int(settings.get(key, default))
    except ValueError:
        return default


def load(settings: dict[str, str]) -> MailSettings:
    from_address = settings.get("mail_from", "")
    return MailSettings(
        host=settings.get("mail_host", ""),
        port=_int(settings, "mail_port", 587),
        security=settings.get("mail_security", "starttls"),
        user=settings.get("mail_user") or None,
        from_address=from_address,
        from_name=settings.get("mail_from_name") or settings.get("shop_name", "My Shop"),
        postal_address=settings.get("shop_postal_address", ""),
        unsubscribe_address=settings.get("mail_unsubscribe_address") or from_address,
        cap_days=_int(settings, "mail_cap_days", 14),
        control_percent=_int(settings, "mail_control_percent", 10),
        results_days=_int(settings, "mail_results_days", 30),
        refill_every_days=_int(settings, "mail_refill_every_days", 7),
        imap_host=settings.get("imap_host") or None,
        imap_port=_int(settings, "imap_port", 993),
        imap_user=settings.get("imap_user") or None,
        accent=settings.get("mail_accent") or "#556b2f",
        unsubscribe_url=settings.get("mail_unsubscribe_url", ""),
        welcome=settings.get("mail_welcome", "off") == "on",
        winback=settings.get("mail_winback", "off") == "on",
        winback_min_days=_int(settings, "mail_winback_min_days", 60),
    )


def _valid_address(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(local and at and "." in domain and not any(ch.isspace() for ch in text))


SETTING_KEYS = {
    "host": "mail_host", "port": "mail_port", "security": "mail_security", "user": "mail_user",
    "from_address": "mail_from", "from_name": "mail_from_name", "postal_address": "shop_postal_address",
    "unsubscribe_address": "mail_unsubscribe_address", "cap_days": "mail_cap_days",
    "control_percent": "mail_control_percent", "results_days": "mail_results_days",
    "refill_every_days": "mail_refill_every_days", "imap_host": "imap_host", "imap_port": "imap_port",
    "imap_user": "imap_user", "accent": "mail_accent", "unsubscribe_url": "mail_unsubscribe_url",
    "welcome": "mail_welcome", "winback": "mail_winback", "winback_min_days": "mail_winback_min_days",
}
SWITCHES = ("welcome", "winback")  # on | off


def save(ctx: ShopContext, actor: Staff | None, **values: str | int | None) -> MailSettings:
    """Owner-only: change mail settings (never the password: see ``store_password``)."""
    ctx.require_owner(actor, "changing the mail settings")
    unknown = set(values) - set(SETTING_KEYS)
    if unknown:
        raise ValidationError(f"unknown mail setting: {', '.join(sorted(unknown))}")
    if values.get("security") is not None and values["security"] not in SECURITY_MODES:
        raise ValidationError("security must be starttls, ssl or plain")
    for key in SWITCHES:
        if values.get(key) is not None and str(values[key]).strip().lower() not in ("on", "off"):
            raise ValidationError(f"{key} is on or off, not '{values[key]}'")
    url = values.get("unsubscribe_url")
    if url and not (str(url).startswith("https://") and "{token}" in str(url)):
        raise ValidationError("the unsubscribe web address starts with https:// and holds {token}, "
                              "e.g. https://shop.example/unsubscribe/{token}")
    for key in ("port", "imap_port", "cap_days", "control_percent", "results_days", "refill_every_days",
                "winback_min_days"):
        if key in values and values[key] is not None:
            try:
                n = int(values[key])  # type: ignore[arg-type]
            except ValueError as exc:
                raise ValidationError(f"{key.replace('_', ' ')} must be a whole number") from exc
            if n < 0 or (key.endswith("port") and not 0 < n < 65536):
                raise ValidationError(f"{key.replace('_', ' ')} {n} is out of range")
            if key == "control_percent" and n > 50:
                raise ValidationError("the control group can be at most 50% of the audience")
    accent = values.get("accent")
    if accent and not re.fullmatch(r"#[0-9a-fA-F]{6}", str(accent)):
        raise ValidationError(f"'{accent}' is not a colour like #556b2f")
    for key in ("from_address", "unsubscribe_address"):
        v = values.get(key)
        if v and not _valid_address(str(v)):
            raise ValidationError(f"'{v}' is not an email address")
    switched_on = values.get("welcome") is not None and str(values["welcome"]).strip().lower() == "on" \
        and not load(ctx.settings).welcome
    with ctx.write():
        if switched_on:  # welcomes go to those who sign up from now on, not to every customer already known
            sq.set_setting(ctx.db, "mail_welcome_since", ctx.now_iso())
        for key, value in values.items():
            if value is not None:
                text = str(value).strip()
                sq.set_setting(ctx.db, SETTING_KEYS[key], text.lower() if key in SWITCHES else text)
        ctx.audit("mail.settings", None, {k: v for k, v in values.items() if v is not None}, actor)
    ctx.reload_settings()
    return load(ctx.settings)


def store_password(user: str, password: str) -> None:
    """Keep the SMTP password in the operating system's keyring (never the database)."""
    import keyring  # imported where used: it costs every start of the app and the CLI
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, user, password)
    except keyring.errors.KeyringError as exc:
        raise ValidationError(
            f"the system keyring refused the password ({exc}); set {PASSWORD_ENV} for unattended sending") from exc


def smtp_password(user: str | None) -> str | None:
    """The password: LOYALTY_SMTP_PASSWORD for unattended runs, else the keyring entry for ``user``."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    if not user:
        return None
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except keyring.errors.KeyringError:
        return None
