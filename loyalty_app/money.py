"""Money as integer minor units (cents). Decimal only while parsing text; never float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from loyalty_app.errors import ValidationError
from loyalty_app.i18n import format_amount
from loyalty_app.limits import MAX_CENTS

ZERO_DECIMAL = {"JPY", "KRW", "ISK"}


def minor_digits(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL else 2


def parse_money(text: str, *, decimal_comma: bool | None = None, currency: str = "USD", exact: bool = False) -> int:
    """Parse '$8.00', '"$1,149.00 "', '-$45.00', '($33.62)', '1.149,00 €', '12' into minor units.

    ``decimal_comma`` forces the reading of ',' as the decimal mark; None guesses from the text.
    """
    raw = str(text).strip().strip('"').strip()
    if not raw:
        raise ValidationError("an amount is empty")
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1].strip()
    cleaned = re.sub(r"[^\d,.\-+]", "", raw)
    if cleaned.startswith("-"):
        negative, cleaned = not negative, cleaned[1:]
    elif cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if cleaned.endswith("-"):  # '45.00-' as some tills print refunds
        negative, cleaned = not negative, cleaned[:-1]
    if not cleaned or not re.fullmatch(r"[\d.,]+", cleaned) or not re.search(r"\d", cleaned):
        raise ValidationError(f"'{text}' is not an amount of money")
    if decimal_comma is None:
        decimal_comma = _guess_decimal_comma(cleaned)
    cleaned = cleaned.replace(".", "").replace(",", ".") if decimal_comma else cleaned.replace(",", "")
    if cleaned.count(".") > 1:
        raise ValidationError(f"'{text}' is not an amount of money")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError(f"'{text}' is not an amount of money") from exc
    digits = minor_digits(currency)
    scaled = value * (10**digits)
    if abs(scaled) > MAX_CENTS:  # no till rings that up; it is a mistyped field
        raise ValidationError(f"'{text}' is too large to be an amount of money (at most "
                              f"{format_money(MAX_CENTS, currency)})")
    if exact and scaled != scaled.to_integral_value():
        # A price typed by a person with a fraction of a cent is a typo, not something to round away.
        raise ValidationError(f"'{text}' has more decimals than {currency.upper()} amounts have")
    cents = int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return -cents if negative else cents


def check_amount(cents: object, what: str, currency: str = "USD") -> int:
    """An amount given as a number of minor units: a whole number from 0 to MAX_CENTS, or ValidationError."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise ValidationError(f"{what} must be a whole number of cents, not {cents}")
    if cents < 0:
        raise ValidationError(f"{what} cannot be negative")
    if cents > MAX_CENTS:
        raise ValidationError(f"{what} is more than {format_money(MAX_CENTS, currency)}: not a real amount")
    return cents


def _guess_decimal_comma(s: str) -> bool:
    if "," not in s:
        return False
    if "." not in s:
        # '1,149' is thousands; '8,50' and '1,5' are decimals.
        return not re.fullmatch(r"\d{1,3}(,\d{3})+", s)
    return s.rfind(",") > s.rfind(".")


def format_money(cents: int, currency: str = "USD") -> str:
    """'$1,149.00', '-€3.50' in an English shop, '1.149,00 €' in a German one (the shop's locale, see i18n).
    Exact: the cents become a Decimal, never a float."""
    return format_amount(Decimal(cents).scaleb(-minor_digits(currency)), currency)


def cents_to_decimal_text(cents: int, currency: str = "USD") -> str:
    """'12.50' for CSV files: exact, no currency symbol."""
    digits = minor_digits(currency)
    if not digits:
        return str(cents)
    sign = "-" if cents < 0 else ""
    units, minor = divmod(abs(cents), 10**digits)
    return f"{sign}{units}.{minor:0{digits}d}"
