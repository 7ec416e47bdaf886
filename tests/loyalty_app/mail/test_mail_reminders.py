"""Refill reminders: each due customer gets one email listing everything due, once per due cycle."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_app.mail import reminders
from loyalty_app.sales import SaleItem
from tests.mail_support import at, configure_mail, customer, text_part


def _setup(shop, owner, smtp):
    """Ada rebuys basil oil (~every 48 days) and white balsamic (~61 days): both are due by 2 November."""
    configure_mail(shop, owner, smtp.port)
    ada = customer(shop, 121, "Ada", "ada@example.com", buys=("BAS250",), when=at(2026, 7, 15))
    for sku, when in (("BAS250", at(2026, 9, 1)), ("WB250", at(2026, 6, 1)), ("WB250", at(2026, 8, 1))):
        shop.sales.record_sale(ada, [SaleItem(sku)], occurred_at=when)
    ben = customer(shop, 122, "Ben", "ben@example.com", buys=("BAS500",), when=at(2026, 9, 20))
    shop.sales.record_sale(ben, [SaleItem("BAS500")], occurred_at=at(2026, 10, 20))  # next due in December
    cy = customer(shop, 123, "Cy", "cy@example.com", consent=False, buys=("BAS250",), when=at(2026, 7, 15))
    shop.sales.record_sale(cy, [SaleItem("BAS250")], occurred_at=at(2026, 9, 1))
    return ada, ben


def test_one_email_lists_everything_due_and_a_second_run_sends_nothing(catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    ada, ben = _setup(shop, owner, smtp)
    plan = shop.mail.plan_refill()
    assert [(r.customer_id, r.status) for r in plan.rows] == [(ada, "mail")] and plan.not_contactable == 1
    first = shop.mail.send_refill(owner)
    shop.mail.deliver()
    assert len(first.queued) == 1
    [msg] = smtp.handler.messages
    text = text_part(msg)
    assert "Basil olive oil 250 ml" in text and "White balsamic 250 ml" in text
    assert msg["Subject"] == "Time for a refill at Test Olive Co?"
    second = shop.mail.send_refill(owner)
    assert second.queued == [] and second.already == [ada]
    assert len(smtp.handler.messages) == 1


def test_not_again_until_they_buy_or_the_next_cycle_comes(catalogue, owner, smtp, clock, memory_keyring):
    shop = catalogue
    ada, _ = _setup(shop, owner, smtp)
    shop.mail.send_refill(owner)
    clock.advance(days=1)
    shop.sales.record_sale(ada, [SaleItem("BAS250")])  # she came back for the basil, not the balsamic
    clock.advance(days=20)
    assert shop.mail.send_refill(owner).queued == []  # balsamic: same cycle; basil: not due yet
    [balsamic] = [d for d in shop.suggestions.due_customers()[ada] if d.sku == "WB250"]
    clock.set(at(*(balsamic.due_on + timedelta(days=balsamic.interval_days + 1)).timetuple()[:3]))
    again = shop.mail.send_refill(owner)
    shop.mail.deliver()
    assert len(again.queued) == 1
    last = smtp.handler.messages[-1]
    assert "White balsamic 250 ml" in text_part(last) and "Basil olive oil 250 ml" not in text_part(last)
    assert [r.status for r in shop.mail.outbox()] == ["sent", "sent"]


def test_the_owners_schedule_decides_when_a_run_is_due(catalogue, owner, smtp, clock, memory_keyring):
    shop = catalogue
    _setup(shop, owner, smtp)
    configure_mail(shop, owner, smtp.port, refill_every_days=7)
    assert shop.mail.refill_run_is_due()
    shop.mail.send_refill(owner)
    assert not shop.mail.refill_run_is_due()
    clock.advance(days=7)
    assert shop.mail.refill_run_is_due()
    configure_mail(shop, owner, smtp.port, refill_every_days=0)
    assert not shop.mail.refill_run_is_due()


@settings(max_examples=200, deadline=None)
@given(due=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
       interval=st.integers(min_value=1, max_value=400), later=st.integers(min_value=-400, max_value=2000))
def test_the_due_cycle_starts_on_the_due_date_and_moves_one_interval_at_a_time(due, interval, later):
    today = due + timedelta(days=later)
    start = reminders.cycle_start(due, interval, today)
    if today <= due:
        assert start == due
    else:
        assert due <= start <= today and (today - start).days < interval
        assert (start - due).days % interval == 0
