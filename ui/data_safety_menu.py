"""The Shop menu's data-safety entries: Backups… and the current customer's data (export or erase)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ui.backup_dialog import BackupDialog
from ui.privacy_dialog import PrivacyDialog


def add_safety_actions(window: Any, menu: QMenu) -> None:
    """Adds the actions and keeps them on the window as ``backup_action`` and ``privacy_action``."""
    window.backup_action = QAction("Backups…", window)
    window.backup_action.triggered.connect(lambda: open_backups(window))
    menu.addAction(window.backup_action)
    window.privacy_action = QAction("This customer's data (export or erase)…", window)
    window.privacy_action.triggered.connect(lambda: open_privacy(window))
    menu.addAction(window.privacy_action)


def open_backups(window: Any) -> BackupDialog:
    dialog = BackupDialog(window.shop, window, tasks=window.tasks)
    dialog.sig_restored.connect(lambda _path: _reload(window))
    dialog.open()
    return dialog


def open_privacy(window: Any) -> PrivacyDialog | None:
    cid = window.counter.customer_panel.customer_id
    if cid is None:
        window.statusBar().showMessage("Find the customer at the counter first.", 4000)
        return None
    dialog = PrivacyDialog(window.shop, cid, window)
    dialog.sig_erased.connect(lambda _cid: _reload(window))
    dialog.open()
    return dialog


def _reload(window: Any) -> None:
    # After a restore or an erasure what the counter shows may be gone or different: start it afresh.
    window.counter.clear()
    window.setWindowTitle(f"Loyalty Desk — {window.shop.ctx.shop_name}")
