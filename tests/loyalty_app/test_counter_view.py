"""The counter's texts of a customer, as the cashier reads them on Enter: name, points and their worth, the last
visit, refills due, notes and tags, in the shop's own language and money."""

from __future__ import annotations

from pathlib import Path

from loyalty_app.counter_view import CounterView, counter_view
from loyalty_app.sales import SaleItem
from loyalty_app.shop import Shop
from tests.loyalty_app.test_languages import NBSP, _shop
from tests.suggestions_helpers import buy, customer


def view_of(shop: Shop, customer_id: int) -> CounterView:
    return counter_view(shop.lookup.counter_profile(customer_id, history_limit=25), shop.ctx)


def test_a_regular_with_an_email_reads_name_points_worth_and_last_visit(catalogue: Shop, clock) -> None:
    ada = catalogue.customers.sign_up(phone="+14155550132", name="Ada", email="ada@example.com",
                                      email_consent=True)
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2), SaleItem("WB250", 1)])
    clock.advance(days=3)
    catalogue.notes.save(ada.id, "prefers the unfiltered oil", "vip, nut allergy")
    view = view_of(catalogue, ada.id)
    assert view.name == "Ada" and view.sale_name == "Ada"
    assert view.balance == "41 points"  # $41.00 paid
    assert view.worth == "worth $2.05"  # 100 points buy $5.00 off
    assert view.details.startswith("(415) 555-0132") and view.details.endswith("last visit 3 days ago")
    assert "ada@example.com" not in view.details  # the counter does not show the email to the queue
    assert view.last_basket == "Last time: Basil olive oil 250 ml ×2, White balsamic 250 ml ×1"
    assert (view.tags, view.notes) == ("nut allergy, vip", "prefers the unfiltered oil")  # sorted


def test_a_new_customer_without_email_or_name_has_zero_points_and_no_purchases(catalogue: Shop) -> None:
    bob = catalogue.customers.sign_up(phone="+14155550199")
    view = view_of(catalogue, bob.id)
    assert view.name == "(415) 555-0199" and view.sale_name == "member"
    assert (view.balance, view.worth) == ("0 points", "")
    assert view.details.endswith("last visit never")
    assert view.last_basket == "No purchases yet."
    assert (view.refills, view.suggestions, view.tags, view.notes) == ((), (), "", "")


def test_points_worth_something_say_how_much(catalogue: Shop) -> None:
    ada = catalogue.customers.sign_up(phone="+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS500", 5)])  # $125.00: 125 points
    view = view_of(catalogue, ada.id)
    assert (view.balance, view.worth) == ("125 points", "worth $6.25")
    assert view.program.min_redeem_points == 100  # the sale panel redeems by the program the profile was read with


def test_an_overdue_refill_is_listed_with_its_reason(catalogue: Shop) -> None:
    ada = customer(catalogue, "Ada")
    for days_ago in (100, 70, 40):
        buy(catalogue, ada, days_ago, "BAS250")
    catalogue.suggestions.rebuild()
    view = view_of(catalogue, ada)
    assert [r.name for r in view.refills] == ["Basil olive oil 250 ml"]
    assert view.refills[0].reason == "buys Basil olive oil every ~5 weeks; last time 6 weeks ago"


def test_a_german_shop_says_points_and_their_worth_in_german_with_euros(tmp_path: Path, clock) -> None:
    shop = _shop(tmp_path / "de.sqlite", clock, "DE", "EUR", "de")
    try:
        ada = shop.customers.sign_up("+4915112345678", name="Ada")
        shop.sales.record_sale(ada.id, [SaleItem("GIFT", 1)])
        view = view_of(shop, ada.id)
        assert view.balance == "1.149 Punkte"
        assert view.worth == f"im Wert von 57,45{NBSP}€"  # 1.149 Punkte, 100 for 5,00 €
        assert view.details.endswith("letzter Besuch heute")
    finally:
        shop.close()
