"""Talking to the SMTP server: connecting with the chosen security, and errors explained in plain words."""

from __future__ import annotations

import smtplib
import socket
import ssl

from loyalty_app.errors import LoyaltyError
from loyalty_app.mail.settings import MailSettings, smtp_password

TIMEOUT_SECONDS = 30.0


class MailServerError(LoyaltyError):
    """The mail server could not be used; the message says why in plain words."""


def connect(ms: MailSettings, timeout: float = TIMEOUT_SECONDS) -> smtplib.SMTP:
    """An SMTP session, TLS as configured, logged in when a user is set. Raises smtplib/OSError errors."""
    context = ssl.create_default_context()
    conn: smtplib.SMTP
    if ms.security == "ssl":
        conn = smtplib.SMTP_SSL(ms.host, ms.port, timeout=timeout, context=context)
    else:
        conn = smtplib.SMTP(ms.host, ms.port, timeout=timeout)
    try:
        conn.ehlo()
        if ms.security == "starttls":
            conn.starttls(context=context)
            conn.ehlo()
        if ms.user:
            password = smtp_password(ms.user)
            if password is None:
                raise MailServerError(
                    f"no password for {ms.user}: store it with 'loyalty mail setup' (system keyring) "
                    "or set LOYALTY_SMTP_PASSWORD")
            conn.login(ms.user, password)
    except BaseException:
        conn.close()
        raise
    return conn


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}".strip()


def explain(exc: BaseException, ms: MailSettings) -> str:
    """What went wrong, in words the owner can act on (wrong password, host unreachable, TLS refused...)."""
    where = f"{ms.host}:{ms.port}"
    if isinstance(exc, MailServerError):
        return str(exc)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"wrong user name or password: {where} refused the login for {ms.user} ({_reply(exc)})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if "STARTTLS" in str(exc).upper():
            return (f"TLS refused: {where} does not offer STARTTLS; try --ssl (usually port 465), "
                    "or --plain only on a trusted local network")
        return f"{where} does not support this: {exc}"
    if isinstance(exc, ssl.SSLError):
        return (f"TLS refused: the secure connection to {where} failed ({exc.reason or exc}); "
                "check --ssl/--starttls and the port")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"the server refused the address: {code} {text.decode('utf-8', 'replace')}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server said: {_reply(exc)}"
    if isinstance(exc, socket.gaierror):
        return f"host unreachable: no such host '{ms.host}' (check the spelling and the internet connection)"
    if isinstance(exc, ConnectionRefusedError):
        return f"host unreachable: {where} refused the connection (wrong port, or the server is down)"
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"host unreachable: {where} did not answer in time"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"{where} closed the connection unexpectedly ({exc})"
    if isinstance(exc, OSError):
        return f"host unreachable: {where}: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


def classify(exc: BaseException) -> tuple[str, str]:
    """('temporary' | 'permanent' | 'connection' | 'fatal', reason) for a failure while sending one message."""
    if isinstance(exc, smtplib.SMTPAuthenticationError | MailServerError | ssl.SSLError
                  | smtplib.SMTPNotSupportedError):
        return "fatal", str(exc)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        reason = f"{code} {text.decode('utf-8', 'replace')}"
        return ("permanent" if code >= 500 else "temporary"), reason
    if isinstance(exc, smtplib.SMTPResponseException):
        return ("permanent" if exc.smtp_code >= 500 else "temporary"), _reply(exc)
    if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
        return "connection", str(exc) or type(exc).__name__
    return "fatal", f"{type(exc).__name__}: {exc}"
