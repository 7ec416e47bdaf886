"""The day's counter hints prepared ahead: the profile reads the same refill dates and suggestions it would
compute, and computes them again for a customer, a catalogue, statistics or a day they no longer answer for."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from loyalty_app import i18n, jobs
from loyalty_app.clock import FixedClock
from loyalty_app.lookup import CounterHints
from loyalty_app.shop import Shop, open_shop
from tests.suggestions_helpers import buy, customer


@pytest.fixture
def paired(catalogue: Shop) -> tuple[Shop, int]:
    """Six customers always buy basil oil with white balsamic; Ada buys basil oil every month or so."""
    shop = catalogue
    for n in range(6):
        c = customer(shop, f"Pair {n}")
        buy(shop, c, 200 - n, "BAS250", "WB250")
        buy(shop, c, 100 - n, "BAS250", "WB250")
    ada = customer(shop, "Ada")
    for days_ago in (100, 70, 40):
        buy(shop, ada, days_ago, "BAS250")
    shop.suggestions.rebuild()
    return shop, ada


def ranked(shop: Shop) -> list[int]:
    """Counts the customers whose hints the counter ranks on the spot from now on."""
    calls: list[int] = []
    enrichers = list(shop.lookup.enrichers)

    def counted(enrich: Callable[[int], CounterHints]) -> Callable[[int], CounterHints]:
        def run(customer_id: int) -> CounterHints:
            calls.append(customer_id)
            return enrich(customer_id)
        return run

    shop.lookup.enrichers[:] = [counted(e) for e in enrichers]
    return calls


def test_the_counter_reads_the_prepared_hints_it_would_have_computed(paired: tuple[Shop, int]) -> None:
    shop, ada = paired
    live = shop.lookup.profile(ada, history_limit=25)
    assert "WB250" in [s.sku for s in live.suggestions] and [r.sku for r in live.refill_due] == ["BAS250"]
    assert shop.lookup.prepare_hints() == 7
    assert shop.lookup.prepare_hints() == 0  # the day's are there already
    calls = ranked(shop)
    assert shop.lookup.profile(ada, history_limit=25) == live
    assert calls == []


def test_a_sale_makes_the_counter_rank_that_customer_anew(paired: tuple[Shop, int]) -> None:
    shop, ada = paired
    shop.lookup.prepare_hints()
    calls = ranked(shop)
    buy(shop, ada, 1, "WB250")  # yesterday: not suggested again so soon
    assert "WB250" not in [s.sku for s in shop.lookup.profile(ada).suggestions]
    assert calls == [ada]
    bo = customer(shop, "Bo")
    assert shop.lookup.profile(bo).suggestions == shop.lookup.hints(bo).suggestions


def test_a_product_changed_is_shown_as_it_is_now(paired: tuple[Shop, int], owner, clock: FixedClock) -> None:
    shop, ada = paired
    shop.lookup.prepare_hints()
    clock.advance(minutes=5)
    shop.products.edit("WB250", name="White balsamic, aged", actor=owner)
    calls = ranked(shop)
    assert "White balsamic, aged" in [s.name for s in shop.lookup.profile(ada).suggestions]
    assert calls == [ada]


def test_a_new_day_or_a_rebuild_ranks_anew(paired: tuple[Shop, int], clock: FixedClock) -> None:
    shop, ada = paired
    shop.lookup.prepare_hints()
    calls = ranked(shop)
    shop.lookup.profile(ada)
    assert calls == []
    clock.advance(days=1)
    tomorrow = shop.lookup.profile(ada)
    assert calls == [ada]
    shop.lookup.prepare_hints()
    shop.suggestions.rebuild()
    assert shop.lookup.profile(ada) == tomorrow
    assert calls == [ada, *range(1, 8), ada]  # everyone prepared again, then Ada ranked again after the rebuild


def test_a_change_while_the_hints_are_ranked_is_not_stored_over(paired: tuple[Shop, int]) -> None:
    shop, ada = paired
    enrich = shop.lookup.enrichers[0]

    def sale_meanwhile(customer_id: int) -> CounterHints:
        hints = enrich(customer_id)
        if customer_id == ada:
            buy(shop, ada, 1, "WB250")  # after Ada's history was read for her hints
        return hints

    shop.lookup.enrichers[:] = [sale_meanwhile]
    shop.lookup.prepare_hints()
    shop.lookup.enrichers[:] = [enrich]
    assert "WB250" not in [s.sku for s in shop.lookup.profile(ada).suggestions]


def test_the_start_up_job_prepares_the_day_for_the_counter(paired: tuple[Shop, int], db_path) -> None:
    _shop, ada = paired
    assert jobs.startup(db_path).problem is None
    today = open_shop(db_path)  # the real clock, as the start-up job's
    try:
        calls = ranked(today)
        assert "WB250" in [s.sku for s in today.lookup.profile(ada).suggestions]
        assert calls == []
    finally:
        today.close()


def test_the_counter_speaking_another_language_ranks_anew_in_it(paired: tuple[Shop, int]) -> None:
    shop, ada = paired
    shop.lookup.prepare_hints()
    i18n.activate("de", "US")  # what the window does at start in a shop set to German
    try:
        calls = ranked(shop)
        shop.lookup.profile(ada)
        assert calls == [ada]  # the reasons are written in the language in use (once they are translated)
    finally:
        i18n.activate("en", "US")
