"""A customer's history a page at a time (what the counter's table fetches as the cashier scrolls)."""

from __future__ import annotations

from loyalty_app.sales import SaleItem


def test_pages_of_a_history_hold_every_purchase_once_newest_first_even_at_the_same_second(catalogue, clock) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    bought = [catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)]).purchase_id for _ in range(3)]
    clock.advance(days=1)
    bought += [catalogue.sales.record_sale(ada.id, [SaleItem("WB250", 1), SaleItem("LEM250", 2)]).purchase_id
               for _ in range(2)]
    first = catalogue.lookup.profile(ada.id, history_limit=2).history
    pages = [first]
    while len(pages[-1]) == 2:
        pages.append(catalogue.lookup.history_page(ada.id, pages[-1][-1], 2))
    seen = [p.purchase_id for page in pages for p in page]
    assert seen == sorted(bought, reverse=True) == [p.purchase_id for p in catalogue.lookup.profile(ada.id).history]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [ln.sku for ln in first[0].lines] == ["WB250", "LEM250"]
    assert catalogue.lookup.history_page(ada.id, first[0], None) == catalogue.lookup.profile(ada.id).history[1:]
