"""Fixtures of the mail tests: the real SMTP server on loopback and the in-memory keyring."""

from tests.mail_support import memory_keyring, smtp

__all__ = ["memory_keyring", "smtp"]
