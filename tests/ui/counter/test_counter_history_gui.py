"""A regular with a long history at the counter: the newest purchases open at once, the rest come as the cashier
scrolls, and a search, a period or a sort still covers every purchase ever made."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loyalty_app.sales import SaleItem
from ui.counter.customer_panel import HISTORY_PAGE
from ui.counter.history_table_model import COL_AMOUNT, COL_DATE, COL_PRODUCT
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui

VISITS = 3 * HISTORY_PAGE + 5  # three pages and a bit


@pytest.fixture
def regular(catalogue, clock) -> str:
    """Ada: her first purchase, the lemon oil, then a basil oil or a white balsamic every week; the first day."""
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("LEM250", 1)])
    first_day = clock.now().astimezone(catalogue.ctx.zone).date().isoformat()
    for week in range(1, VISITS):
        clock.advance(days=7)
        catalogue.sales.record_sale(ada.id, [SaleItem("BAS250" if week % 2 else "WB250", 1)])
    return first_day


@pytest.fixture
def window(catalogue, qtbot):
    w = MainWindow(catalogue)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _open_ada(qtbot, window) -> None:
    qtbot.keyClicks(window.counter.lookup_input, "(415) 555-0132")
    qtbot.keyClick(window.counter.lookup_input, Qt.Key.Key_Return)
    QApplication.processEvents()  # whatever the table asks for once it is laid out
    assert window.counter.customer_panel.name_label.text() == "Ada"


def _column(view, column: int) -> list[str]:
    return [view.index(r, column).data() for r in range(view.rowCount())]


def test_a_long_history_opens_on_its_newest_purchases_and_scrolling_reaches_the_first(regular, window, qtbot,
                                                                                      clock) -> None:
    _open_ada(qtbot, window)
    panel = window.counter.customer_panel
    view, table = panel.history_filter, panel.history_table
    today = clock.now().astimezone(window.shop.ctx.zone).date().isoformat()
    assert view.rowCount() == HISTORY_PAGE  # the newest page only, not all of them
    assert _column(view, COL_DATE)[0] == today and "Lemon olive oil 250 ml" not in _column(view, COL_PRODUCT)
    bar = table.verticalScrollBar()

    def scrolled_to_the_first() -> bool:
        bar.setValue(bar.maximum())  # the cashier drags to the bottom; the table asks for the next page
        return view.rowCount() == VISITS

    qtbot.waitUntil(scrolled_to_the_first)
    assert _column(view, COL_PRODUCT)[-1] == "Lemon olive oil 250 ml"
    assert _column(view, COL_DATE)[-1] == regular
    assert _column(view, COL_DATE) == sorted(_column(view, COL_DATE), reverse=True)  # still newest first
    assert len(set(view.index(r, 5).data() for r in range(view.rowCount()))) == VISITS  # each purchase once


def test_searching_a_long_history_finds_its_first_purchase_and_returns_it(regular, window, qtbot) -> None:
    _open_ada(qtbot, window)
    panel = window.counter.customer_panel
    panel.search_history()
    qtbot.keyClicks(panel.history_search, "lemon")  # "what was that oil I bought the first time?"
    view = panel.history_filter
    assert view.rowCount() == 1
    assert (view.index(0, COL_DATE).data(), view.index(0, COL_PRODUCT).data()) == (regular, "Lemon olive oil 250 ml")
    qtbot.keyClick(panel.history_search, Qt.Key.Key_Return)  # into the table, the row picked
    dialog = window.counter.return_selected()
    assert dialog is not None and [ln.sku for ln, _ in dialog.spins] == ["LEM250"]
    dialog.reject()


def test_a_period_covers_every_purchase_in_it(regular, window, qtbot) -> None:
    _open_ada(qtbot, window)
    panel = window.counter.customer_panel
    panel.history_period.setCurrentIndex(panel.history_period.findText("Last 12 months"))
    assert panel.history_filter.rowCount() == 53  # this week and the 52 weeks before, over three pages


def test_sorting_by_amount_or_oldest_first_sorts_the_whole_history(regular, window, qtbot) -> None:
    _open_ada(qtbot, window)
    panel = window.counter.customer_panel
    view = panel.history_filter
    panel.history_table.sortByColumn(COL_AMOUNT, Qt.SortOrder.DescendingOrder)
    amounts = _column(view, COL_AMOUNT)
    assert len(amounts) == VISITS and amounts[0] == "$15.00" and amounts[1:] == sorted(amounts[1:], reverse=True)
    assert view.index(0, COL_PRODUCT).data() == "Lemon olive oil 250 ml"
    panel.history_table.sortByColumn(COL_DATE, Qt.SortOrder.AscendingOrder)
    assert _column(view, COL_DATE)[0] == regular and _column(view, COL_PRODUCT)[0] == "Lemon olive oil 250 ml"
    panel.history_table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
    assert _column(view, COL_DATE) == sorted(_column(view, COL_DATE), reverse=True)
