"""Phone numbers: any human format to E.164 in the shop's region, and refusals that say why."""

from __future__ import annotations

import pytest

from loyalty_app.errors import Conflict, ValidationError
from loyalty_app.phones import PhoneError, normalize_phone, north_american_e164
from tests.core_helpers import fingerprint


@pytest.mark.parametrize("typed", ["(415) 555-0132", "415.555.0132", "+1 415 555 0132", "415-555-0132",
                                   "4155550132", "1 415 555 0132", "001 415 555 0132", "'+14155550132"])
def test_us_formats_become_one_e164(typed: str) -> None:
    assert normalize_phone(typed, "US") == "+14155550132"


@pytest.mark.parametrize(("typed", "region", "e164"), [
    ("020 7946 0958", "GB", "+442079460958"),       # national trunk 0 in a British shop
    ("(0)20 7946 0958", "GB", "+442079460958"),
    ("+44 20 7946 0958", "US", "+442079460958"),    # another country written with its +code
    ("+44 (0)20 7946 0958", "US", "+442079460958"),
    ("030 901820", "DE", "+4930901820"),
    ("+49 30 901820", "US", "+4930901820"),
    ("06 12 34 56 78", "FR", "+33612345678"),
])
def test_trunk_zero_and_international_forms(typed: str, region: str, e164: str) -> None:
    assert normalize_phone(typed, region) == e164


@pytest.mark.parametrize(("typed", "reason"), [
    ("555-01", "too short"),
    ("415", "too short"),
    ("415-555-CALL", "only digits"),
    ("Ada", "only digits"),
    ("(415) 555-0132 x", "only digits"),
    ("123 456 7890", "not a number issued"),        # no US area code starts with 1
    ("+1 555 555 5555", "not a number issued by any country"),
    ("+999 1234 5678", "country code"),
    ("1234567890123456789", "too long"),
    ("", "needed"),
])
def test_invalid_numbers_are_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(PhoneError, match=reason):
        normalize_phone(typed, "US")


def test_phone_error_is_a_validation_error() -> None:
    assert issubclass(PhoneError, ValidationError)


@pytest.mark.parametrize("typed", ["555-01", "415-555-CALL", "+1 555 555 5555"])
def test_signing_up_with_a_bad_phone_changes_nothing(shop, typed: str) -> None:
    before = fingerprint(shop)
    with pytest.raises(PhoneError):
        shop.customers.sign_up(typed, name="Ada")
    assert fingerprint(shop) == before


def test_a_phone_belongs_to_one_customer_only(shop) -> None:
    shop.customers.sign_up("(415) 555-0132", name="Ada")
    before = fingerprint(shop)
    with pytest.raises(Conflict, match="already belongs"):
        shop.customers.sign_up("+1 415 555 0132", name="Not Ada")
    assert fingerprint(shop) == before


def test_lookup_finds_the_customer_by_any_format(shop) -> None:
    c = shop.customers.sign_up("+14155550132", name="Ada")
    for typed in ("(415) 555-0132", "415.555.0132", "+1 415 555 0132"):
        result = shop.lookup.find(typed)
        assert result.kind == "phone" and [m.id for m in result.matches] == [c.id]


def test_a_british_shop_reads_national_numbers(tmp_path, clock) -> None:
    from loyalty_app.shop import open_shop

    shop = open_shop(tmp_path / "gb.sqlite", clock=clock)
    try:
        shop.initialise(shop_name="London Oils", region="GB", currency="GBP", time_zone="Europe/London")
        c = shop.customers.sign_up("020 7946 0958", name="Grace")
        assert shop.customers.phones(c.id) == ["+442079460958"]
        assert shop.lookup.find_one("+44 20 7946 0958").id == c.id
        assert shop.customers.add_phone(c.id, "+1 415 555 0132") == "+14155550132"
    finally:
        shop.close()


def test_several_phones_and_removal(shop) -> None:
    c = shop.customers.sign_up("(415) 555-0132", phones=["415.555.0133"], name="Ada")
    assert shop.customers.phones(c.id) == ["+14155550132", "+14155550133"]
    assert shop.customers.add_phone(c.id, "415 555 0132") == "+14155550132"  # already hers: no change
    shop.customers.remove_phone(c.id, "415-555-0133")
    assert shop.customers.phones(c.id) == ["+14155550132"]
    assert shop.lookup.find("415.555.0133").matches == []


@pytest.mark.parametrize("text, region", [
    ("(650) 321-4477", "US"), ("650.321.4477", "US"), ("+1 650 321 4477", "US"), ("1-650-321-4477", "US"),
    ("'6503214477", "US"), ("650 321 4477", "CA"), ("+1 (416) 555-0132", "DE"), ("16503214477", "US"),
])
def test_a_north_american_number_is_read_as_phonenumbers_reads_it(text: str, region: str) -> None:
    assert north_american_e164(text, region) == normalize_phone(text, region)


@pytest.mark.parametrize("text, region", [
    ("030 1234567", "DE"), ("650 321 4477", "DE"), ("+44 20 7946 0958", "US"), ("165 0321 447", "US"),
    ("(050) 321-4477", "US"), ("650 121 4477", "US"), ("011 44 20 7946 0958", "US"), ("650+321-4477", "US"),
    ("555-0132", "US"), ("+1 650 321 44770", "US"), ("650 321 4477 ext 2", "US"),
])
def test_any_other_shape_is_left_to_phonenumbers(text: str, region: str) -> None:
    assert north_american_e164(text, region) is None
