"""Loyalty card numbers: 13-digit EAN codes in the in-store range 29…, so any scanner reads them and
a mistyped or misread number fails its check digit."""

from __future__ import annotations

import secrets

from loyalty_app.errors import ValidationError

PREFIX = "29"
LENGTH = 13


class CardError(ValidationError):
    """A card number that cannot be right."""


def ean_check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return str((10 - total % 10) % 10)


def new_card_number(randbelow: int | None = None) -> str:
    """A fresh random card number with its check digit (uniqueness is checked by the caller)."""
    n = secrets.randbelow(10 ** (LENGTH - 1 - len(PREFIX))) if randbelow is None else randbelow
    body = PREFIX + f"{n:0{LENGTH - 1 - len(PREFIX)}d}"
    return body + ean_check_digit(body)


def looks_like_card(text: str) -> bool:
    t = text.strip().replace(" ", "")
    return len(t) == LENGTH and t.isdigit() and t.startswith(PREFIX)


def validate_card_number(text: str) -> str:
    """The card number without spaces, or CardError when its length or check digit is wrong."""
    t = text.strip().replace(" ", "").replace("-", "")
    if not t.isdigit():
        raise CardError(f"'{text}' is not a card number: only digits are allowed")
    if len(t) != LENGTH:
        raise CardError(f"'{text}' is not a card number: it must have {LENGTH} digits")
    if ean_check_digit(t[:-1]) != t[-1]:
        raise CardError(f"card number {t} is mistyped or misread (its check digit is wrong)")
    return t
