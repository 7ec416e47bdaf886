"""The counter's rough edges, as a cashier meets them: suggestions, columns, the status line, the next customer,
long lists of matches, returns, signing in and the back office."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from loyalty_app.clock import FixedClock
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from tests.counter_support import window
from ui.counter.basket_table_model import COL_AMOUNT, COL_PRICE, COL_QTY
from ui.counter.history_table_model import COL_AMOUNT as COL_HISTORY_AMOUNT
from ui.counter.history_table_model import COL_PRODUCT
from ui.main_window import MainWindow
from ui.sign_in_dialog import SignInDialog

__all__ = ["window"]  # the fixture, from tests.counter_support
pytestmark = pytest.mark.gui


@pytest.fixture
def demo_window(demo_shop_path, clock: FixedClock, qtbot):
    shop = open_shop(demo_shop_path, clock=clock)
    w = MainWindow(shop)
    qtbot.addWidget(w)
    w.show()
    yield w, shop
    shop.close()


def _type(qtbot, widget, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_what_is_in_the_basket_is_no_longer_suggested(demo_window, demo_template, qtbot) -> None:
    window, shop = demo_window
    _type(qtbot, window.counter.lookup_input, demo_template[1]["sample_phone"])
    panel = window.counter.customer_panel
    first = shop.lookup.profile(panel.customer_id).suggestions[0]
    bold = f"<b>{html.escape(first.name)}</b>"
    assert bold in panel.suggestions_label.text()
    _type(qtbot, window.counter.sale_panel.item_input, first.sku)
    assert [r.sku for r in window.counter.sale_panel.basket.rows] == [first.sku]
    assert bold not in panel.suggestions_label.text()
    assert panel.suggestions_label.text().count("<b>") >= 1  # something else is suggested instead
    qtbot.keyClick(window.counter.sale_panel.basket_view, Qt.Key.Key_Delete)  # taken out again: suggested again
    window.counter.sale_panel.focus_basket()
    qtbot.keyClick(window.counter.sale_panel.basket_view, Qt.Key.Key_Delete)
    assert window.counter.sale_panel.basket.rows == [] and bold in panel.suggestions_label.text()


def _cut(view, columns) -> dict[int, tuple[int, int]]:
    """Columns narrower than their widest cell: {column: (width, needed)}."""
    return {c: (view.columnWidth(c), view.sizeHintForColumn(c)) for c in columns
            if view.columnWidth(c) < view.sizeHintForColumn(c)}


def test_basket_prices_are_whole_at_1366_and_history_names_readable_at_1024(demo_window, demo_template,
                                                                             qtbot) -> None:
    window, shop = demo_window
    window.resize(1366, 768)
    _type(qtbot, window.counter.lookup_input, demo_template[1]["sample_phone"])
    sale = window.counter.sale_panel
    for sku in ("AEVOO-500", "BAS-SDT-250", "5*BOO-100"):
        _type(qtbot, sale.item_input, sku)
    basket = sale.basket_view
    qtbot.waitUntil(lambda: basket.viewport().width() > 0)
    assert _cut(basket, (COL_QTY, COL_PRICE, COL_AMOUNT)) == {}  # "$27.00", never "$2…"
    assert basket.horizontalHeader().sectionSize(0) > basket.columnWidth(COL_PRICE)  # the name takes the rest
    window.resize(1024, 768)
    history = window.counter.customer_panel.history_table
    qtbot.waitUntil(lambda: window.width() == 1024)
    others = [c for c in range(history.model().columnCount()) if c != COL_PRODUCT]
    assert _cut(history, others) == {}
    assert _cut(basket, (COL_QTY, COL_PRICE, COL_AMOUNT)) == {}
    readable = history.fontMetrics().horizontalAdvance("Traditional 18-year da")  # the name, not "Tradi…"
    assert history.columnWidth(COL_PRODUCT) >= readable
    assert not history.wordWrap()  # one line, elided at its end, never cut in half by the row's height


def test_the_status_line_tells_the_balance_after_a_return(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    _type(qtbot, window.counter.lookup_input, "4155550132")
    sale = window.counter.sale_panel
    _type(qtbot, sale.item_input, "BAS250")
    qtbot.keyClick(sale.item_input, Qt.Key.Key_F12)
    assert "balance 14" in sale.status_label.text()
    window.slip_dialog.reject()
    window.counter.lookup_input.clear()
    _type(qtbot, window.counter.lookup_input, "4155550132")
    window.counter.customer_panel.focus_history()
    dialog = window.counter.return_selected()
    dialog.spins[0][1].setValue(1)
    dialog.confirm()
    assert catalogue.customers.get(ada.id).points_balance == 0
    assert sale.status_label.text() == f"Return on sale #{dialog.purchase_id} saved: refund $14.50, −14 points, " \
                                       "balance 0."


def test_closing_the_slip_clears_the_counter_for_the_next_walk_in(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    counter = window.counter
    _type(qtbot, counter.lookup_input, "4155550132")
    _type(qtbot, counter.sale_panel.item_input, "BAS250")
    qtbot.keyClick(counter.sale_panel.item_input, Qt.Key.Key_F12)
    slip = window.slip_dialog
    assert slip.isVisible() and counter.customer_panel.balance_label.text() == "14 points"  # while the slip shows
    qtbot.keyClick(slip, Qt.Key.Key_Escape)
    assert not slip.isVisible()
    assert counter.customer_panel.customer_id is None and counter.sale_panel.who_label.text() == "Anonymous sale"
    assert counter.lookup_input.text() == "" and QApplication.focusWidget() is counter.lookup_input
    _type(qtbot, counter.sale_panel.item_input, "WB250")  # the next walk-in, who gives no phone
    pid = counter.sale_panel.finish()
    assert catalogue.sales.purchase(pid).customer_id is None
    assert catalogue.customers.get(ada.id).points_balance == 14


def test_more_matches_than_listed_says_how_many_and_how_to_narrow(catalogue, window, qtbot) -> None:
    for n in range(31):
        catalogue.customers.sign_up(f"+1415555{100 + n:04d}", name=f"Ada Number{n}")
    catalogue.customers.sign_up("+14155550199", name="Grace")
    _type(qtbot, window.counter.lookup_input, "ada")
    assert window.counter.matches_list.count() == 20
    assert window.counter.lookup_message.text() == (
        "31 customers match 'ada': the first 20 are listed (↑↓ and Enter to pick). "
        "Type more of the name, or the phone or card, to narrow it down.")
    window.counter.lookup_input.clear()
    _type(qtbot, window.counter.lookup_input, "number3")
    assert window.counter.lookup_message.text() == "2 customers match: ↑↓ and Enter to pick"  # 3 and 30


def test_the_return_dialog_starts_on_the_line_picked_in_the_history(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2), SaleItem("WB250", 1)])
    _type(qtbot, window.counter.lookup_input, "4155550132")
    panel = window.counter.customer_panel
    row = next(r for r in range(panel.history_filter.rowCount())
               if panel.history_filter.index(r, COL_PRODUCT).data() == "White balsamic 250 ml")
    panel.history_table.selectRow(row)
    qtbot.keyClick(panel.history_table, Qt.Key.Key_F8)
    dialog = window.counter.findChild(type(window.counter.return_selected()))
    assert {line.sku: spin.value() for line, spin in dialog.spins} == {"BAS250": 0, "WB250": 1}
    assert dialog.preview_label.text().startswith("Refund $12.00.")
    assert dialog.focusWidget() is next(spin for line, spin in dialog.spins if line.sku == "WB250")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert catalogue.customers.get(ada.id).points_balance == 41 - 12


def test_sign_in_picks_nobody_and_can_be_cancelled(catalogue, qtbot, owner) -> None:
    catalogue.staff.add("maria", "cashier", "2222", actor=owner)
    window = MainWindow(catalogue, ask_sign_in=True)
    qtbot.addWidget(window)
    window.show()
    dialog = window.findChild(SignInDialog)
    assert dialog.name_box.currentIndex() == -1 and dialog.name_box.currentText() == ""
    _type(qtbot, dialog.pin_input, "1234")  # the owner's PIN, before picking a name
    assert dialog.error_label.text() == "Pick your name first, then type your PIN"
    assert catalogue.ctx.actor is None
    assert {s.name for s in catalogue.staff.list()} == {"owner", "sam", "maria"}
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not window.counter.isEnabled()
    assert window.staff_label.text() == "Not signed in — Ctrl+Shift+L to sign in"
    again = window.switch_staff()
    again.name_box.setFocus()
    qtbot.keyClicks(again.name_box, "o")  # the name's first letter picks it
    assert again.name_box.currentText() == "owner"
    qtbot.keyClick(again.name_box, Qt.Key.Key_Tab)
    assert again.focusWidget() is again.pin_input
    _type(qtbot, again.pin_input, "1234")
    assert window.counter.isEnabled() and window.staff_label.text() == "Signed in: owner (owner)"


def test_a_signed_in_owner_is_not_asked_for_the_pin_again_but_a_cashier_is(catalogue, window, qtbot) -> None:
    for name, pin in (("owner", "1234"), ("sam", "1111")):
        dialog = window.switch_staff()
        dialog.name_box.setCurrentText(name)
        _type(qtbot, dialog.pin_input, pin)
        window.tabs.setCurrentWidget(window.counter)
        window.tabs.setCurrentWidget(window.backoffice)
        bo = window.backoffice
        if name == "owner":
            assert bo.owner is not None and bo.owner.name == "owner"
            assert bo.stack.currentWidget() is not bo.lock_page and bo.tabs is not None
        else:  # the owner's screens closed when sam signed in, and sam gets the PIN box
            assert bo.owner is None and bo.stack.currentWidget() is bo.lock_page
            assert not bo.unlock("1111") and bo.unlock("1234")


class _Paints(QObject):
    """Counts the paints of one widget."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        self.count += event.type() == QEvent.Type.Paint
        return False


