"""At most three suggestions with reasons: cross-sell, up-sell, new products; never inactive, recent or in the basket."""

from __future__ import annotations

import pytest

from loyalty_app.shop import Shop
from tests.suggestions_helpers import buy, customer


@pytest.fixture
def paired(catalogue: Shop, owner) -> tuple[Shop, int]:
    """Six customers always buy basil oil with white balsamic; Ada has only ever bought the basil oil."""
    shop = catalogue
    for n in range(6):
        c = customer(shop, f"Pair {n}")
        buy(shop, c, 200 - n, "BAS250", "WB250")
        buy(shop, c, 100 - n, "BAS250", "WB250")
    for n in range(3):
        buy(shop, customer(shop, f"Lemon {n}"), 150 - n, "LEM250")
    ada = customer(shop, "Ada")
    buy(shop, ada, 20, "BAS250")
    return shop, ada


def test_a_pair_always_bought_together_is_suggested(paired: tuple[Shop, int]) -> None:
    shop, ada = paired
    [first, *_] = shop.suggestions.for_customer(ada)
    assert (first.sku, first.kind, first.reason) == ("WB250", "cross-sell", "often bought with Basil olive oil")
    [completion, *_] = shop.suggestions.complete_basket(["BAS250"])
    assert (completion.sku, completion.reason) == ("WB250", "often bought with Basil olive oil")
    assert "BAS250" not in [s.sku for s in shop.suggestions.complete_basket(["BAS250"], ada)]


def test_nothing_inactive_in_the_basket_or_bought_lately(paired: tuple[Shop, int], owner) -> None:
    shop, ada = paired
    assert "WB250" not in [s.sku for s in shop.suggestions.for_customer(ada, basket_skus=["WB250"])]
    assert "WB250" not in [s.sku for s in shop.suggestions.complete_basket(["BAS250", "WB250"], ada)]
    buy(shop, ada, 1, "WB250")  # yesterday
    assert "WB250" not in [s.sku for s in shop.suggestions.for_customer(ada)]
    bo = customer(shop, "Bo")
    buy(shop, bo, 20, "BAS250")
    shop.products.edit("WB250", active=False, actor=owner)
    assert "WB250" not in [s.sku for s in shop.suggestions.for_customer(bo)]
    assert "WB250" not in [s.sku for s in shop.suggestions.complete_basket(["BAS250"], bo)]


def test_at_most_three_each_with_a_reason(paired: tuple[Shop, int], owner) -> None:
    shop, ada = paired
    for n in range(8):
        shop.products.add(sku=f"X{n}", name=f"Extra {n}", price_cents=900, actor=owner)
        for m in range(3):
            buy(shop, customer(shop, f"X{n}-{m}"), 30 + m, "BAS250", f"X{n}")
    found = shop.suggestions.for_customer(ada)
    assert len(found) == 3 and all(s.reason for s in found)
    assert len(shop.suggestions.for_customer(ada, limit=1)) == 1


@pytest.fixture
def sizes(catalogue: Shop, owner) -> Shop:
    shop = catalogue
    shop.products.add(sku="WB500", name="White balsamic 500 ml", price_cents=2000, family="White balsamic",
                      size="500 ml", category="Balsamic", refill_days=120, actor=owner)  # 4.0 c/ml vs 4.8 c/ml
    shop.products.add(sku="LEM500", name="Lemon olive oil 500 ml", price_cents=3100, family="Lemon olive oil",
                      size="500 ml", category="Infused oils", actor=owner)  # 6.2 c/ml vs 6.0 c/ml: dearer
    return shop


def test_a_cheaper_per_unit_bigger_size_is_suggested_a_dearer_one_is_not(sizes: Shop) -> None:
    shop = sizes
    ada = customer(shop, "Ada")
    for days_ago in (130, 70, 10):
        buy(shop, ada, days_ago, "WB250", "LEM250")
    found = shop.suggestions.for_customer(ada)
    upsells = [(s.sku, s.reason) for s in found if s.kind == "up-sell"]
    assert upsells == [("WB500", "500 ml saves $0.80 per 100 ml")]
    assert "LEM500" not in [s.sku for s in found]


def test_no_upsell_from_a_single_purchase(sizes: Shop) -> None:
    shop = sizes
    ada = customer(shop, "Ada")
    buy(shop, ada, 40, "WB250")
    assert "WB500" not in [s.sku for s in shop.suggestions.for_customer(ada)]


def test_a_refill_that_is_due_comes_first_with_its_reason(catalogue: Shop) -> None:
    shop = catalogue
    ada = customer(shop, "Ada")
    for days_ago in (169, 127, 85, 43):
        buy(shop, ada, days_ago, "WB250")
    [first, *_] = shop.suggestions.for_customer(ada)
    assert (first.sku, first.kind) == ("WB250", "refill")
    assert first.reason == "buys White balsamic every ~6 weeks; last time 6 weeks ago"


def test_new_product_audience_and_counter_offer(paired: tuple[Shop, int], owner) -> None:
    shop, ada = paired
    balsamic_only = customer(shop, "Bal")
    buy(shop, balsamic_only, 30, "WB250")
    combo = shop.products.add(sku="BASSDT250", name="Basil & sun-dried tomato olive oil 250 ml", price_cents=1600,
                              family="Basil & sun-dried tomato olive oil", size="250 ml", category="Infused oils",
                              tags="basil,tomato,infused", actor=owner)
    audience = shop.suggestions.new_product_audience(combo.id)
    by_id = {m.customer_id: m for m in audience}
    assert balsamic_only not in by_id
    assert by_id[ada].reason == "loves basil (tag)"
    lemon_fans = [m for m in audience if m.reason == "loves infused (tag)"]
    assert len(lemon_fans) == 3 and all(m.score < by_id[ada].score for m in lemon_fans)
    assert [m.score for m in audience] == sorted((m.score for m in audience), reverse=True)
    offered = {s.sku: s for s in shop.suggestions.for_customer(ada)}
    assert offered["BASSDT250"].kind == "new" and "basil" in offered["BASSDT250"].reason


def test_lookup_profile_carries_refill_due_and_suggestions(paired: tuple[Shop, int], cli) -> None:
    shop, ada = paired
    for days_ago in (80, 50):
        buy(shop, ada, days_ago, "LEM250")
    shop.close()
    profile = cli("lookup", "Ada", "--json").json()  # the command line runs on the real clock
    assert [(r["sku"], r["due_on"]) for r in profile["refill_due"]] == [("LEM250", "2026-10-13")]
    assert profile["refill_due"][0]["days_overdue"] >= 20
    assert set(profile["refill_due"][0]) >= {"sku", "name", "due_on", "days_overdue"}
    assert 1 <= len(profile["suggestions"]) <= 3
    assert all(set(s) >= {"sku", "name", "kind", "reason"} for s in profile["suggestions"])
    assert [(s["sku"], s["kind"]) for s in profile["suggestions"][:2]] == [("LEM250", "refill"), ("WB250", "cross-sell")]


def test_a_failing_suggestion_never_blocks_the_lookup(paired: tuple[Shop, int], monkeypatch, caplog) -> None:
    shop, ada = paired

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("statistics table damaged")

    monkeypatch.setattr(shop.suggestions, "counter", broken)
    profile = shop.lookup.profile(ada)
    assert profile.name == "Ada" and profile.refill_due == () and profile.suggestions == ()
    assert "statistics table damaged" in caplog.text
