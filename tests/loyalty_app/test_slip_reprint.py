"""A reprinted slip tells the truth: what came back of the purchase, the refund, and today's balance named so."""

from __future__ import annotations

import subprocess
from datetime import timedelta

from loyalty_app.sales import SaleItem
from loyalty_app.slips import slip_pdf, slip_text


def test_a_reprint_after_a_return_shows_what_came_back_and_today_s_balance(catalogue, tmp_path) -> None:
    member = catalogue.customers.sign_up("+14155550132", name="Ada")
    sale = catalogue.sales.record_sale(member.id, [SaleItem("BAS250", 2), SaleItem("WB250", 1)])
    fresh = slip_text(catalogue, sale.purchase_id)
    assert "Balance now" in fresh and "returned" not in fresh and "Refunded" not in fresh
    catalogue.sales.return_items(sale.purchase_id, [("BAS250", 1)])
    text = slip_text(catalogue, sale.purchase_id)
    assert "2 x Basil olive oil 250 ml" in text and "1 x returned: Basil olive oil 250 ml" in text
    assert "Refunded" in text and "Balance today" in text and "Balance now" not in text
    pdf = tmp_path / "reprint.pdf"
    pdf.write_bytes(slip_pdf(catalogue, sale.purchase_id))
    printed = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "returned: Basil olive oil 250 ml" in printed and "Balance today" in printed


def test_a_slip_reprinted_on_a_later_day_names_the_balance_today_s(catalogue, clock) -> None:
    member = catalogue.customers.sign_up("+14155550132", name="Ada")
    old = catalogue.sales.record_sale(member.id, [SaleItem("WB250", 1)], occurred_at=clock.now() - timedelta(days=3))
    text = slip_text(catalogue, old.purchase_id)
    assert "Balance today" in text and "Balance now" not in text