def test_the_next_customers_history_is_painted_once_with_its_own_column_widths(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("WB250", 1)])
    grace = catalogue.customers.sign_up("+14155550199", name="Grace")
    for _n in range(12):  # more lines than the table shows, and wider quantities and amounts than Ada's
        catalogue.sales.record_sale(grace.id, [SaleItem("BAS500", 400), SaleItem("BAS250", 12)])
    table = window.counter.customer_panel.history_table
    _type(qtbot, window.counter.lookup_input, "4155550132")
    amount = table.columnWidth(COL_HISTORY_AMOUNT)
    qtbot.keyClick(window.counter.lookup_input, Qt.Key.Key_Escape)
    for _pass in range(4):
        QApplication.processEvents()
    paints = _Paints(table.viewport())
    window.counter.lookup_input.setFocus()
    _type(qtbot, window.counter.lookup_input, "4155550199")
    for _pass in range(6):  # until the event loop is idle: a second paint would come from a timer in here
        QApplication.processEvents()
    assert window.counter.customer_panel.name_label.text() == "Grace"
    assert paints.count == 1  # the rows are drawn once, already in their new columns
    others = [c for c in range(table.model().columnCount()) if c != COL_PRODUCT]
    assert _cut(table, others) == {} and table.columnWidth(COL_HISTORY_AMOUNT) > amount  # "$10,000.00" whole
    widths = sum(table.columnWidth(c) for c in range(table.model().columnCount()))
    assert widths == table.viewport().width()  # and the name takes exactly what the others leave
