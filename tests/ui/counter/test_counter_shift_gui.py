"""A cashier's shift at the counter: signing in, switching cashier, serving a queue by keyboard on the demo shop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from loyalty_app.clock import FixedClock
from loyalty_app.errors import Conflict
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from ui.main_window import MainWindow
from ui.sign_in_dialog import SignInDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def window(catalogue, qtbot):
    w = MainWindow(catalogue)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    return w


def _type(qtbot, widget, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _sign_in(qtbot, window, name: str, pin: str):
    dialog = window.switch_staff()
    dialog.name_box.setCurrentText(name)
    _type(qtbot, dialog.pin_input, pin)
    return dialog


def test_each_sale_records_the_cashier_who_was_signed_in(catalogue, window, qtbot) -> None:
    wrong = _sign_in(qtbot, window, "sam", "9999")
    assert wrong.isVisible() and wrong.error_label.text()
    assert catalogue.ctx.actor is None and window.staff_label.text().startswith("Not signed in")
    wrong.reject()
    with qtbot.waitSignal(window.signals.sig_staff_changed) as sam_in:
        _sign_in(qtbot, window, "sam", "1111")
    assert sam_in.args == ["sam"] and window.staff_label.text() == "Signed in: sam (cashier)"
    _type(qtbot, window.counter.sale_panel.item_input, "BAS250")
    first = window.counter.sale_panel.finish()
    _sign_in(qtbot, window, "owner", "1234")
    _type(qtbot, window.counter.sale_panel.item_input, "WB250")
    second = window.counter.sale_panel.finish()
    staff = {s.id: s.name for s in catalogue.staff.list()}
    assert staff[catalogue.sales.purchase(first).staff_id] == "sam"
    assert staff[catalogue.sales.purchase(second).staff_id] == "owner"


def test_the_counter_stays_locked_until_someone_signs_in(catalogue, qtbot) -> None:
    window = MainWindow(catalogue, ask_sign_in=True)
    qtbot.addWidget(window)
    window.show()
    assert not window.counter.isEnabled()
    assert window.staff_label.text() == "Not signed in — Ctrl+Shift+L to sign in"
    dialog = window.findChild(SignInDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.name_box.setCurrentText("sam")
    _type(qtbot, dialog.pin_input, "1111")
    assert window.counter.isEnabled() and window.staff_label.text() == "Signed in: sam (cashier)"


def test_finishing_a_sale_shows_its_slip_ready_to_print(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.customers.attach_card(ada.id)
    _type(qtbot, window.counter.lookup_input, "4155550132")
    _type(qtbot, window.counter.sale_panel.item_input, "BAS500")
    with qtbot.waitSignal(window.signals.sig_customer_changed) as changed:
        window.counter.sale_panel.finish()
    assert changed.args == [ada.id]
    slip = window.slip_dialog
    assert slip is not None and slip.isVisible() and slip.print_button.isDefault()
    assert "Balance now" in slip.preview.toPlainText() and "25" in slip.preview.toPlainText()
    assert slip.barcode.pixmap() is not None and not slip.barcode.pixmap().isNull()
    slip.reject()
    assert window.counter.lookup_input.hasFocus() or QApplication.focusWidget() is window.counter.lookup_input


def test_escape_clears_the_counter_for_the_next_customer_and_writes_nothing(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    _type(qtbot, window.counter.lookup_input, "4155550132")
    _type(qtbot, window.counter.sale_panel.item_input, "BAS250")
    qtbot.keyClick(window.counter.sale_panel.item_input, Qt.Key.Key_Escape)
    assert window.counter.lookup_input.text() == ""
    assert window.counter.customer_panel.customer_id is None
    assert window.counter.sale_panel.basket.rows == []
    assert catalogue.customers.get(ada.id).points_balance == 0
    assert catalogue.lookup.profile(ada.id).history == ()


def test_sign_up_by_keyboard_alone(catalogue, window, qtbot) -> None:
    _type(qtbot, window.counter.lookup_input, "415-555-0188")
    dialog = window.counter.sign_up()
    assert dialog.name_input.hasFocus() or dialog.focusWidget() is dialog.name_input
    qtbot.keyClicks(dialog.name_input, "Grace Hopper")
    qtbot.keyClick(dialog.name_input, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.focusWidget(), "grace@example.com")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.counter.customer_panel.name_label.text() == "Grace Hopper"
    grace = catalogue.lookup.find_one("+14155550188")
    assert grace.email == "grace@example.com" and not grace.email_consent  # consent only when ticked


@pytest.fixture
def demo_window(demo_shop_path, clock: FixedClock, qtbot):
    shop = open_shop(demo_shop_path, clock=clock)
    w = MainWindow(shop)
    qtbot.addWidget(w)
    w.show()
    yield w, shop
    shop.close()


def test_a_demo_regular_is_found_sold_to_and_redeems(demo_window, demo_template, qtbot) -> None:
    window, shop = demo_window
    phone = demo_template[1]["sample_phone"]
    _type(qtbot, window.counter.lookup_input, phone)
    panel = window.counter.customer_panel
    cid = panel.customer_id
    assert cid is not None and panel.name_label.text()
    profile = shop.lookup.profile(cid)
    assert panel.last_basket_label.text().startswith("Last time: " + profile.last_basket[0].name)
    assert panel.history_model.rowCount() == sum(len(p.lines) for p in profile.history)
    sku = profile.last_basket[0].sku
    _type(qtbot, window.counter.sale_panel.item_input, sku)
    sale = window.counter.sale_panel
    before = shop.customers.get(cid).points_balance
    sale.redeem_spin.setValue(sale.redeem_spin.maximum())
    redeemed = sale.redeem_spin.value()
    assert redeemed <= shop.points.program().max_redeemable(before, sale.basket.subtotal_cents())
    pid = sale.finish()
    assert pid is not None
    bought = shop.sales.purchase(pid)
    assert bought.customer_id == cid and bought.points_redeemed == redeemed
    assert shop.customers.get(cid).points_balance == before - redeemed + bought.points_earned
    assert panel.balance_label.text() == f"{before - redeemed + bought.points_earned:,} points"
    slip = window.slip_dialog
    assert slip is not None and slip.purchase_id == pid
    text = slip.preview.toPlainText()
    assert f"Redeemed{redeemed:>34}" in text
    note = next(line.strip() for line in text.splitlines() if line.strip().startswith(("Due for a refill:",
                                                                                       "Next time, try:")))
    assert not note.endswith(profile.last_basket[0].name)  # never suggests what was just bought


def test_a_card_scanned_into_the_item_field_opens_its_customer_and_keeps_the_basket(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    grace = catalogue.customers.sign_up("+14155550133", name="Grace")
    card = catalogue.customers.attach_card(grace.id)
    lost = catalogue.customers.attach_card(ada.id)
    catalogue.customers.report_card_lost(lost)
    _type(qtbot, window.counter.lookup_input, "4155550132")
    sale = window.counter.sale_panel
    _type(qtbot, sale.item_input, "BAS250")
    _type(qtbot, sale.item_input, card)  # Grace steps up and scans her card while Ada's profile shows
    assert window.counter.customer_panel.name_label.text() == "Grace"
    assert sale.who_label.text() == "Sale for Grace" and [r.sku for r in sale.basket.rows] == ["BAS250"]
    assert sale.item_message.text() == ""
    _type(qtbot, sale.item_input, lost)  # a lost card: Grace is no longer on screen, nobody is credited
    assert "reported lost" in window.counter.lookup_message.text()
    assert window.counter.customer_panel.customer_id is None and sale.who_label.text() == "Anonymous sale"
    assert catalogue.customers.get(ada.id).points_balance == 0 and catalogue.customers.get(grace.id).points_balance == 0


def test_a_purchase_returned_in_full_says_nothing_is_left(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    sale = catalogue.sales.record_sale(ada.id, [SaleItem("WB250", 1)])
    catalogue.sales.return_items(sale.purchase_id)
    _type(qtbot, window.counter.lookup_input, "4155550132")
    window.counter.customer_panel.history_table.selectRow(0)
    dialog = window.counter.return_selected()
    assert "already come back" in dialog.preview_label.text() and not dialog.ok_button.isEnabled()
    assert all(not spin.isEnabled() for _, spin in dialog.spins)
    with pytest.raises(Conflict):  # the service refuses too, whatever a screen might send
        catalogue.sales.return_items(sale.purchase_id, [("WB250", 1)])


def test_adjusting_points_at_the_counter_needs_the_owner_s_pin_and_a_reason(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    _type(qtbot, window.counter.lookup_input, "4155550132")
    dialog = window.counter.edit_customer()
    assert "(415) 555-0132" in dialog.phones_label.text()
    dialog.adjust_spin.setValue(50)
    qtbot.keyClicks(dialog.owner_pin, "1234")
    dialog._on_adjust()
    assert "reason" in dialog.message.text() and catalogue.customers.get(ada.id).points_balance == 0
    qtbot.keyClicks(dialog.adjust_reason, "goodwill: broken bottle")
    qtbot.keyClicks(dialog.owner_pin, "1111")  # the cashier's own PIN
    dialog._on_adjust()
    assert "owner" in dialog.message.text() and catalogue.customers.get(ada.id).points_balance == 0
    qtbot.keyClicks(dialog.owner_pin, "1234")
    dialog._on_adjust()
    assert dialog.message.text() == "Points changed by +50."
    assert catalogue.customers.get(ada.id).points_balance == 50
    dialog.reject()
    assert window.counter.customer_panel.balance_label.text() == "50 points"


def test_demo_flag_builds_the_demo_once_at_the_given_path(tmp_path, monkeypatch) -> None:
    import loyalty_app.demo as demo
    from ui.app import main

    real_build = demo.build_demo
    builds: list[str] = []

    def small_build(path, seed=1, **_):
        builds.append(str(path))
        return real_build(path, seed=seed, customers=40, years=1)

    monkeypatch.setattr(demo, "build_demo", small_build)
    target = tmp_path / "my-demo.sqlite"
    shot = tmp_path / "demo.png"
    assert main(["--demo", "--db", str(target), "--screenshot", str(shot)]) == 0
    assert target.exists() and shot.exists()
    assert builds and not builds[0].endswith("my-demo.sqlite")  # built aside, renamed when complete
    assert not list(tmp_path.glob("*.building*"))
    assert main(["--demo", "--db", str(target), "--screenshot", str(shot)]) == 0
    assert len(builds) == 1  # the second start opens the demo it already has
    shop = open_shop(target)
    try:
        assert shop.ctx.shop_name == "Olive & Vine" and len(shop.customers.list()) >= 40
    finally:
        shop.close()


def test_the_history_sorts_by_real_amounts_and_dates(catalogue, window, qtbot, clock) -> None:
    from ui.counter.history_table_model import COL_AMOUNT, COL_DATE

    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS500", 1)])  # $25.00
    clock.advance(days=3)
    catalogue.sales.record_sale(ada.id, [SaleItem("WB250", 1)])  # $12.00, newest
    clock.advance(days=3)
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2), SaleItem("LEM250", 1)])  # $29.00, $15.00
    _type(qtbot, window.counter.lookup_input, "4155550132")
    view = window.counter.customer_panel.history_filter
    column = lambda c: [view.index(r, c).data() for r in range(view.rowCount())]  # noqa: E731
    assert column(COL_DATE)[0] == max(column(COL_DATE))  # newest first when the profile opens
    window.counter.customer_panel.history_table.sortByColumn(COL_AMOUNT, Qt.SortOrder.AscendingOrder)
    assert column(COL_AMOUNT) == ["$12.00", "$15.00", "$25.00", "$29.00"]


def test_redeeming_below_the_minimum_is_explained_before_finishing(catalogue, window, qtbot, owner) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.points.adjust(ada.id, 300, "welcome back", actor=owner)
    _type(qtbot, window.counter.lookup_input, "4155550132")
    _type(qtbot, window.counter.sale_panel.item_input, "BAS500")
    sale = window.counter.sale_panel
    sale.redeem_spin.setValue(40)  # the program redeems from 100 points
    assert sale.redeem_label.text() == "cannot redeem 40 points: the minimum is 100"
    assert sale.total_label.text() == "Total $25.00"
    assert sale.finish() is None and "minimum is 100" in sale.status_label.text()
    assert catalogue.customers.get(ada.id).points_balance == 300 and [r.sku for r in sale.basket.rows] == ["BAS500"]
    sale.redeem_spin.setValue(100)
    assert sale.redeem_label.text().startswith("= $5.00 off · 200 points left")


def test_a_return_by_keyboard_from_a_history_search(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
    catalogue.sales.record_sale(ada.id, [SaleItem("WB250", 1)])
    _type(qtbot, window.counter.lookup_input, "4155550132")
    panel = window.counter.customer_panel
    panel.search_history()
    _type(qtbot, panel.history_search, "basil")
    assert panel.history_filter.rowCount() == 1
    dialog = window.counter.return_selected()
    assert dialog is not None and [ln.sku for ln, _ in dialog.spins] == ["BAS250"]


def test_sign_up_with_a_scanned_card_and_a_misread_card_is_refused(catalogue, window, qtbot) -> None:
    from loyalty_app.cards import new_card_number

    card = new_card_number()
    misread = card[:-1] + str((int(card[-1]) + 1) % 10)  # wrong check digit, as a smudged scan gives
    dialog = window.counter.sign_up()
    qtbot.keyClicks(dialog.phone_input, "415 555 0190")
    qtbot.keyClicks(dialog.card_input, misread)
    dialog.submit()
    assert dialog.isVisible() and dialog.error_label.text()
    assert catalogue.lookup.find("+14155550190").matches == []  # nothing written
    dialog.card_input.setText(card)
    dialog.submit()
    assert not dialog.isVisible()
    _type(qtbot, window.counter.lookup_input, card)
    assert window.counter.customer_panel.name_label.text() == "(415) 555-0190"


def test_a_scan_while_the_list_of_matches_has_focus_is_a_new_lookup(catalogue, window, qtbot) -> None:
    catalogue.customers.sign_up("+14155550132", name="Ada Lovelace")
    catalogue.customers.sign_up("+14155550133", name="Ada Byron")
    grace = catalogue.customers.sign_up("+14155550134", name="Grace")
    card = catalogue.customers.attach_card(grace.id)
    _type(qtbot, window.counter.lookup_input, "ada")
    assert window.counter.matches_list.isVisible()
    _type(qtbot, window.counter.matches_list, card)  # the scanner types into whatever has focus
    assert window.counter.customer_panel.name_label.text() == "Grace"
    assert not window.counter.matches_list.isVisible()


def test_a_scan_while_product_choices_have_focus_adds_the_scanned_item(catalogue, window, qtbot) -> None:
    sale = window.counter.sale_panel
    _type(qtbot, sale.item_input, "olive oil")
    assert sale.product_choices.isVisible() and sale.product_choices.count() >= 2
    _type(qtbot, sale.product_choices, "4006381333931")  # the white balsamic's barcode
    assert [r.sku for r in sale.basket.rows] == ["WB250"] and not sale.product_choices.isVisible()


def test_quantities_change_from_the_keyboard(catalogue, window, qtbot) -> None:
    sale = window.counter.sale_panel
    _type(qtbot, sale.item_input, "3*BAS250")
    _type(qtbot, sale.item_input, "2 x white balsamic")
    _type(qtbot, sale.item_input, "0*LEM250")
    assert "at least 1" in sale.item_message.text()
    assert [(r.sku, r.qty) for r in sale.basket.rows] == [("BAS250", 3), ("WB250", 2)]
    sale.focus_basket()  # Alt+B: the last line is picked
    qtbot.keyClick(sale.basket_view, Qt.Key.Key_Plus)
    qtbot.keyClick(sale.basket_view, Qt.Key.Key_Plus)
    assert sale.basket.rows[1].qty == 4
    sale.basket_view.selectRow(0)
    qtbot.keyClick(sale.basket_view, Qt.Key.Key_Minus)
    assert sale.basket.rows[0].qty == 2
    qtbot.keyClick(sale.basket_view, Qt.Key.Key_Delete)
    assert [(r.sku, r.qty) for r in sale.basket.rows] == [("WB250", 4)]
    assert sale.total_label.text() == "Total $48.00"


def test_the_next_card_scanned_while_the_slip_shows_is_a_lookup_not_a_print(catalogue, window, qtbot) -> None:
    catalogue.customers.sign_up("+14155550132", name="Ada")
    grace = catalogue.customers.sign_up("+14155550133", name="Grace")
    card = catalogue.customers.attach_card(grace.id)
    _type(qtbot, window.counter.lookup_input, "4155550132")
    _type(qtbot, window.counter.sale_panel.item_input, "BAS250")
    window.counter.sale_panel.finish()
    slip = window.slip_dialog
    assert slip.isVisible()
    qtbot.keyClick(slip, card[0])  # the burst's first key reaches the slip …
    assert not slip.isVisible() and window.counter.lookup_input.text() == card[0]
    _type(qtbot, window.counter.lookup_input, card[1:])  # … the rest lands in the lookup field
    assert window.counter.customer_panel.name_label.text() == "Grace"


@pytest.mark.parametrize("typed", ["ada.l@example.org", "ADA.L@EXAMPLE.ORG", "ada.l@exam", "lovelace"])
def test_a_customer_is_found_by_email_or_a_fragment_of_it(catalogue, window, qtbot, typed) -> None:
    catalogue.customers.sign_up("+14155550132", name="Ada Lovelace", email="ada.l@example.org")
    catalogue.customers.sign_up("+14155550133", name="Grace Hopper", email="grace@example.org")
    _type(qtbot, window.counter.lookup_input, typed)
    assert window.counter.customer_panel.name_label.text() == "Ada Lovelace"


def test_tab_follows_the_work_from_lookup_to_sale(catalogue, window, qtbot) -> None:
    counter = window.counter
    assert counter.lookup_input.nextInFocusChain() is counter.sale_panel.item_input
    assert counter.sale_panel.item_input.nextInFocusChain() is counter.sale_panel.basket_view
    names = [w.accessibleName() for w in (counter.lookup_input, counter.sale_panel.item_input,
                                          counter.sale_panel.basket_view, counter.sale_panel.redeem_spin,
                                          counter.sale_panel.finish_button, counter.customer_panel.history_table)]
    assert all(names)
