"""The Shop menu's data-safety entries: Backups… and the current customer's data (export or erase)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ui.backup_dialog import BackupDialog
from ui.privacy_dialog import PrivacyDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def add_safety_actions(window: MainWindow, menu: QMenu) -> tuple[QAction, QAction]:
    """Adds the actions; the window keeps them as ``backup_action`` and ``privacy_action``."""
    backup_action = QAction("Backups…", window)
    backup_action.triggered.connect(lambda: open_backups(window))
    menu.addAction(backup_action)
    privacy_action = QAction("This customer's data (export or erase)…", window)
    privacy_action.triggered.connect(lambda: open_privacy(window))
    menu.addAction(privacy_action)
    return backup_action, privacy_action


def open_backups(window: MainWindow) -> BackupDialog:
    dialog = BackupDialog(window.shop, window, tasks=window.tasks)
    dialog.sig_restored.connect(lambda _path: _reload(window))
    dialog.open()
    return dialog


def open_privacy(window: MainWindow) -> PrivacyDialog | None:
    cid = window.counter.customer_panel.customer_id
    if cid is None:
        window.statusBar().showMessage("Find the customer at the counter first.", 4000)
        return None
    dialog = PrivacyDialog(window.shop, cid, window)
    dialog.sig_erased.connect(lambda _cid: _reload(window))
    dialog.open()
    return dialog


def _reload(window: MainWindow) -> None:
    # After a restore or an erasure what the counter shows may be gone or different: start it afresh, and
    # every other screen reloads what it shows.
    window.counter.clear()
    window.signals.sig_settings_changed.emit()
    window.signals.sig_products_changed.emit()
    window.signals.sig_customers_changed.emit()
