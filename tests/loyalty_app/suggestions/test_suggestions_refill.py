"""Refill due dates from hand-made histories with known answers."""

from __future__ import annotations

from datetime import date, timedelta

from loyalty_app.shop import Shop
from tests.suggestions_helpers import buy, customer

TODAY = date(2026, 11, 2)  # the test clock's day in Los Angeles


def test_a_customer_who_buys_every_30_days_is_due_on_day_30(catalogue: Shop) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    for days_ago in (120, 90, 60, 30):
        buy(shop, ada, days_ago, "LEM250")
    [due] = shop.suggestions.refill_due(ada)
    assert (due.sku, due.due_on, due.days_overdue, due.status) == ("LEM250", TODAY, 0, "due")
    assert due.interval_days == 30 and due.basis == "own rhythm" and due.last_bought == TODAY - timedelta(30)
    assert due.reason == "buys Lemon olive oil every ~4 weeks; last time 4 weeks ago"


def test_a_steady_rhythm_beats_the_catalogue_interval(catalogue: Shop) -> None:
    shop = catalogue  # Basil 250 ml says 45 days in the catalogue, but this customer keeps to 30
    ada = customer(shop, "Ada")
    for days_ago in (120, 90, 60, 30):
        buy(shop, ada, days_ago, "BAS250")
    [due] = shop.suggestions.refill_due(ada)
    assert abs(due.days_overdue) <= 3 and due.basis == "own rhythm"  # 30 days, not 45


def test_one_purchase_never_claims_a_date(catalogue: Shop) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    buy(shop, ada, 50, "BAS250", "WB250")
    assert shop.suggestions.refill_due(ada) == []
    assert shop.lookup.profile(ada).refill_due == ()


def test_two_purchases_on_one_day_count_once(catalogue: Shop) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    buy(shop, ada, 60, "LEM250")
    buy(shop, ada, 60.01, "LEM250")  # came back for a second bottle the same day
    buy(shop, ada, 30, "LEM250")
    [due] = shop.suggestions.refill_due(ada)
    # one stock-up of two bottles, then 30 days: a bottle lasts her 15 days (no zero-day interval)
    assert due.purchases == 2 and due.days_overdue == 15 and due.status == "overdue"


def test_a_bigger_bottle_lasts_longer(catalogue: Shop) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    for days_ago in (100, 70, 40):
        buy(shop, ada, days_ago, "BAS250")
    buy(shop, ada, 10, "BAS500")  # 500 ml at her 250-ml-per-30-days pace lasts 60 days
    [due] = shop.suggestions.refill_due(ada)
    assert due.sku == "BAS500" and due.family == "Basil olive oil"
    assert abs(due.due_on - (TODAY + timedelta(days=50))) <= timedelta(days=3)  # not in 20 days


def test_two_bottles_last_twice_as_long(catalogue: Shop) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    for days_ago in (100, 70, 40):
        buy(shop, ada, days_ago, "LEM250")
    buy(shop, ada, 10, ("LEM250", 2))
    [due] = shop.suggestions.refill_due(ada)
    assert abs(due.days_overdue - (-50)) <= 1


def test_one_long_gap_does_not_drag_the_rhythm(catalogue: Shop) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    for days_ago in (420, 390, 360, 60, 30):  # a long break (travelling), then back to monthly
        buy(shop, ada, days_ago, "LEM250")
    [due] = shop.suggestions.refill_due(ada)
    assert due.interval_days < 45  # the plain mean interval would be ~98 days


def test_statuses_soon_overdue_and_most_due_first(catalogue: Shop) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    for days_ago in (85, 55, 25):  # lemon due in 5 days
        buy(shop, ada, days_ago, "LEM250")
    for days_ago in (140, 110, 80, 50):  # white balsamic due 20 days ago
        buy(shop, ada, days_ago, "WB250")
    due = shop.suggestions.refill_due(ada)
    assert [(d.sku, d.status) for d in due] == [("WB250", "overdue"), ("LEM250", "soon")]
    assert due[0].days_overdue > 0 > due[1].days_overdue


def test_a_rhythm_that_stopped_long_ago_is_not_due(catalogue: Shop) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    for days_ago in (700, 670, 640):
        buy(shop, ada, days_ago, "LEM250")
    assert shop.suggestions.refill_due(ada) == []


def test_a_new_sale_moves_the_date_without_a_rebuild(catalogue: Shop, owner) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    for days_ago in (90, 60, 30):
        buy(shop, ada, days_ago, "LEM250")
    shop.suggestions.rebuild()
    assert shop.suggestions.refill_due(ada)[0].status == "due"
    buy(shop, ada, 0, "LEM250")
    [due] = shop.suggestions.refill_due(ada)
    assert due.last_bought == TODAY and due.status == "later"


def test_due_customers_lists_who_needs_a_refill(catalogue: Shop) -> None:
    shop = catalogue
    ada, bo, cy = customer(shop, "Ada"), customer(shop, "Bo"), customer(shop, "Cy")
    for days_ago in (90, 60, 30):
        buy(shop, ada, days_ago, "LEM250")
    for days_ago in (70, 40, 10):
        buy(shop, bo, days_ago, "LEM250")
    buy(shop, cy, 40, "LEM250")
    assert list(shop.suggestions.due_customers()) == [ada]
    assert sorted(shop.suggestions.due_customers(within_days=20)) == [ada, bo]
