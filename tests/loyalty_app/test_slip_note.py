"""The slip's line for next time: the refill most due, else a suggestion, never what was just bought."""

from __future__ import annotations

import subprocess
from datetime import timedelta

from loyalty_app.sales import SaleItem
from loyalty_app.slips import slip_pdf, slip_text


def test_the_slip_reminds_of_the_refill_that_is_due(catalogue, clock, tmp_path) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    for days_ago in (150, 100):  # buys basil oil every ~50 days; the next one was due 50 days ago
        catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)], occurred_at=clock.now() - timedelta(days=days_ago))
    today = catalogue.sales.record_sale(ada.id, [SaleItem("WB250", 1)])
    assert "Due for a refill: Basil olive oil 250 ml" in slip_text(catalogue, today.purchase_id)
    for paper in ("58mm", "Letter"):
        pdf = tmp_path / f"slip-{paper}.pdf"
        pdf.write_bytes(slip_pdf(catalogue, today.purchase_id, paper))
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Due for a refill" in text and "Balance now" in text


def test_the_slip_never_suggests_what_was_just_bought(catalogue, clock) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    for days_ago in (150, 100):
        catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)], occurred_at=clock.now() - timedelta(days=days_ago))
    refill = catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
    text = slip_text(catalogue, refill.purchase_id)
    assert "Due for a refill: Basil olive oil 250 ml" not in text


def test_an_anonymous_slip_has_no_points_and_no_next_time_line(catalogue) -> None:
    sale = catalogue.sales.record_sale(None, [SaleItem("WB250", 1)])
    text = slip_text(catalogue, sale.purchase_id)
    assert "Points" not in text and "Due for a refill" not in text and "Next time" not in text
    assert "Total" in text and "$12.00" in text
