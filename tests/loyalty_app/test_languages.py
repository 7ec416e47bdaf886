"""The shop's language and money: a German shop's slip, card, report and email read German with 1.149,00 €,
English stays the default, and the owner changes the language from the command line."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from loyalty_app import i18n
from loyalty_app.mail.compose import Letter, render
from loyalty_app.mail.settings import MailSettings
from loyalty_app.money import format_money
from loyalty_app.reports.export import sheet_pdf
from loyalty_app.sales import SaleItem
from loyalty_app.shop import Shop, open_shop
from loyalty_app.slips import slip_pdf, slip_text
from tests.conftest import OWNER_PIN

NBSP = "\u00a0"


def _shop(path: Path, clock, region: str, currency: str, language: str) -> Shop:
    shop = open_shop(path, clock=clock)
    shop.initialise(shop_name="Ölmühle", region=region, currency=currency, time_zone="Europe/Berlin",
                    owner_pin=OWNER_PIN, language=language)
    owner = shop.staff.verify_owner(OWNER_PIN)
    shop.products.add(sku="GIFT", name="Geschenkkorb Toskana", price_cents=114900, actor=owner)
    return shop


@pytest.fixture
def german_shop(tmp_path: Path, clock):
    shop = _shop(tmp_path / "de.sqlite", clock, "DE", "EUR", "de")
    yield shop
    shop.close()


def _pdf_text(tmp_path: Path, pdf: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(NBSP, " ")


def test_a_german_shops_slip_reads_german_with_euros_the_german_way(german_shop: Shop, tmp_path: Path,
                                                                   clock) -> None:
    ada = german_shop.customers.sign_up("+4915112345678", name="Ada")
    sale = german_shop.sales.record_sale(ada.id, [SaleItem("GIFT", 1)])
    text = _pdf_text(tmp_path, slip_pdf(german_shop, sale.purchase_id, "80mm"))
    assert "1.149,00 €" in text
    for word in ("Zwischensumme", "Summe", "Punkte", "Gesammelt", "Neuer Punktestand", "Vielen Dank!"):
        assert word in text
    assert "Subtotal" not in text and "$" not in text and "€1,149.00" not in text
    assert "1.149" in slip_text(german_shop, sale.purchase_id)  # the points earned, with a German thousands dot
    day = clock.now().astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{day:%d.%m.%Y} {day:%H:%M}" in text  # the date as Germans write it, not {day:%Y-%m-%d}


def test_english_stays_the_default_and_its_money_reads_as_before(shop: Shop) -> None:
    assert shop.ctx.language == "en"
    assert format_money(114900, "USD") == "$1,149.00"
    assert format_money(-350, "EUR") == "-€3.50"
    assert format_money(1149, "JPY") == "¥1,149"


def test_an_english_speaking_shop_in_germany_writes_money_the_german_way(tmp_path: Path, clock) -> None:
    shop = _shop(tmp_path / "en.sqlite", clock, "DE", "EUR", "en")
    try:
        sale = shop.sales.record_sale(None, [SaleItem("GIFT", 1)])
        text = slip_text(shop, sale.purchase_id)
        assert f"1.149,00{NBSP}€" in text and "Subtotal" in text and "Thank you!" in text
    finally:
        shop.close()


def test_french_and_spanish_money_and_dates(tmp_path: Path, clock) -> None:
    i18n.activate("fr", "FR")
    assert format_money(114900, "EUR") == f"1{NBSP}149,00{NBSP}€"  # no narrow space: PDF base fonts lack it
    assert i18n.format_date(date(2026, 12, 3)) == "3 déc. 2026"
    i18n.activate("es", "ES")
    assert format_money(114900, "EUR") == f"1.149,00{NBSP}€"
    assert i18n.format_tenths(425, percent=True, signed=True) == f"+42,5{NBSP}%"


def test_a_german_report_pdf_has_german_titles_columns_and_pages(german_shop: Shop, tmp_path: Path) -> None:
    german_shop.sales.record_sale(None, [SaleItem("GIFT", 2)])
    german_shop.ctx.actor = german_shop.staff.verify_owner(OWNER_PIN)
    today = german_shop.ctx.now().date()
    _data, sheet = german_shop.reports.run("popular", german_shop.reports.period(
        str(today - timedelta(days=1)), str(today)))
    text = _pdf_text(tmp_path, sheet_pdf(sheet))
    for word in ("Beliebte Artikel", "Verkaufte Stück", "Umsatz", "Bestseller", "Alle Filialen", "Seite 1 von 1"):
        assert word in text
    assert "2.298,00 €" in text


def test_a_french_shops_email_is_french(tmp_path: Path, clock) -> None:
    shop = _shop(tmp_path / "fr.sqlite", clock, "FR", "EUR", "fr")
    try:
        settings = MailSettings(host="smtp.example", port=587, security="starttls", user=None,
                                from_address="bonjour@huile.example", from_name="L'Huilerie",
                                postal_address="1 rue du Port; Marseille", unsubscribe_address="stop@huile.example",
                                cap_days=14, control_percent=10, results_days=30, refill_every_days=7,
                                imap_host=None, imap_port=993, imap_user=None)
        letter = Letter("refill", "ada@example.com", "Ada Lovelace", "tok123",
                        {"items": [{"name": "Huile au basilic", "last_bought": "2026-10-01"}]})
        subject, text, html = render(settings, letter)
    finally:
        shop.close()
    assert subject == "L'heure de recharger chez L'Huilerie ?"
    assert text.startswith("Bonjour Ada,")
    assert "C'est peut-être le moment de recharger :" in text and "dernier achat le 1 oct. 2026" in text
    assert 'avec l\'objet « unsubscribe tok123 »' in text  # the word the inbox reader looks for stays as it is
    assert '<html lang="fr">' in html and "Ne plus recevoir ces e-mails — rappels de recharge" in html and "Huile au basilic" in html


def test_the_owner_sets_the_language_from_the_command_line(cli, shop: Shop, monkeypatch) -> None:
    shop.close()
    assert cli("settings", "--language", "de").code == 1  # no owner signed in
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)
    done = cli("settings", "--language", "de", "--json")
    assert done.code == 0 and done.json()["language"] == "de" and done.json()["locale"] == "de_DE"
    bad = cli("settings", "--language", "xx")
    assert bad.code == 1 and bad.err.count("\n") == 1 and "invalid choice: 'xx'" in bad.err
    assert cli("settings", "--json").json()["language"] == "de"
    audit = cli("audit", "--json").json()
    assert any(a["action"] == "settings.language" for a in audit)


def test_a_language_the_app_does_not_ship_is_refused_and_nothing_is_saved(shop: Shop, owner) -> None:
    from loyalty_app.errors import ValidationError

    with pytest.raises(ValidationError, match="'it' is not a language of Loyalty Desk; choose one of en, de, fr, es"):
        shop.set_language("it", actor=owner)
    assert shop.ctx.language == "en" and "language" not in {k for k, v in shop.ctx.settings.items() if v == "it"}


def test_a_german_shops_counter_reads_its_refill_and_suggestion_reasons_in_german(german_shop: Shop,
                                                                                  clock) -> None:
    owner = german_shop.staff.verify_owner(OWNER_PIN)
    german_shop.products.add(sku="OEL500", name="Olivenöl 500 ml", price_cents=1290, actor=owner)
    ada = german_shop.customers.sign_up("+4915112345678", name="Ada")
    bea = german_shop.customers.sign_up("+4915112345679", name="Bea")
    german_shop.sales.record_sale(bea.id, [SaleItem("GIFT", 1)])
    for _visit in range(4):  # every two weeks, then a month without
        german_shop.sales.record_sale(ada.id, [SaleItem("OEL500", 1)])
        clock.advance(days=14)
    clock.advance(days=16)
    german_shop.suggestions.rebuild()
    [refill] = german_shop.suggestions.refill_due(ada.id)
    assert refill.reason == "kauft Olivenöl 500 ml etwa alle 2 Wochen; zuletzt 4 Wochen her", refill.reason
    offered = [s.reason for s in german_shop.suggestions.complete_basket(["OEL500"], ada.id)]
    assert offered == ["einer unserer Bestseller"], offered  # the gift basket, which nobody bought with oil
