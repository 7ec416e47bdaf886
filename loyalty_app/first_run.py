"""First run: the answers of the set-up wizard turned into a ready shop (settings, owner, points, backups)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from db import settings_queries as sq
from loyalty_app.errors import Conflict, ValidationError
from loyalty_app.points_rules import PointsProgram
from loyalty_app.shop import Shop, data_dir, open_shop
from loyalty_app.staff import check_pin_format

# Country → (currency, a sensible default time zone). Phone numbers are read in the country's format.
COUNTRIES: dict[str, tuple[str, str, str]] = {
    "US": ("United States", "USD", "America/New_York"),
    "CA": ("Canada", "CAD", "America/Toronto"),
    "GB": ("United Kingdom", "GBP", "Europe/London"),
    "IE": ("Ireland", "EUR", "Europe/Dublin"),
    "AU": ("Australia", "AUD", "Australia/Sydney"),
    "NZ": ("New Zealand", "NZD", "Pacific/Auckland"),
    "DE": ("Germany", "EUR", "Europe/Berlin"),
    "AT": ("Austria", "EUR", "Europe/Vienna"),
    "CH": ("Switzerland", "CHF", "Europe/Zurich"),
    "FR": ("France", "EUR", "Europe/Paris"),
    "BE": ("Belgium", "EUR", "Europe/Brussels"),
    "NL": ("Netherlands", "EUR", "Europe/Amsterdam"),
    "ES": ("Spain", "EUR", "Europe/Madrid"),
    "PT": ("Portugal", "EUR", "Europe/Lisbon"),
    "IT": ("Italy", "EUR", "Europe/Rome"),
    "GR": ("Greece", "EUR", "Europe/Athens"),
    "SE": ("Sweden", "SEK", "Europe/Stockholm"),
    "DK": ("Denmark", "DKK", "Europe/Copenhagen"),
    "NO": ("Norway", "NOK", "Europe/Oslo"),
    "FI": ("Finland", "EUR", "Europe/Helsinki"),
    "PL": ("Poland", "PLN", "Europe/Warsaw"),
    "MX": ("Mexico", "MXN", "America/Mexico_City"),
    "JP": ("Japan", "JPY", "Asia/Tokyo"),
}

START_EMPTY, START_IMPORT, START_DEMO = "empty", "import", "demo"


@dataclass
class ShopSetup:
    """What the first-run wizard asks."""

    shop_name: str
    country: str
    owner_pin: str
    owner_name: str = "owner"
    time_zone: str | None = None
    program: PointsProgram = field(default_factory=PointsProgram)
    backup_dir: Path | None = None
    start: str = START_EMPTY
    language: str = "en"


def country_defaults(country: str) -> tuple[str, str]:
    """(currency, time zone) for a country code; unknown countries get USD/UTC and can be changed later."""
    entry = COUNTRIES.get(country.upper())
    return (entry[1], entry[2]) if entry else ("USD", "UTC")


def validate_setup(setup: ShopSetup) -> None:
    if not setup.shop_name.strip():
        raise ValidationError("the shop needs a name (it is printed on slips and cards)")
    check_pin_format(setup.owner_pin)
    setup.program.validate()
    if setup.start not in (START_EMPTY, START_IMPORT, START_DEMO):
        raise ValidationError("start empty, from a POS export, or with the demo shop")


def create_shop(path: Path, setup: ShopSetup) -> Shop:
    """Create and initialise the shop at ``path``; refuses a file that already holds a shop."""
    validate_setup(setup)
    shop = open_shop(path)
    if shop.is_initialised:
        shop.close()
        raise Conflict(f"{path} already holds the shop '{shop.ctx.shop_name}'")
    currency, zone = country_defaults(setup.country)
    shop.initialise(shop_name=setup.shop_name, region=setup.country, currency=currency,
                    time_zone=setup.time_zone or zone, owner_name=setup.owner_name, owner_pin=setup.owner_pin,
                    program=setup.program, language=setup.language)
    backups = setup.backup_dir or data_dir() / "backups"
    with shop.ctx.write():
        sq.set_setting(shop.ctx.db, "backup_dir", str(backups))
    shop.ctx.reload_settings()
    return shop
