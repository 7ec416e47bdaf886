"""Cell values as POS exports write them: money, quantities, dates and times with their zone, phones, emails."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from loyalty_app.errors import ValidationError
from loyalty_app.limits import MAX_QUANTITY
from loyalty_app.money import ZERO_DECIMAL, parse_money
from loyalty_app.phones import PhoneError, normalize_phone

# Regions that write dates month first; everywhere else a slashed date is read day first.
MONTH_FIRST_REGIONS = frozenset({"US", "PH", "FM", "MH", "PW", "GU", "AS", "MP", "VI", "PR", "UM", "CA", "BZ"})

# Square (and other Rails-based tools) name zones the Rails way; these are the names shops actually see.
RAILS_ZONES = {
    "Eastern Time (US & Canada)": "America/New_York", "Central Time (US & Canada)": "America/Chicago",
    "Mountain Time (US & Canada)": "America/Denver", "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Arizona": "America/Phoenix", "Alaska": "America/Juneau", "Hawaii": "Pacific/Honolulu",
    "Atlantic Time (Canada)": "America/Halifax", "Newfoundland": "America/St_Johns",
    "Indiana (East)": "America/Indiana/Indianapolis", "Saskatchewan": "America/Regina",
    "Mexico City": "America/Mexico_City", "Puerto Rico": "America/Puerto_Rico",
    "London": "Europe/London", "Edinburgh": "Europe/London", "Dublin": "Europe/Dublin", "Lisbon": "Europe/Lisbon",
    "Paris": "Europe/Paris", "Berlin": "Europe/Berlin", "Madrid": "Europe/Madrid", "Rome": "Europe/Rome",
    "Amsterdam": "Europe/Amsterdam", "Brussels": "Europe/Brussels", "Vienna": "Europe/Vienna",
    "Bern": "Europe/Zurich", "Zurich": "Europe/Zurich", "Stockholm": "Europe/Stockholm",
    "Copenhagen": "Europe/Copenhagen", "Oslo": "Europe/Oslo", "Helsinki": "Europe/Helsinki",
    "Athens": "Europe/Athens", "Warsaw": "Europe/Warsaw", "Prague": "Europe/Prague",
    "Tokyo": "Asia/Tokyo", "Osaka": "Asia/Tokyo", "Sydney": "Australia/Sydney", "Canberra": "Australia/Sydney",
    "Melbourne": "Australia/Melbourne", "Brisbane": "Australia/Brisbane", "Adelaide": "Australia/Adelaide",
    "Perth": "Australia/Perth", "Hobart": "Australia/Hobart", "Darwin": "Australia/Darwin",
    "Auckland": "Pacific/Auckland", "Wellington": "Pacific/Auckland", "UTC": "UTC",
}

DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](.*))?$")
DATE_SLASH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})(?:[ ,T]+(.*))?$")
TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$")
OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?$")
EMAIL = re.compile(r"[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"']+")


def day_first_for_region(region: str) -> bool:
    return region.upper() not in MONTH_FIRST_REGIONS


PLAIN_MONEY = re.compile(r"\s*(-?)\$?(\d{1,12})\.(\d\d)\s*")  # '12.50', '$8.00', '-3.25': most cells


def money(text: str, currency: str = "USD") -> int:
    """Minor units from '$8.00', '"$1,149.00 "', '($33.62)', '-$45.00', '1.149,00 €' (ValidationError if not)."""
    m = PLAIN_MONEY.fullmatch(text)
    if m is not None and currency not in ZERO_DECIMAL:
        cents = int(m.group(2)) * 100 + int(m.group(3))
        return -cents if m.group(1) else cents
    return _money(text, currency)


@lru_cache(maxsize=4096)
def _money(text: str, currency: str) -> int:
    return parse_money(text, currency=currency)


def money_or_none(text: str | None, currency: str = "USD") -> int | None:
    if not text:
        return None
    m = PLAIN_MONEY.fullmatch(text)  # most cells, as in ``money``
    if m is not None and currency not in ZERO_DECIMAL:
        cents = int(m.group(2)) * 100 + int(m.group(3))
        return -cents if m.group(1) else cents
    t = text.strip()
    if not t or t in ("-", "—"):
        return None
    return _money(text, currency)


@lru_cache(maxsize=1024)
def quantity(text: str) -> Decimal:
    """'1.0', '2', '0.5', '1,5' as a Decimal; ValidationError for anything else."""
    t = text.strip().replace(" ", "")
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        q = Decimal(t)
    except InvalidOperation:
        raise ValidationError(f"quantity '{text}' is not a number") from None
    if not q.is_finite():
        raise ValidationError(f"quantity '{text}' is not a number")
    if abs(q) > MAX_QUANTITY:
        raise ValidationError(f"quantity {text.strip()} is not plausible for one line (more than "
                              f"{MAX_QUANTITY:,} units): fix the row and import it again")
    return q


@lru_cache(maxsize=1024)
def quantity_whole(text: str) -> tuple[Decimal, int | None]:
    """The quantity, and its int value when it is a whole number (None for 0.5)."""
    q = quantity(text)
    return q, int(q) if q == q.to_integral_value() else None


@lru_cache(maxsize=256)
def zone_named(name: str) -> tzinfo:
    """A Square-style zone name, an IANA name or an offset like '+02:00' as a tzinfo (ValidationError if not)."""
    n = name.strip()
    iana = RAILS_ZONES.get(n)
    if iana is None and "(" in n:  # '(GMT-05:00) Eastern Time (US & Canada)'
        iana = RAILS_ZONES.get(re.sub(r"^\([^)]*\)\s*", "", n))
    try:
        return ZoneInfo(iana or n)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    m = OFFSET.match(n)
    if m:
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        return timezone(timedelta(minutes=-minutes if m.group(1) == "-" else minutes))
    raise ValidationError(f"time zone '{name}' is not known")


def _offset(text: str) -> tzinfo:
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _time_parts(text: str) -> tuple[int, int, int, tzinfo | None]:
    t = text.strip()
    if not t:
        return 0, 0, 0, None
    parts = t.rsplit(" ", 1)
    m = TIME.match(t)
    if m is None and len(parts) == 2 and re.fullmatch(r"[+-]\d{4}", parts[1]):  # '10:00:00 +0000'
        m = TIME.match(parts[0] + parts[1])
    if m is None:
        raise ValidationError(f"'{text}' is not a time of day")
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    ampm = (m.group(4) or "").upper()
    if ampm:
        if not 1 <= hour <= 12:
            raise ValidationError(f"'{text}' is not a time of day")
        hour = hour % 12 + (12 if ampm == "PM" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValidationError(f"'{text}' is not a time of day")
    return hour, minute, second, _offset(m.group(5)) if m.group(5) else None


@lru_cache(maxsize=65536)
def timestamp(date_text: str, time_text: str, zone: tzinfo, day_first: bool) -> str:
    """UTC ISO text from a date (and time) as exported, read in ``zone`` unless the text carries an offset.

    Slashed dates follow ``day_first`` unless only one reading is a real date ('31/12/2025', '12/27/2018').
    """
    d = date_text.strip()
    rest = time_text
    m = DATE_ISO.match(d)
    if m:
        y, mo, da = int(m.group(1)), int(m.group(2)), int(m.group(3))
        rest = m.group(4) or time_text
    else:
        m = DATE_SLASH.match(d)
        if m is None:
            raise ValidationError(f"'{date_text}' is not a date")
        a, b, yy = int(m.group(1)), int(m.group(2)), m.group(3)
        rest = m.group(4) or time_text
        y = int(yy) + 2000 if len(yy) == 2 else int(yy)
        da, mo = (a, b) if day_first else (b, a)
        if mo > 12 and da <= 12:
            da, mo = mo, da
    hour, minute, second, offset = _time_parts(rest or "")
    try:
        local = datetime(y, mo, da, hour, minute, second, tzinfo=offset or zone)
    except ValueError:
        raise ValidationError(f"'{date_text} {time_text}'".replace(" '", "'") + " is not a real date") from None
    if not 1990 <= y <= 2100:
        raise ValidationError(f"the date '{date_text}' is out of range")
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Separators phonenumbers ignores: one cache entry for '415-555-0132', '415 555 0132' and, written without a
# country code, '(415) 555-0132' (with one, brackets stay: '+44 (0)20 ...' is read with its '(0)').
SPACING = str.maketrans("", "", " -.\t")
NATIONAL_SPACING = str.maketrans("", "", " -.\t()")


def phone(text: str, region: str) -> str:
    """E.164 from a phone as exported ("'+1 415-555-0132", '(415) 555 0132'); PhoneError says why not.

    Each distinct number is parsed once however it was typed; a refused one is read again for its message.
    """
    t = text.strip().lstrip("'").strip()
    if "'" in t:  # a quote left inside (".'201000") is refused as the counter refuses it, spacing or not
        return normalize_phone(t, region)
    compact = t.translate(SPACING if t[:1] == "+" or t[:2] == "00" else NATIONAL_SPACING)
    key = (compact, region)
    e164 = _PHONES.get(key, _UNSEEN)
    if e164 is _UNSEEN:
        try:
            e164 = normalize_phone(compact, region)
        except PhoneError:
            e164 = None
        if len(_PHONES) > 131072:
            _PHONES.clear()
        _PHONES[key] = e164
        if e164 is not None:
            _PHONES[(e164, region)] = e164  # the number written with its country code is itself: no second parse
    return e164 if e164 is not None else normalize_phone(t, region)


_UNSEEN = "?"
_PHONES: dict[tuple[str, str], str | None] = {}  # (compact text, region) -> E.164, None when refused


def phone_or_none(text: str | None, region: str) -> tuple[str | None, str | None]:
    """(E.164, None), (None, None) when blank, or (None, reason) when the phone is unusable."""
    if not text or not text.strip().lstrip("'").strip():
        return None, None
    try:
        return phone(text, region), None
    except PhoneError as exc:
        return None, str(exc)


def email_or_none(text: str | None) -> str | None:
    if not text:
        return None
    m = EMAIL.search(text)
    return m.group(0).lower() if m else None


def split_contacts(text: str | None, region: str) -> tuple[str | None, str | None]:
    """Loyverse's 'Customer contacts' holds a phone and/or an email in one cell: (E.164, email).

    Every line of a receipt, and every receipt of a regular, repeats the cell: each distinct one is read once.
    """
    if not text or not text.strip():
        return None, None
    return _split_contacts(text, region)


@lru_cache(maxsize=65536)
def _split_contacts(text: str, region: str) -> tuple[str | None, str | None]:
    mail = email_or_none(text)
    rest = EMAIL.sub(" ", text)
    e164 = None
    for part in re.split(r"[,;|\n]+", rest):
        e164, _ = phone_or_none(part, region)
        if e164:
            break
    return e164, mail


def text(value: str | None) -> str | None:
    """A cell with surrounding space and Excel's leading apostrophe removed; None when blank."""
    if not value:
        return None
    v = value.strip()
    if v[:1] == "'":
        v = v.lstrip("'").strip()
    return v or None
