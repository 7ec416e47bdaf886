"""Who is due to refill, from the rhythms the statistics rebuild keeps: the refill report and the reminder list
agree with a fresh computation, and sales, returns, merges and erasures since the rebuild count at once."""

from __future__ import annotations

from loyalty_app.shop import Shop, open_shop
from tests.suggestions_helpers import buy, customer


def _report(shop: Shop, owner) -> tuple[int, list[tuple[str, int, int, int, int]]]:
    r = shop.reports.refill(actor=owner)
    return r.customers, [(x.sku, x.customers, x.overdue, x.this_week, x.next_week) for x in r.rows]


def _history(shop: Shop) -> dict[str, int]:
    ids = {n: customer(shop, n) for n in ("Ada", "Bo", "Cy", "Dee", "Eve")}
    for n in range(4):  # regulars who stopped coming ten months ago: lapsed, never due
        other = customer(shop, f"Other {n}")
        for days_ago in (400, 370, 340):
            buy(shop, other, days_ago + n, "LEM250")
    for days_ago in (120, 90, 60, 30):  # due today
        buy(shop, ids["Ada"], days_ago, "LEM250")
    for days_ago in (110, 80, 50, 20):  # due in 10 days
        ids["Bo's last"] = buy(shop, ids["Bo"], days_ago, "LEM250")
    for days_ago in (150, 120, 90, 60):  # 30 days overdue
        buy(shop, ids["Cy"], days_ago, "LEM250")
    buy(shop, ids["Dee"], 60, "LEM250")  # one purchase each: no rhythm, never due
    buy(shop, ids["Eve"], 30, "LEM250")
    return ids


def test_the_report_reads_the_same_answer_from_the_rebuilt_rhythms(catalogue: Shop, owner) -> None:
    shop = catalogue
    ids = _history(shop)
    computed = _report(shop, owner)
    assert computed == (3, [("LEM250", 3, 1, 1, 1)])
    assert sorted(shop.suggestions.due_customers(within_days=14)) == [ids["Ada"], ids["Bo"], ids["Cy"]]
    assert shop.suggestions.rebuild().refill_rhythms == 7  # the lapsed regulars are kept, and left out
    assert _report(shop, owner) == computed
    reopened = open_shop(shop.path, clock=shop.ctx.clock)  # another connection reads the stored rhythms
    try:
        assert _report(reopened, reopened.staff.verify_owner("1234")) == computed
        assert sorted(reopened.suggestions.due_customers(within_days=14)) == [ids["Ada"], ids["Bo"], ids["Cy"]]
    finally:
        reopened.close()


def test_sales_returns_merges_and_erasures_since_the_rebuild_count_at_once(catalogue: Shop, owner) -> None:
    shop = catalogue
    ids = _history(shop)
    shop.suggestions.rebuild()

    buy(shop, ids["Ada"], 0, "LEM250")  # refilled today: no longer due
    assert _report(shop, owner) == (2, [("LEM250", 2, 1, 0, 1)])

    shop.sales.return_items(ids["Bo's last"], actor=owner)  # Bo's last bottle came back: his rhythm ends 50 days ago
    assert _report(shop, owner) == (2, [("LEM250", 2, 2, 0, 0)])

    shop.customers.merge(ids["Eve"], ids["Dee"], actor=owner)  # one person: bought 60 and 30 days ago
    assert _report(shop, owner) == (3, [("LEM250", 3, 2, 1, 0)])
    assert ids["Dee"] not in shop.suggestions.due_customers(within_days=14)

    shop.privacy.erase_customer(ids["Cy"], actor=owner)
    assert _report(shop, owner) == (2, [("LEM250", 2, 1, 1, 0)])
    assert sorted(shop.suggestions.due_customers(within_days=14)) == [ids["Bo"], ids["Eve"]]

    shop.suggestions.rebuild()  # the rebuild agrees with what was caught up
    assert _report(shop, owner) == (2, [("LEM250", 2, 1, 1, 0)])


def test_a_deactivated_product_is_refilled_with_its_sibling_or_not_at_all(catalogue: Shop, owner) -> None:
    shop = catalogue
    ada, bo = customer(shop, "Ada"), customer(shop, "Bo")
    for days_ago in (120, 90, 60, 30):
        buy(shop, ada, days_ago, "BAS250")
        buy(shop, bo, days_ago, "LEM250")
    shop.suggestions.rebuild()
    shop.products.edit("BAS250", active=False, actor=owner)  # the 500 ml is still sold
    shop.products.edit("LEM250", active=False, actor=owner)  # nothing left to refill lemon with
    assert _report(shop, owner) == (1, [("BAS500", 1, 0, 1, 0)])


def test_many_changes_since_the_rebuild_ask_for_another(catalogue: Shop, monkeypatch) -> None:
    from loyalty_app.suggestions import service

    shop = catalogue
    monkeypatch.setattr(service, "REFILL_CHANGES_MAX", 2)
    ids = _history(shop)
    shop.suggestions.rebuild()
    assert shop.suggestions.status().refill_changes == 0
    for name in ("Ada", "Bo"):
        buy(shop, ids[name], 0, "LEM250")
    assert shop.suggestions.status().refill_changes == 2 and not shop.suggestions.status().stale
    buy(shop, ids["Cy"], 0, "LEM250")
    assert shop.suggestions.status().stale  # the app's start-up job rebuilds
    shop.suggestions.rebuild()
    assert shop.suggestions.status().refill_changes == 0 and not shop.suggestions.status().stale


def test_a_new_product_asks_for_a_rebuild_and_is_answered_meanwhile(catalogue: Shop, owner) -> None:
    shop = catalogue
    _history(shop)
    shop.suggestions.rebuild()
    assert not shop.suggestions.status().stale
    before = _report(shop, owner)
    shop.products.add(sku="LEM500", name="Lemon olive oil 500 ml", price_cents=2600, family="Lemon olive oil",
                      size="500 ml", actor=owner)
    assert shop.suggestions.status().stale  # the kept rhythms were computed for another catalogue
    assert _report(shop, owner) == before  # computed afresh meanwhile: the same answer
    shop.suggestions.rebuild()
    assert not shop.suggestions.status().stale
