"""Phone numbers in any human format to E.164, with a reason a cashier can read when one is refused."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from loyalty_app.errors import ValidationError

ALLOWED = re.compile(r"^[\d\s+().\-/]+$")


class PhoneError(ValidationError):
    """A phone number that cannot be accepted; the message says why."""


def looks_like_phone(text: str) -> bool:
    """True when the text is made of phone characters and has at least 3 digits (so it is not a name)."""
    t = text.strip().lstrip("'")
    return bool(t) and bool(ALLOWED.match(t)) and sum(ch.isdigit() for ch in t) >= 3


def north_american_e164(text: str, region: str = "US") -> str | None:
    """What normalize_phone returns for a valid North American number written as ten digits, eleven with the
    leading 1, or with +1, found without parsing; None for any other shape. Only a number already known to be
    valid (a customer's) may be taken from it unchecked."""
    raw = text.strip().lstrip("'")
    if not ALLOWED.match(raw) or "+" in raw[1:]:
        return None
    digits = "".join(ch for ch in raw if ch.isdigit())
    if raw.startswith("+"):
        national = digits[1:] if len(digits) == 11 and digits[0] == "1" else ""
    elif phonenumbers.country_code_for_region(region.upper()) != 1:
        return None
    else:
        national = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
    if len(national) != 10 or national[0] in "01" or national[3] in "01":
        return None  # not the NANP's NXX-NXX-XXXX: left to phonenumbers
    return "+1" + national


def normalize_phone(text: str, region: str = "US") -> str:
    """Return the E.164 form of ``text`` read in the shop's ``region``, or raise PhoneError saying why."""
    raw = text.strip().lstrip("'")
    if not raw:
        raise PhoneError("a phone number is needed")
    if not ALLOWED.match(raw):
        raise PhoneError(f"'{text}' is not a phone number: only digits, spaces and + ( ) - . / are allowed")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    digits = sum(ch.isdigit() for ch in raw)
    if digits < 5:
        raise PhoneError(f"'{text}' is too short to be a phone number")
    if digits > 17:
        raise PhoneError(f"'{text}' is too long to be a phone number")
    try:
        number = phonenumbers.parse(raw, region.upper())
    except NumberParseException as exc:
        raise PhoneError(f"'{text}' is not a phone number ({_parse_reason(exc)})") from exc
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible == ValidationResult.TOO_SHORT:
        raise PhoneError(f"'{text}' is too short for a phone number of country code +{number.country_code}")
    if possible == ValidationResult.TOO_LONG:
        raise PhoneError(f"'{text}' is too long for a phone number of country code +{number.country_code}")
    if possible == ValidationResult.INVALID_COUNTRY_CODE:
        raise PhoneError(f"'{text}' starts with a country code that does not exist")
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_number(number)
        if where and where != "ZZ":
            message = f"'{text}' is not a number issued in {where}"
        else:
            message = (f"'{text}' is not a number issued by any country: "
                       f"no +{number.country_code} number starts like that")
        if not raw.startswith("+"):
            message += f" (read as a {region.upper()} number; write other countries with +)"
        raise PhoneError(message)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display_phone(e164: str, region: str = "US") -> str:
    """National format for numbers of the shop's country, international for the rest."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region.upper():
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def mask_phone(e164: str, region: str = "US") -> str:
    """The phone as display_phone writes it with every digit but the last four hidden: (•••) •••-4567."""
    shown = display_phone(e164, region)
    digits = sum(ch.isdigit() for ch in shown)
    out, seen = [], 0
    for ch in shown:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - 4 else "•")
        else:
            out.append(ch)
    return "".join(out)


def _parse_reason(exc: NumberParseException) -> str:
    return {
        NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        NumberParseException.NOT_A_NUMBER: "not a number",
        NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        NumberParseException.TOO_SHORT_NSN: "too short",
        NumberParseException.TOO_LONG: "too long",
    }.get(exc.error_type, "not a number")
