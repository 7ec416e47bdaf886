"""The Back office tab driven through the real main window: owner PIN, reports, products, program, staff, cards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from loyalty_app.sales import SaleItem
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(catalogue, qtbot):
    shop = catalogue
    ada = shop.customers.sign_up("+14155550171", name="Ada")
    bob = shop.customers.sign_up("+14155550172", name="Bob")
    shop.sales.record_sale(ada.id, [SaleItem("BAS250", 2)], occurred_at=datetime(2026, 10, 5, 18, tzinfo=UTC))
    shop.sales.record_sale(bob.id, [SaleItem("WB250")], occurred_at=datetime(2026, 10, 9, 18, tzinfo=UTC))
    shop.sales.record_sale(ada.id, [SaleItem("WB250")], occurred_at=datetime(2026, 9, 9, 18, tzinfo=UTC))
    w = MainWindow(shop)
    qtbot.addWidget(w)
    w.show()
    return w


def unlocked(window):
    bo = window.backoffice
    assert bo.unlock("1234")
    return bo


def test_the_back_office_opens_only_with_an_owner_pin(window, qtbot):
    bo = window.backoffice
    qtbot.keyClicks(bo.pin_input, "1111")  # the cashier's PIN
    qtbot.keyClick(bo.pin_input, Qt.Key.Key_Return)
    assert bo.tabs is None and "not an owner's pin" in bo.message.text().lower()
    with qtbot.waitSignal(bo.sig_unlocked):
        qtbot.keyClicks(bo.pin_input, "1234")
        qtbot.keyClick(bo.pin_input, Qt.Key.Key_Return)
    assert bo.tabs is not None
    assert [bo.tabs.tabText(i) for i in range(bo.tabs.count())] == [
        "Reports", "Products", "Points program", "Staff", "Cards"]
    bo.lock_button.click()
    assert bo.tabs is None and bo.stack.currentWidget() is bo.lock_page


@pytest.mark.parametrize("kind", ["popular", "customers", "points", "refill"])
def test_each_report_view_computes_in_the_background_and_exports(window, qtbot, tmp_path, kind):
    bo = unlocked(window)
    view = bo.reports.views[kind]
    view.set_period(datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    with qtbot.waitSignal(view.sig_loaded, timeout=10000):
        view.refresh()
    figures = {view.figures.itemAtPosition(1, i).widget().text(): view.figures.itemAtPosition(0, i).widget().text()
               for i in range(view.figures.columnCount())}
    if kind == "popular":
        assert figures["Units sold"] == "3" and figures["Revenue"] == "$41.00"
        model = view.models[0]
        assert model.index(0, 1).data() == "Basil olive oil 250 ml" and model.index(0, 4).data() == "$29.00"
        assert view.chart_view.chart().series()
    elif kind == "customers":
        assert figures["Active customers"] == "2" and figures["New"] == "1" and figures["Returning"] == "1"
    elif kind == "points":
        assert figures["Outstanding points"] == "53" and figures["Their value (owed)"] == "$2.65"
    else:
        assert "Nov 2, 2026 – Nov 16, 2026" in view.heading.text() and "between Nov 2, 2026 and Nov 16, 2026" in view.note.text()
    with qtbot.waitSignal(view.sig_exported):
        view.export_csv(tmp_path / "r.csv")
    with qtbot.waitSignal(view.sig_exported, timeout=10000):
        view.export_pdf(tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert view.sheet.title.split()[0] in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


def test_products_editor_adds_edits_and_deactivates(window, qtbot):
    screen = unlocked(window).products
    dialog = screen.open_add()
    dialog.sku.setText("FIG250")
    dialog.name.setText("Fig balsamic 250 ml")
    dialog.family.setCurrentText("Fig balsamic")
    dialog.size_input.setText("250 ml")
    dialog.category.setCurrentText("Balsamic")
    dialog.tags.setText("fig, dark")
    dialog.price.setText("13.50")
    dialog.refill.setValue(60)
    dialog.launched.setText("2026-12-01")
    dialog._on_buttons_accepted()
    fig = window.shop.products.find("FIG250")
    assert (fig.price_cents, fig.refill_days, fig.tags, fig.launched_on) == (1350, 60, ["dark", "fig"], "2026-12-01")
    assert screen.selected().sku == "FIG250"
    # A second product with the same SKU: the dialog stays open and says why.
    again = screen.open_add()
    again.sku.setText("FIG250")
    again.name.setText("Duplicate")
    again.price.setText("1")
    again._on_buttons_accepted()
    assert again.isVisible() and "already exists" in again.error.text()
    again.reject()
    edit = screen.open_edit()
    edit.price.setText("14.00")
    edit.refill.setValue(0)  # "no refill reminder"
    edit._on_buttons_accepted()
    fig = window.shop.products.find("FIG250")
    assert (fig.price_cents, fig.refill_days, fig.family) == (1400, None, "Fig balsamic")
    screen.active_button.click()
    assert window.shop.products.find("FIG250").active is False
    assert screen.active_button.text() == "Activate"


def test_program_editor_warns_before_lowering_the_value_of_points(window, qtbot):
    screen = unlocked(window).program
    assert screen.summary.text().startswith("1 point per $1.00; 100 points = $5.00 off")
    screen.redeem_value.setText("4.00")
    assert "100 points = $4.00 off" in screen.summary.text()
    with qtbot.waitSignal(screen.sig_reviewed, timeout=10000) as blocker:
        screen.save_button.click()
    assert "53 points held by 2 customers" in blocker.args[0][0]
    assert not screen.warning.isHidden() and screen.save_button.text() == "Save anyway"
    assert window.shop.points.program().redeem_cents == 500  # nothing saved yet
    with qtbot.waitSignal(screen.sig_program_saved):
        screen.save_button.click()
    assert window.shop.points.program().redeem_cents == 400
    assert screen.history_model.rowCount() == 2
    assert screen.history_model.index(0, 1).data() == "owner"


def test_staff_screen_adds_sets_pin_and_deactivates(window, qtbot):
    screen = unlocked(window).staff
    screen.name.setText("eve")
    screen.pin.setText("2468")
    screen.pin_again.setText("2468")
    screen.add_button.click()
    assert window.shop.staff.sign_in("eve", "2468").role == "cashier"
    assert screen.selected().name == "eve"
    screen.new_pin.setText("12")
    screen.pin_button.click()
    assert "4 to 12 digits" in screen.message.text()
    screen.new_pin.setText("1357")
    screen.pin_button.click()
    assert window.shop.staff.sign_in("eve", "1357")
    screen.active_button.click()
    assert "eve is now inactive" in screen.message.text()
    screen.select("owner")
    screen.active_button.click()
    assert "cannot deactivate yourself" in screen.message.text()


def test_cards_screen_prints_one_card_and_a_sheet(window, qtbot, tmp_path):
    screen = unlocked(window).cards
    assert screen.lookup("Ada") == 1
    number = screen.print_selected_to(tmp_path / "card.pdf")
    assert number and window.shop.customers.cards(window.shop.lookup.find_one("Ada").id)[0].number == number
    with qtbot.waitSignal(screen.sig_printed, timeout=10000):
        screen.print_sheet_to(tmp_path / "sheet.pdf", 10)
    assert "1 card on 1 page written" in screen.message.text()  # only Bob still had no card


def test_a_cancelled_report_is_dropped_and_the_screen_stays_usable(window, qtbot):
    view = unlocked(window).reports.views["customers"]
    qtbot.waitUntil(window.tasks.idle, timeout=10000)  # the first report shown on unlock
    view.refresh()
    assert view.cancel_button.isVisibleTo(view) and not view.refresh_button.isEnabled()
    view.cancel()
    assert view.refresh_button.isEnabled() and not view.cancel_button.isVisibleTo(view)
    qtbot.waitUntil(window.tasks.idle, timeout=10000)
    assert view.sheet is None


def test_products_import_runs_in_the_background_and_lists_problems(window, qtbot, tmp_path):
    screen = unlocked(window).products
    f = tmp_path / "list.csv"
    f.write_text("sku,name,price,refill days\nFIG250,Fig balsamic 250 ml,13.00,60\nBAD,,x,\n", encoding="utf-8")
    screen.import_file(f)
    qtbot.waitUntil(lambda: "added" in screen.status.text(), timeout=10000)
    assert screen.status.text().startswith("1 added, 0 updated, 1 with problems")
    assert "line 3 (BAD)" in screen.status.text()
    assert any(p.sku == "FIG250" for p in screen.model.rows)


def test_wrong_pins_at_the_back_office_lock_the_owner_for_a_minute(window, qtbot, clock):
    bo = window.backoffice
    for _ in range(5):
        assert not bo.unlock("9999")
    assert not bo.unlock("1234")
    assert bo.message.text() == "Too many wrong PINs for owner: try again in a minute"
    clock.advance(seconds=61)
    assert bo.unlock("1234")
