"""A German shop's report PDFs hold no English and no UTC: the expiry rule, the printed time, the emails report's
kinds and dates, and percentages with the locale's own space."""

from __future__ import annotations

from collections import namedtuple
from datetime import date, timedelta
from pathlib import Path

import pytest

from loyalty_app import i18n
from loyalty_app.reports.emails import sheet_from_results
from loyalty_app.reports.export import format_value, sheet_pdf
from loyalty_app.reports.model import ReportPeriod
from tests.conftest import OWNER_PIN
from tests.loyalty_app.test_languages import NBSP, _pdf_text, _shop

R = namedtuple("R", "title kind created_at sent recipients recipients_converted control control_converted "
                    "window_days")


@pytest.fixture
def german_shop(tmp_path: Path, clock):
    shop = _shop(tmp_path / "de.sqlite", clock, "DE", "EUR", "de")
    yield shop
    shop.close()


def test_percentages_keep_the_locale_s_space_and_one_decimal() -> None:
    i18n.activate("de", "DE")
    assert format_value("change", -278, "EUR") == f"-27,8{NBSP}%"
    assert format_value("percent", 425, "EUR") == f"42,5{NBSP}%"
    i18n.activate("fr", "FR")
    assert format_value("percent", 12345, "EUR") == f"1{NBSP}234,5{NBSP}%"
    i18n.activate("en", "US")
    assert format_value("change", 425, "USD") == "+42.5%"


def test_a_german_points_report_pdf_says_the_rule_and_the_shop_s_time_in_german(german_shop, tmp_path: Path,
                                                                                 clock) -> None:
    german_shop.ctx.actor = german_shop.staff.verify_owner(OWNER_PIN)
    today = german_shop.ctx.now().date()
    _data, sheet = german_shop.reports.run("points", german_shop.reports.period(
        str(today - timedelta(days=30)), str(today)))
    text = _pdf_text(tmp_path, sheet_pdf(sheet))
    assert "Punkte verfallen nie" in text and "never expire" not in text
    # The test clock says 2026-11-02 18:30 UTC: 19:30 in Berlin, written the German way.
    assert "gedruckt 02.11.2026 19:30" in text and "UTC" not in text


def test_the_emails_report_names_kinds_and_days_in_the_shop_s_language() -> None:
    from zoneinfo import ZoneInfo

    i18n.activate("de", "DE")
    results = [R("Feigen-Balsamico", "announce", "2026-10-05T23:30:00Z", 200, 200, 30, 50, 4, 30),
               R("Refill reminders", "refill", "2026-10-20T17:00:00Z", 80, 80, 20, 0, 0, 30)]
    period = ReportPeriod(date(2026, 10, 1), date(2026, 10, 31))
    sheet = sheet_from_results(results, "Ölmühle", "EUR", period, "2026-11-02T18:30:00Z",
                               "2026-09-30T22:00:00Z", "2026-10-31T23:00:00Z", ZoneInfo("Europe/Berlin"))
    table = sheet.tables[0]
    shown = [[format_value(c.kind, v, "EUR") for c, v in zip(table.columns, row, strict=True)][:3]
             for row in table.rows]
    # 23:30 UTC on the 5th is already the 6th in Berlin.
    assert shown == [["Feigen-Balsamico", "neues Produkt", "06.10.2026"],
                     ["Refill reminders", "Nachfüll-Erinnerung", "20.10.2026"]]
