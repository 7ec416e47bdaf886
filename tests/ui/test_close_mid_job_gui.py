"""Closing the window while an import writes: the import stops after its batch, the window waits for it, no
thread is left and nothing is saved half (the emails' case is in tests/ui/mail/test_mail_close_gui.py)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtGui import QAction

from tests.loyalty_app.importers.test_import_resume import _export
from tests.threads import threads_left_behind
from ui.import_wizard.import_wizard import ImportWizard
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _count(shop, sql: str) -> int:
    return shop.ctx.db.conn.execute(sql).fetchone()[0]


def test_closing_the_window_during_an_import_keeps_whole_batches_and_leaves_no_thread(shop, qtbot, tmp_path):
    f = tmp_path / "big.csv"
    total = _export(f, 6000)
    before = set(threading.enumerate())
    window = MainWindow(shop)
    qtbot.addWidget(window)
    window.show()
    window.findChild(QAction, "import_action").trigger()
    wizard = window.findChild(ImportWizard, "import_wizard")
    assert wizard.tasks is window.tasks  # the window's runner, not one of the wizard's own
    wizard.batch_lines = 100
    wizard.file_page.path_edit.setText(str(f))
    wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=20000)
    wizard.next()  # the import starts
    qtbot.waitUntil(lambda: wizard.import_page.progress.value() > 0, timeout=60000)
    window.close()
    assert window.tasks.running() == [] and threads_left_behind(before) == []
    run = shop.ctx.db.conn.execute("SELECT status, lines_imported FROM import_runs").fetchone()
    assert run[0] == "cancelled" and 0 < run[1] < total
    assert _count(shop, "SELECT count(*) FROM purchase_lines") == run[1]  # every batch whole, none half
    assert shop.check() == {k: [] for k in shop.check()}
