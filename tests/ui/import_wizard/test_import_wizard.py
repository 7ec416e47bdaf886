"""The import wizard driven like an owner would: choose, (map), preview, import with progress and Cancel."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWizard

from tests.loyalty_app.importers.test_import_resume import _export
from tests.paths import FIXTURES
from ui.import_wizard.import_wizard import PAGE_IMPORT, PAGE_MAPPING, PAGE_PREVIEW, ImportWizard
from ui.main_window import MainWindow

POS = FIXTURES / "pos"
pytestmark = pytest.mark.gui


def _wizard(qtbot, shop) -> ImportWizard:
    w = ImportWizard(shop)
    qtbot.addWidget(w)
    w.show()
    return w


def _purchases(shop) -> int:
    return shop.ctx.db.conn.execute("SELECT count(*) FROM purchases").fetchone()[0]


def test_square_export_previewed_then_imported(qtbot, catalogue, tmp_path):
    shop = catalogue
    f = tmp_path / "square_items.csv"
    shutil.copy(POS / "square_items.csv", f)
    shop.ctx.actor = shop.staff.identify("sam")
    w = _wizard(qtbot, shop)
    w.file_page.path_edit.setText(str(f))
    assert w.file_page.format_label.text() == "Square Items (item sales detail)"
    w.next()
    assert w.currentId() == PAGE_PREVIEW
    qtbot.waitUntil(lambda: w.preview_page.isComplete(), timeout=10000)
    assert "5 new lines would be imported" in w.preview_page.status_label.text()
    assert _purchases(shop) == 0  # the preview changed nothing
    with qtbot.waitSignal(w.sig_imported, timeout=10000) as done:
        w.next()
    assert w.currentId() == PAGE_IMPORT
    assert done.args[0].lines_imported == 5
    assert "5 new lines imported" in w.import_page.status_label.text()
    assert "square_items-report.csv" in w.import_page.status_label.text()
    assert _purchases(shop) == 3
    assert w.button(QWizard.WizardButton.FinishButton).isEnabled()
    run = shop.ctx.db.conn.execute("SELECT status, staff_id, lines_imported FROM import_runs").fetchone()
    assert tuple(run) == ("done", shop.ctx.actor.id, 5)  # the signed-in cashier is recorded


def test_unknown_columns_are_mapped_with_a_preview_and_saved(qtbot, catalogue, tmp_path):
    shop = catalogue
    f = tmp_path / "till.tsv"
    shutil.copy(POS / "generic_till.tsv", f)
    w = _wizard(qtbot, shop)
    w.file_page.path_edit.setText(str(f))
    w.next()
    assert w.currentId() == PAGE_MAPPING
    page = w.mapping_page
    assert page.model.rowCount() == 5
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Ticket"
    assert page.combos["sku"].currentText() == "Ref"  # guessed from the column names
    for field, col in {"receipt": "Ticket", "time": "Sold at", "phone": "Tel", "name": "Article", "sku": "Ref",
                       "qty": "Qty", "amount": "Line total"}.items():
        page.combos[field].setCurrentText(col)
    page.combos["unit_price"].setCurrentText("")
    assert page.isComplete()
    page.preset_name.setText("Till 2")
    page.save_button.click()
    assert page.preset_combo.findText("Till 2") > 0
    w.next()
    qtbot.waitUntil(lambda: w.preview_page.isComplete(), timeout=10000)
    with qtbot.waitSignal(w.sig_imported, timeout=10000) as done:
        w.next()
    assert (done.args[0].lines_imported, done.args[0].rejected) == (4, 1)


def test_cancel_stops_and_a_second_run_finishes(qtbot, shop, tmp_path):
    f = tmp_path / "big.csv"
    total = _export(f, 6000)
    w = _wizard(qtbot, shop)
    w.batch_lines = 100
    w.file_page.path_edit.setText(str(f))
    w.next()
    qtbot.waitUntil(lambda: w.preview_page.isComplete(), timeout=20000)
    with qtbot.waitSignal(w.sig_imported, timeout=60000) as done:
        w.next()
        # The cashier presses Cancel once the first batch shows, however busy the machine is.
        qtbot.waitUntil(lambda: w.import_page.progress.value() > 0, timeout=60000)
        w.import_page.cancel_button.click()
    assert done.args[0].status == "cancelled" and 0 < done.args[0].lines_imported < total
    assert "Cancelled" in w.import_page.status_label.text()
    w2 = _wizard(qtbot, shop)
    w2.file_page.path_edit.setText(str(f))
    w2.next()
    qtbot.waitUntil(lambda: w2.preview_page.isComplete(), timeout=20000)
    with qtbot.waitSignal(w2.sig_imported, timeout=60000) as again:
        w2.next()
    assert again.args[0].lines_imported + done.args[0].lines_imported == total


def test_main_window_menu_opens_the_wizard(qtbot, shop):
    window = MainWindow(shop)
    qtbot.addWidget(window)
    action = window.findChild(QAction, "import_action")
    assert action is not None and action.text().startswith("Import sales")
    action.trigger()
    wizard = window.findChild(ImportWizard, "import_wizard")
    assert wizard is not None and wizard.isVisible()
    wizard.reject()


def test_watch_folder_of_the_running_app_imports_dropped_files(qtbot, catalogue, tmp_path, tasks):
    from ui.import_wizard.watch_runner import WatchFolderRunner

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    runner = WatchFolderRunner(catalogue, tasks)
    assert not runner.tick()  # no folder set: nothing happens
    catalogue.imports.set_watch_folder(str(inbox))
    shutil.copy(POS / "shopify_orders.csv", inbox)
    with qtbot.waitSignal(runner.sig_done, timeout=10000):
        assert runner.tick()
    assert runner.last_results[0].lines_imported == 6
    assert (inbox / "imported" / "shopify_orders.csv").exists()
    assert _purchases(catalogue) == 4


def test_a_workbook_chosen_by_mistake_says_how_to_save_it_and_next_stays_off(qtbot, shop, tmp_path):
    import zipfile

    book = tmp_path / "sales.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    w = _wizard(qtbot, shop)
    w.file_page.path_edit.setText(str(book))
    assert w.file_page.format_label.text().startswith(
        "cannot read it: sales.xlsx is a spreadsheet workbook (Excel .xlsx or OpenDocument .ods), not a CSV: open it "
        "and save it as 'CSV UTF-8 (comma delimited)'")
    assert not w.button(QWizard.WizardButton.NextButton).isEnabled()
