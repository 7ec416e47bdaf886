"""Hostile conditions: a file deleted or replaced under the app, a full disk, a corrupted file, garbage input.
Each ends in one clear message, nothing half-written, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_app.cards import CardError, validate_card_number
from loyalty_app.clean_text import one_line
from loyalty_app.errors import LoyaltyError, ShopUnavailable, ValidationError
from loyalty_app.money import parse_money
from loyalty_app.phones import PhoneError, normalize_phone
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from tests.crash_harness import ROOT

NASTY = st.one_of(st.text(max_size=60), st.sampled_from([
    "<script>alert(1)</script>", "'; DROP TABLE customers; --", "{{ 7*7 }}", "{% raw %}", "\x00\x07\x1b[2J",
    "=HYPERLINK(\"http://x\")", "+1 (415) 555-0132 ext. 9", "ＡＢＣ１２３", "٠١٢٣٤٥٦٧٨٩"]))


def test_a_database_deleted_while_open_refuses_to_write(catalogue) -> None:
    os.remove(catalogue.path)
    with pytest.raises(ShopUnavailable, match="deleted, moved or replaced"):
        catalogue.customers.sign_up("+14155550132")


def test_a_database_replaced_while_open_refuses_to_write(catalogue, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    open_shop(other).close()
    os.replace(other, catalogue.path)
    with pytest.raises(ShopUnavailable, match="deleted, moved or replaced"):
        catalogue.sales.record_sale(None, [SaleItem("BAS250", 1)])


def test_a_full_disk_is_one_clear_line_and_nothing_is_half_written(catalogue, tmp_path: Path) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    db = catalogue.path
    catalogue.close()
    script = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (40960, 40960));"
        "from loyalty_app.cli.main import main; sys.exit(main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", script, "--db", str(db), "sale", "--customer", "4155550132",
                             "--item", "BAS250:3"], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1, result.stderr
    # A file-size limit reaches SQLite as a write error, a really full disk as "full": both are one clear line.
    assert "nothing was saved" in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    shop = open_shop(db)
    try:
        assert shop.lookup.profile(ada.id).history == ()
        assert all(not problems for problems in shop.check().values())
    finally:
        shop.close()


def test_a_corrupted_file_at_start_is_refused_and_left_as_it_was(catalogue, tmp_path: Path) -> None:
    catalogue.close()
    broken = tmp_path / "broken.sqlite"
    shutil.copyfile(catalogue.path, broken)
    data = bytearray(broken.read_bytes())
    data[100:4096] = os.urandom(3996)  # the schema page
    broken.write_bytes(bytes(data))
    with pytest.raises(ShopUnavailable):
        open_shop(broken)
    assert broken.read_bytes() == bytes(data)


@settings(max_examples=300, deadline=None)
@given(NASTY)
def test_phone_parsing_answers_e164_or_a_reason(text: str) -> None:
    try:
        e164 = normalize_phone(text, "US")
    except PhoneError as exc:
        assert str(exc)
    else:
        assert e164.startswith("+") and e164[1:].isdigit()


@settings(max_examples=300, deadline=None)
@given(st.one_of(NASTY, st.text(alphabet="0123456789 -", max_size=20)))
def test_card_numbers_are_valid_or_refused(text: str) -> None:
    try:
        number = validate_card_number(text)
    except CardError as exc:
        assert str(exc)
    else:
        assert len(number) == 13 and number.isdigit()


@settings(max_examples=300, deadline=None)
@given(NASTY)
def test_money_is_cents_or_a_reason(text: str) -> None:
    try:
        cents = parse_money(text)
    except ValidationError as exc:
        assert str(exc)
    else:
        assert isinstance(cents, int)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NASTY, notes=st.text(max_size=2000))
def test_hostile_names_and_notes_are_stored_as_text(catalogue, name: str, notes: str) -> None:
    try:
        c = catalogue.customers.sign_up("+14155550132", name=name)
    except LoyaltyError:
        return
    try:
        catalogue.customers.edit(c.id, notes=notes)
        stored = catalogue.customers.get(c.id).name
        assert stored == (one_line(name) or None)
        assert not any(unicodedata.category(ch) == "Cc" for ch in stored or "")  # no NUL, escape, C1
        assert catalogue.lookup.find("+14155550132").matches[0].id == c.id
    finally:
        catalogue.customers.edit(c.id, name="")
        catalogue.customers.remove_phone(c.id, "+14155550132")


def test_a_hundred_kilobyte_name_gets_a_clear_error(catalogue) -> None:
    with pytest.raises(ValidationError, match="at most 200 characters"):
        catalogue.customers.sign_up("+14155550132", name="x" * 100_000)


WORDS = ["lookup", "customer", "add", "edit", "list", "product", "sale", "return", "points", "adjust", "history",
         "check", "--json", "--phone", "--item", "--redeem", "--customer", "--purchase", "--delta", "--reason",
         "BAS250:2", "BAS250:-1", "NOPE", "4155550132", "12", "-5", "999999999999", "", "--", "<b>", "ädä"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=7))
def test_any_command_line_ends_in_a_result_or_one_clear_line(cli, catalogue, argv: list[str]) -> None:
    result = cli(*argv)
    assert result.code in (0, 1, 2)
    assert "Traceback" not in result.err
