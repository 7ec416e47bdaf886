"""Loyalty cards: the card PDF shows shop and customer, its barcode scans back to the card number."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from loyalty_app.card_printing import customers_without_card, print_card, print_sheet
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
    number, pdf = print_card(shop, c.id)
    assert [k["number"] for k in shop.customers.cards(c.id)] == [number]
    assert validate_card_number(number) == number
    f = tmp_path / "card.pdf"
    f.write_bytes(pdf)
    text = pdf_text(f)
    assert "Test Olive Co" in text and "Ada Lovelace" in text
    assert scanned(f) == [number]
    size = subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True).stdout
    assert "242.646 x 153.071 pts" in size  # 85.6 × 54 mm
    again, _ = print_card(shop, c.id)
    assert again == number  # a reprint, not a new card


@needs_tools
def test_a_sheet_holds_ten_cards_a_page(shop, tmp_path):
    ids = [shop.customers.sign_up(f"+1415555{130 + i:04d}", name=f"Customer {i}").id for i in range(12)]
    pdf = print_sheet(shop, ids, page_size="A4")
    f = tmp_path / "sheet.pdf"
    f.write_bytes(pdf)
    pages = pdf_text(f).split("\f")
    assert sum(p.count("Test Olive Co") for p in pages[:1]) == 10
    assert sum(p.count("Test Olive Co") for p in pages[1:]) == 2
    numbers = {shop.customers.cards(i)[0]["number"] for i in ids}
    assert set(scanned(f, dpi=200)) == numbers


def test_new_cards_are_for_recent_sign_ups_without_one(shop):
    a = shop.customers.sign_up("+14155550141", name="A")
    b = shop.customers.sign_up("+14155550142", name="B")
    shop.customers.attach_card(a.id)
    assert customers_without_card(shop, 5) == [b.id]
    with pytest.raises(ValidationError):
        customers_without_card(shop, 0)
    with pytest.raises(ValidationError, match="no customers"):
        print_sheet(shop, [])


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
