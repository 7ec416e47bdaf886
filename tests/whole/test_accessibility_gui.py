"""Every control a screen reader meets has a name, Tab walks the counter as it reads, and both palettes read."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from loyalty_app.sales import SaleItem
from tests.paths import FIXTURES
from ui.first_run_wizard import FirstRunWizard
from ui.import_wizard.import_wizard import ImportWizard
from ui.main_window import MainWindow
from ui.theme import apply_palette, dark_palette

pytestmark = pytest.mark.gui
POS = FIXTURES / "pos"
INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit, QPlainTextEdit)


def _part_of_another_control(w: QWidget) -> bool:
    """Qt's own pieces of a control (a spin box's editor, a combo's list, a table's corner button, headers)."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox)) or (isinstance(parent, QAbstractItemView)
                                                                 and not isinstance(w, QAbstractItemView)):
            return True
        if parent.inherits("QComboBoxPrivateContainer"):
            return True
        parent = parent.parentWidget()
    return isinstance(w, QHeaderView) or w.objectName().startswith("qt_")


def unnamed_controls(root: QWidget) -> list[str]:
    """Interactive widgets under ``root`` with neither an accessible name, a label whose buddy they are, nor (for a
    button) a text of their own: what a screen reader would announce as just "edit" or "button"."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or _part_of_another_control(w):
            continue
        if w.accessibleName().strip() or id(w) in buddies:
            continue
        if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
            continue
        missing.append(f"{type(w).__name__} in {_screen(w)} "
                       f"({w.toolTip() or getattr(w, 'placeholderText', lambda: '')() or w.objectName()})")
    return missing


def _screen(w: QWidget) -> str:
    parent = w.parentWidget()
    while parent is not None and not type(parent).__module__.startswith("ui."):
        parent = parent.parentWidget()
    return type(parent).__name__ if parent is not None else "?"


@pytest.fixture
def window(catalogue, qtbot):
    w = MainWindow(catalogue)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def test_every_control_of_the_counter_sign_in_back_office_and_wizard_has_a_name(catalogue, window, qtbot,
                                                                                tmp_path) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
    window.counter.lookup("4155550132")
    window.counter.sale_panel.add_item("LEM250")
    window.counter.sale_panel.finish()  # its slip opens
    window.counter.lookup("4155550132")
    window.counter.sale_panel.add_item("WB250")
    window.counter.customer_panel.history_table.selectRow(0)
    first_run = FirstRunWizard()
    qtbot.addWidget(first_run)
    dialogs: list[QWidget] = [window.slip_dialog, window.counter.sign_up(), window.counter.edit_customer(),
                              window.counter.return_selected(), window.switch_staff(), window.connect_stores(),
                              window.pos_connections(), first_run]
    window.backup_action.trigger()
    window.privacy_action.trigger()
    dialogs += [d for d in window.findChildren(QDialog) if type(d).__name__ in ("BackupDialog", "PrivacyDialog")]
    assert len(dialogs) == 10
    assert window.backoffice.unlock("1234")  # builds every back-office tab
    f = tmp_path / "till.tsv"
    shutil.copy(POS / "generic_till.tsv", f)
    wizard = ImportWizard(catalogue, window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(f))
    wizard.next()  # the column mapping page
    # (The Email tab's screens are not walked yet: the branches rewriting them name their controls.)
    missing = [m for root in (window.counter, window.backoffice, *dialogs, wizard) for m in unnamed_controls(root)]
    for d in dialogs:
        d.reject()
    wizard.reject()
    assert missing == [], "\n".join(missing)


def test_tab_walks_the_counter_in_the_order_of_the_screen(catalogue, window, qtbot, owner) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
    catalogue.points.adjust(ada.id, 200, "welcome back", actor=owner)  # points to redeem: the spin box is on
    window.activateWindow()
    counter = window.counter
    counter.lookup("4155550132")
    counter.sale_panel.add_item("WB250")
    counter.focus_lookup()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is counter.lookup_input)
    walked = []
    for _ in range(14):
        w = QApplication.focusWidget()
        walked.append(w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else type(w).__name__))
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    # The work first (find, ring up, redeem, finish), then the customer's side top to bottom; no table traps Tab.
    assert walked == ["find customer", "add item", "basket", "points to redeem", "finish sale", "tags", "notes",
                      "search history",
                      "history period", "Edit customer… (F4)", "Return… (F8)", "purchase history", "Sign up (F3)",
                      "QTabBar"]
    assert QApplication.focusWidget() is counter.lookup_input  # and round again


def test_the_dark_palette_reaches_every_label_and_the_error_colours_follow(catalogue, qtbot, qapp) -> None:
    before, style = qapp.palette(), qapp.style().name()
    try:
        apply_palette(qapp, "dark")  # what a dark desktop gives (the offscreen platform has no colour scheme)
        w = MainWindow(catalogue)
        qtbot.addWidget(w)
        w.show()
        w.counter.lookup("555-12")  # a phone too short: the error line
        assert w.counter.lookup_message.styleSheet() == "color: #ff8a80"
        window_bg = w.palette().color(QPalette.ColorRole.Window)
        assert window_bg == dark_palette().color(QPalette.ColorRole.Window)
        text = w.counter.customer_panel.name_label.palette().color(QPalette.ColorRole.WindowText)
        assert text.lightness() - window_bg.lightness() > 120  # light text on the dark window
        assert w.backoffice.unlock("1234")
        for label in w.findChildren(QLabel):  # no style sheet may pin a light background or a dark text colour
            sheet = label.styleSheet().replace(" ", "")
            assert not any(c in sheet for c in ("#f2f5f3", "#fff4e0", "#616e7c", "#b8475b", "#8a4b00")), sheet
    finally:
        qapp.setStyle(style)
        qapp.setPalette(before)


def test_the_screenshot_option_renders_the_counter_at_1366x768_in_the_dark(demo_template, demo_shop_path, qapp,
                                                                           tmp_path) -> None:
    from PySide6.QtGui import QImage

    from ui.app import main

    path, stats = demo_shop_path, demo_template[1]
    out = tmp_path / "counter-dark.png"
    before, style = qapp.palette(), qapp.style().name()
    try:
        assert main(["--db", str(path), "--screenshot", str(out), "--customer", stats["sample_phone"],
                     "--size", "1366x768", "--palette", "dark", "--basket", "AEVOO-500"]) == 0
    finally:
        qapp.setStyle(style)
        qapp.setPalette(before)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    assert image.pixelColor(1360, 400).lightness() < 80  # the window's own background, dark
