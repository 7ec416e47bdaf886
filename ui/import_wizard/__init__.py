"""The import wizard: choose an export, map its columns if needed, preview, import with progress, summary."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from ui.task_runner import TaskRunner


def add_import_action(window: QMainWindow, shop: Shop, tasks: TaskRunner,
                      on_imported: Callable[[], None] = lambda: None) -> QAction:
    """An 'Import sales or customers…' action in the window's Shop (or File) menu, opening the wizard; after
    an import (by the wizard or the watch folder) ``on_imported()`` lets the screens refresh."""
    from ui.import_wizard.import_wizard import ImportWizard

    menus = {a.text().replace("&", ""): m for a in window.menuBar().actions() if isinstance(m := a.menu(), QMenu)}
    menu = menus.get(_("&Shop").replace("&", "")) or menus.get(_("&File").replace("&", ""))
    if menu is None:
        menu = window.menuBar().addMenu(_("&File"))
    action = QAction(_("Import sales or customers…"), window)
    action.setObjectName("import_action")

    def open_wizard() -> None:
        wizard = ImportWizard(shop, window, tasks=tasks)
        wizard.setObjectName("import_wizard")
        wizard.sig_imported.connect(lambda _summary: on_imported())
        wizard.open()

    action.triggered.connect(open_wizard)
    menu.addAction(action)
    from ui.import_wizard.watch_runner import WatchFolderRunner

    runner = WatchFolderRunner(shop, tasks, window)  # imports what is dropped in the watch folder, if one is set
    runner.setObjectName("watch_folder_runner")
    runner.sig_done.connect(lambda: on_imported() if runner.last_results else None)
    return action
