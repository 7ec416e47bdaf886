"""The Shop menu's data-safety entries: Backups… and the current customer's data (export or erase)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from ui.backup_dialog import BackupDialog
from ui.counter.counter_screen import CounterScreen
from ui.privacy_dialog import PrivacyDialog
from ui.signals import AppSignals
from ui.task_runner import TaskRunner


class ShopWindow(Protocol):
    """What these entries need of the main window (named here, so this module need not import it)."""

    shop: Shop
    tasks: TaskRunner
    counter: CounterScreen
    signals: AppSignals

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name


def _widget(window: ShopWindow) -> QWidget | None:
    return window if isinstance(window, QWidget) else None


def add_safety_actions(window: ShopWindow, menu: QMenu) -> tuple[QAction, QAction]:
    """Adds the actions; the window keeps them as ``backup_action`` and ``privacy_action``."""
    backup_action = QAction(_("Backups…"), _widget(window))
    backup_action.triggered.connect(lambda: open_backups(window))
    menu.addAction(backup_action)
    privacy_action = QAction(_("This customer's data (export or erase)…"), _widget(window))
    privacy_action.triggered.connect(lambda: open_privacy(window))
    menu.addAction(privacy_action)
    return backup_action, privacy_action


def open_backups(window: ShopWindow) -> BackupDialog:
    dialog = BackupDialog(window.shop, _widget(window), tasks=window.tasks)
    dialog.sig_restored.connect(lambda _path: _reload(window))
    dialog.open()
    return dialog


def open_privacy(window: ShopWindow) -> PrivacyDialog | None:
    cid = window.counter.customer_panel.customer_id
    if cid is None:
        window.statusBar().showMessage(_("Find the customer at the counter first."), 4000)
        return None
    dialog = PrivacyDialog(window.shop, cid, _widget(window))
    dialog.sig_erased.connect(lambda _cid: _reload(window))
    dialog.open()
    return dialog


def _reload(window: ShopWindow) -> None:
    # After a restore or an erasure what the counter shows may be gone or different: start it afresh, and
    # every other screen reloads what it shows.
    window.counter.clear()
    window.signals.sig_settings_changed.emit()
    window.signals.sig_products_changed.emit()
    window.signals.sig_customers_changed.emit()
