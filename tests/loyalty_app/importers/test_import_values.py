"""Reading messy cells and files: money, dates with zones and day order, phones, encodings, delimiters."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from loyalty_app.errors import ValidationError
from loyalty_app.importers import values as v
from loyalty_app.importers.change_records import dumps
from loyalty_app.importers.csv_reader import CsvSource
from loyalty_app.importers.detect import detect_format

LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize("text,cents", [("$8.00", 800), ('"$1,149.00 "', 114900), ("-$45.00", -4500),
                                        ("($33.62)", -3362), ("1.149,00 €", 114900), ("-$0.95", -95),
                                        ("12", 1200)])
def test_money(text, cents):
    assert v.money(text) == cents


@pytest.mark.parametrize("date,time,day_first,iso", [
    ("2026-07-18", "12:59:30", False, "2026-07-18T19:59:30Z"),
    ("12/27/2018", "", True, "2018-12-27T08:00:00Z"),  # only one reading is a real date
    ("7/28/26 1:33 PM", "", False, "2026-07-28T20:33:00Z"),
    ("31/12/2025 14:05", "", True, "2025-12-31T22:05:00Z"),
    ("01/10/2026 23:50", "", True, "2026-10-02T06:50:00Z"),
    ("01/10/2026 23:50", "", False, "2026-01-11T07:50:00Z"),
    ("2026-06-01 10:00:00 +0000", "", False, "2026-06-01T10:00:00Z"),
])
def test_dates(date, time, day_first, iso):
    assert v.timestamp(date, time, LA, day_first) == iso


def test_square_zone_names_and_region_day_order():
    assert v.timestamp("2026-07-18", "12:59:30", v.zone_named("Eastern Time (US & Canada)"), False) == \
        "2026-07-18T16:59:30Z"
    assert v.zone_named("Europe/Paris") == ZoneInfo("Europe/Paris")
    with pytest.raises(ValidationError):
        v.zone_named("Middle Earth Time")
    assert not v.day_first_for_region("US") and v.day_first_for_region("FR") and v.day_first_for_region("GB")
    with pytest.raises(ValidationError):
        v.timestamp("2026-02-30", "", LA, False)


def test_phones_and_contacts():
    assert v.phone("'+1 415-555-0132", "US") == v.phone("(415) 555 0132", "US") == "+14155550132"
    assert v.split_contacts("+1 415 555 0150, Eve@Example.com", "US") == ("+14155550150", "eve@example.com")
    assert v.phone_or_none("12", "US")[0] is None


def test_encodings_and_delimiters(tmp_path):
    f = tmp_path / "a.csv"
    f.write_bytes("\ufeffName;Prix\r\nZoë;1,50\r\n".encode())
    src = CsvSource(f)
    assert (src.encoding, src.delimiter, src.preview()) == ("utf-8-sig", ";", [["Zoë", "1,50"]])
    assert src.header == ["Name", "Prix"]
    f.write_bytes("Name\tPrix\r\nZoë\t1.50\r\n".encode("cp1252"))
    src = CsvSource(f)
    assert (src.encoding, src.delimiter, src.preview()) == ("cp1252", "\t", [["Zoë", "1.50"]])


def test_detection_by_names_not_positions():
    header = ["Extra New Column", "Qty", "Item", "Transaction ID", "Date", "Event Type", "Another New One"]
    assert detect_format(header) == "square-items"
    assert detect_format(["Name", "Lineitem name", "Lineitem quantity", "Lineitem price"]) == "shopify-orders"
    assert detect_format(["Square Customer ID", "First Name", "Last Name", "Phone Number"]) == "square-customers"
    assert detect_format(["Foo", "Bar"]) is None


@given(st.one_of(st.none(), st.text()))
def test_change_record_strings_are_valid_json(value):
    assert json.loads(dumps(value)) == value


PHONE_TEXT = st.text(alphabet="0123456789 +-.()'", min_size=0, max_size=18)


@given(PHONE_TEXT, st.sampled_from(["US", "GB", "DE"]))
@example("(650) 321-4477", "US")
@example("650.321.4477", "US")
@example("'+1 650 321 4477", "US")
@example("+44 (0)20 7946 0018", "GB")
@example("0044 20 7946 0018", "US")
@example("(020) 7946 0018", "GB")
@example("(650) 321-44", "US")
@example(".'201000", "DE")  # a quote inside: refused by both
def test_a_cached_phone_reads_as_the_counter_reads_it(text, region):
    """However a number is spaced, the import's one-parse-per-number cache gives the counter's answer or error."""
    from loyalty_app.phones import PhoneError, normalize_phone

    try:
        expected: str | None = normalize_phone(text.strip().lstrip("'").strip(), region)
    except PhoneError as exc:
        expected = f"error: {exc}"
    try:
        got: str | None = v.phone(text, region)
    except PhoneError as exc:
        got = f"error: {exc}"
    assert got == expected


@given(st.integers(-10**9, 10**9), st.sampled_from(["{}", "${}", " {} "]), st.sampled_from(["USD", "EUR", "JPY"]))
def test_plain_amounts_read_as_the_money_parser_reads_them(cents, shape, currency):
    from loyalty_app.money import parse_money

    text = shape.format(f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}")
    assert v.money(text, currency) == parse_money(text, currency=currency)
