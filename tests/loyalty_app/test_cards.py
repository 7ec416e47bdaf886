"""Loyalty cards: the card PDF shows shop and customer, its barcode scans back to the card number."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from loyalty_app.cards import validate_card_number
from loyalty_app.errors import ValidationError

needs_tools = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("zbarimg") is None,
                                 reason="needs poppler-utils and zbar-tools")


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def scanned(pdf: Path, dpi: int = 300) -> list[str]:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(pdf.with_suffix(""))], check=True)
    codes = []
    for png in sorted(pdf.parent.glob(pdf.stem + "-*.png")):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout
        codes += out.split()
    return codes


@needs_tools
def test_printing_a_card_for_a_customer_without_one_issues_it(shop, tmp_path):
    c = shop.customers.sign_up("+14155550121", name="Ada Lovelace")
    assert shop.customers.cards(c.id) == []
    number, pdf = shop.cards.print_card(c.id)
    assert [k.number for k in shop.customers.cards(c.id)] == [number]
    assert validate_card_number(number) == number
    f = tmp_path / "card.pdf"
    f.write_bytes(pdf)
    text = pdf_text(f)
    assert "Test Olive Co" in text and "Ada Lovelace" in text
    assert scanned(f) == [number]
    size = subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True).stdout
    assert "242.646 x 153.071 pts" in size  # 85.6 × 54 mm
    again, _ = shop.cards.print_card(c.id)
    assert again == number  # a reprint, not a new card


@needs_tools
def test_a_sheet_holds_ten_cards_a_page(shop, tmp_path):
    ids = [shop.customers.sign_up(f"+1415555{130 + i:04d}", name=f"Customer {i}").id for i in range(12)]
    pdf = shop.cards.print_sheet(ids, page_size="A4")
    f = tmp_path / "sheet.pdf"
    f.write_bytes(pdf)
    pages = pdf_text(f).split("\f")
    assert sum(p.count("Test Olive Co") for p in pages[:1]) == 10
    assert sum(p.count("Test Olive Co") for p in pages[1:]) == 2
    numbers = {shop.customers.cards(i)[0].number for i in ids}
    assert set(scanned(f, dpi=200)) == numbers


def test_new_cards_are_for_recent_sign_ups_without_one(shop):
    a = shop.customers.sign_up("+14155550141", name="A")
    b = shop.customers.sign_up("+14155550142", name="B")
    shop.customers.attach_card(a.id)
    assert shop.cards.customers_without_card(5) == [b.id]
    with pytest.raises(ValidationError):
        shop.cards.customers_without_card(0)
    with pytest.raises(ValidationError, match="no customers"):
        shop.cards.print_sheet([])


def test_card_commands(cli, shop, tmp_path):
    shop.customers.sign_up("+14155550151", name="Ada")
    shop.customers.sign_up("+14155550152", name="Bob")
    r = cli("card", "print", "--customer", "(415) 555-0151", "--pdf", str(tmp_path / "a.pdf"))
    assert r.code == 0, r.err
    assert "for Ada written to" in r.out and (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    r = cli("card", "sheet", "--new", "5", "--pdf", str(tmp_path / "s.pdf"))
    assert r.code == 0 and r.out.startswith("1 card on 1 page")  # only Bob had no card
    r = cli("card", "sheet", "--customers", "Ada,Bob", "--page", "A4", "--pdf", str(tmp_path / "s2.pdf"))
    assert r.code == 0 and r.out.startswith("2 cards on 1 page")
    r = cli("card", "sheet", "--new", "5", "--pdf", str(tmp_path / "s3.pdf"))
    assert r.code == 1 and "every customer already has a card" in r.err


# -- card numbers: check digit, attaching, lost cards ---------------------------------------------------------

def test_new_card_numbers_carry_a_valid_check_digit():
    from loyalty_app.cards import ean_check_digit, new_card_number

    for n in (0, 1, 123456789, 9999999999):
        number = new_card_number(n)
        assert len(number) == 13 and number.startswith("29")
        assert validate_card_number(number) == number
        assert number[-1] == ean_check_digit(number[:-1])


def _mistyped(number: str) -> list[str]:
    """Every single-digit slip of the number, and every swap of two neighbouring different digits."""
    out = [number[:i] + d + number[i + 1:] for i in range(13) for d in "0123456789" if d != number[i]]
    out += [number[:i] + number[i + 1] + number[i] + number[i + 2:] for i in range(12)
            if number[i] != number[i + 1] and abs(int(number[i]) - int(number[i + 1])) != 5]
    return out


def test_a_mistyped_card_number_is_rejected():
    from loyalty_app.cards import CardError, new_card_number

    number = new_card_number(3141592653)
    for wrong in _mistyped(number):
        with pytest.raises(CardError, match="check digit"):
            validate_card_number(wrong)
    with pytest.raises(CardError, match="13 digits"):
        validate_card_number(number[:-1])
    with pytest.raises(CardError, match="only digits"):
        validate_card_number(number[:-1] + "X")
    assert validate_card_number(" " + number[:4] + " " + number[4:] + " ") == number


def test_attaching_a_mistyped_card_changes_nothing(shop):
    from loyalty_app.cards import CardError, new_card_number
    from tests.core_helpers import fingerprint

    c = shop.customers.sign_up("+14155550161", name="Ada")
    good = new_card_number(42)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    before = fingerprint(shop)
    with pytest.raises(CardError, match="check digit"):
        shop.customers.attach_card(c.id, bad)
    with pytest.raises(CardError, match="check digit"):
        shop.customers.sign_up("+14155550162", card=bad)
    with pytest.raises(CardError):
        shop.lookup.find(bad)
    assert fingerprint(shop) == before


def test_a_card_finds_its_customer_until_reported_lost(shop):
    from loyalty_app.cards import CardError, new_card_number
    from loyalty_app.errors import Conflict, NotFound

    c = shop.customers.sign_up("+14155550171", name="Ada")
    number = shop.customers.attach_card(c.id)
    assert shop.lookup.find(number).kind == "card"
    assert shop.lookup.find_one(number).id == c.id
    other = shop.customers.sign_up("+14155550172", name="Bob")
    with pytest.raises(Conflict, match="already issued"):
        shop.customers.attach_card(other.id, number)
    shop.customers.report_card_lost(number)
    with pytest.raises(CardError, match="reported lost"):
        shop.lookup.find_one(number)
    assert shop.customers.summary(shop.customers.get(c.id)).cards == ()  # lost cards are not shown as live
    replacement = shop.customers.attach_card(c.id)
    assert replacement != number and shop.lookup.find_one(replacement).id == c.id
    with pytest.raises(NotFound):
        shop.customers.report_card_lost(next(n for n in (new_card_number(7), new_card_number(8)) if n != number))
