"""The shop's language and locale: one gettext catalogue (babel) for the window, slips, cards, reports and emails,
and money, numbers and dates formatted the shop's way (``1.149,00 €`` in a German shop)."""

from __future__ import annotations

import copy
import functools
import gettext
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.support import Translations

from loyalty_app.errors import ValidationError

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
# The languages shipped, each named in its own language (how a shop owner looks for theirs in a list).
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
DEFAULT_LANGUAGE = "en"
# Where a language has no variant for the shop's country, its home country's conventions.
HOME_LOCALE = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES"}


class _Active:
    """The language and locale in use (one shop per process; worker threads open the same shop)."""

    language: str = DEFAULT_LANGUAGE
    locale: Locale = Locale.parse("en_US")
    translations: gettext.NullTranslations = gettext.NullTranslations()


_active = _Active()


def check_language(code: str) -> str:
    """A shipped language code ('de'), or ValidationError naming the choices."""
    code = (code or "").strip().lower().replace("-", "_").split("_")[0]
    if code not in LANGUAGES:
        raise ValidationError(f"'{code}' is not a language of Loyalty Desk; choose one of {', '.join(LANGUAGES)}")
    return code


def shop_locale(language: str, region: str) -> str:
    """The locale whose conventions the shop uses: the language as spoken in the shop's country when that exists
    ('en_DE' writes 1.149,00 €), else the language's home country."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    try:
        return str(Locale.parse(f"{language}_{region.upper()}"))
    except (UnknownLocaleError, ValueError):
        return HOME_LOCALE[language]


def activate(language: str, region: str = "US") -> None:
    """Use ``language``'s translations and the shop's locale for everything formatted from now on."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    _active.locale = Locale.parse(shop_locale(language, region))
    if language != _active.language or language == DEFAULT_LANGUAGE:
        _active.translations = (gettext.NullTranslations() if language == DEFAULT_LANGUAGE else
                                Translations.load(str(LOCALE_DIR), [language], DOMAIN))
    _active.language = language


def current_language() -> str:
    return _active.language


def current_locale() -> Locale:
    return _active.locale


def _(message: str) -> str:
    """``message`` in the shop's language (English when untranslated)."""
    return _active.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the shop's language; format ``{n}`` in afterwards."""
    return _active.translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a constant for the catalogue; translate it with ``_()`` where it is shown."""
    return message


def _plain(text: str) -> str:
    # Narrow no-break spaces (French thousands) are missing from the PDF base fonts: a no-break space reads the same.
    return text.replace("\u202f", "\u00a0")


def format_amount(amount: Decimal, currency: str) -> str:
    """An exact amount (never a float) with the currency, the shop's way: '$1,149.00', '1.149,00 €'."""
    return _format_amount(amount, currency.upper(), _active.locale)


@functools.lru_cache(maxsize=8192)
def _format_amount(amount: Decimal, currency: str, locale: Locale) -> str:
    # Prices repeat (every line of a history, every row of a report): babel's 25 µs is paid once per amount.
    return _plain(babel_numbers.format_currency(amount, currency, locale=locale))


def format_number(value: int | Decimal) -> str:
    """'12,345' or '12.345'."""
    return _plain(babel_numbers.format_decimal(value, locale=_active.locale))


def format_date(day: date, form: str = "medium") -> str:
    """'Dec 3, 2026', '03.12.2026', '3 déc. 2026'."""
    return _plain(babel_dates.format_date(day, form, locale=_active.locale))


def format_datetime(moment: datetime) -> str:
    """A local moment with its date and time: 'Dec 3, 2026, 2:30 PM', '03.12.2026, 14:30'."""
    return _plain(babel_dates.format_date(moment.date(), "medium", locale=_active.locale) + " "
                  + babel_dates.format_time(moment.time(), "short", locale=_active.locale))


def format_day_month(day: date) -> str:
    """'Dec 3', '3. Dez.': a chart's day label."""
    return _plain(babel_dates.format_skeleton("MMMd", day, locale=_active.locale))


def format_tenths(tenths: int, *, percent: bool = False, signed: bool = False) -> str:
    """A whole number of tenths: '42.5', '42.5%' or '+42.5%' here, '42,5', '42,5 %' in Germany."""
    value = Decimal(tenths).scaleb(-3 if percent else -1)
    text = (_percent_tenths(_active.locale).apply(value, _active.locale) if percent
            else babel_numbers.format_decimal(value, "#,##0.0", locale=_active.locale))
    return _plain(("+" if signed and tenths > 0 else "") + text)


@functools.lru_cache(maxsize=16)
def _percent_tenths(locale: Locale) -> babel_numbers.NumberPattern:
    # The locale's own percent pattern ('#,##0 %' in Germany, '%#,##0' in Turkey) with exactly one decimal.
    pattern = copy.copy(locale.percent_formats[None])
    pattern.frac_prec = (1, 1)
    return pattern


def format_month(day: date) -> str:
    """'Dec 2026', 'Dez. 2026': a month and its year."""
    return _plain(babel_dates.format_skeleton("yMMM", day, locale=_active.locale))


def format_percent(whole: int) -> str:
    """'50%' here, '50 %' in Germany and France."""
    return _plain(babel_numbers.format_percent(Decimal(whole).scaleb(-2), locale=_active.locale))
