"""The main window: the counter, with room for the back-office screens as tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from loyalty_app import __version__, jobs
from loyalty_app.i18n import N_, _
from loyalty_app.shop import Shop
from ui.backoffice.backoffice_screen import BackOfficeScreen
from ui.counter.counter_screen import CounterScreen
from ui.data_safety_menu import add_safety_actions
from ui.import_wizard import add_import_action
from ui.mail.mail_tab import MailTab
from ui.pos_dialog import PosDialog
from ui.pos_runner import install as install_pos
from ui.sign_in_dialog import SignInDialog
from ui.signals import AppSignals
from ui.slip_dialog import SlipDialog
from ui.sync_dialog import SyncDialog
from ui.sync_runner import SyncRunner
from ui.task_runner import Outcome, Task, TaskRunner

ROLES = (N_("cashier"), N_("owner"))  # a staff role as the window names it


class MainWindow(QMainWindow):
    def __init__(self, shop: Shop, *, ask_sign_in: bool = False) -> None:
        super().__init__()
        self.shop = shop
        # At a real counter nobody sells before signing in (so every write records who did it); tests and
        # screenshots build the window without that lock.
        self.require_sign_in = ask_sign_in
        self.signals = AppSignals()
        self.tasks = TaskRunner(self)
        self.setWindowTitle(_('Loyalty Desk — {shop_name}').format(shop_name=shop.ctx.shop_name))
        self.resize(1280, 800)
        self.tabs = QTabWidget()
        self.counter = CounterScreen(shop)
        self.tabs.addTab(self.counter, _("Counter"))
        self.setCentralWidget(self.tabs)
        self.backoffice = BackOfficeScreen(shop, self.tasks)
        self.tabs.addTab(self.backoffice, _("Back office"))
        self.staff_label = QLabel("")
        self.staff_label.setAccessibleName("signed in staff")
        self.statusBar().addPermanentWidget(self.staff_label)
        self.counter.sig_customer_changed.connect(self.signals.sig_customer_changed)
        self.counter.sale_panel.sig_sale_finished.connect(self.signals.sig_sale_recorded)
        self.counter.sale_panel.sig_sale_finished.connect(self._on_sale_panel_finished)
        self.slip_dialog: SlipDialog | None = None
        self._menus()
        self.import_action = add_import_action(self, shop, self.tasks, on_imported=self._on_data_imported)
        self._show_staff()
        self.sync_label = QLabel("")
        self.sync_label.setAccessibleName("other stores")
        self.statusBar().addWidget(self.sync_label, 1)
        self.sync_runner = SyncRunner(shop, self.tasks, self)
        self.sync_runner.sig_status.connect(self.sync_label.setText)
        self.sync_runner.sig_synced.connect(self._on_sync_runner_synced)
        self.sync_runner.start()
        self.pos_puller = install_pos(self, shop, self.tasks)
        self.pos_puller.sig_pulled.connect(self._on_sync_runner_synced)
        self.mail = MailTab(shop, self.tasks)
        self.add_tab(self.mail, _("Email"))
        self._listen()
        if ask_sign_in:
            self.switch_staff()

    def _listen(self) -> None:
        """A write made through one screen reaches the others: each open screen refreshes what it shows."""
        s = self.signals
        for changed in (s.sig_customer_changed, s.sig_customers_changed, s.sig_products_changed,
                        s.sig_settings_changed):
            changed.connect(self.counter.refresh_shown)
        s.sig_products_changed.connect(self.mail.compose.reload_products)
        s.sig_settings_changed.connect(self._on_settings_changed)
        self.mail.sig_settings_saved.connect(s.sig_settings_changed)
        self.backoffice.sig_unlocked.connect(self._on_backoffice_unlocked)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.backoffice:
            self.backoffice.open_for(self.shop.ctx.actor)

    def _on_backoffice_unlocked(self, _owner: str) -> None:
        bo, s = self.backoffice, self.signals
        bo.products.sig_products_changed.connect(s.sig_products_changed)
        s.sig_products_changed.connect(bo.products.reload)  # e.g. new products filed by an import
        bo.program.sig_program_saved.connect(s.sig_settings_changed)
        bo.cards.sig_printed.connect(self._on_cards_printed)

    def _on_cards_printed(self, _path: str) -> None:
        self.signals.sig_customers_changed.emit()  # customers without a card were given a number

    def _on_data_imported(self) -> None:
        self.signals.sig_customers_changed.emit()
        self.signals.sig_products_changed.emit()

    def _on_settings_changed(self) -> None:
        self.setWindowTitle(_('Loyalty Desk — {shop_name}').format(shop_name=self.shop.ctx.shop_name))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.sync_runner.stop()
        self.pos_puller.stop()
        self.tasks.shutdown()
        super().closeEvent(event)

    def run_startup_checks(self) -> Task:
        """The start-up job in the background: the file's quick check, then the day's expiry and backup."""
        path = self.shop.path
        return self.tasks.submit("start-up checks", lambda cancelled: jobs.startup(path, cancelled), writes=True,
                                 on_done=self._on_startup_done, on_failed=self._on_startup_done)

    def _on_startup_done(self, outcome: Outcome) -> None:
        report = outcome.value if isinstance(outcome.value, jobs.StartupReport) else None
        if report is not None and report.damaged:
            self.damage_warning = QMessageBox(QMessageBox.Icon.Critical, _("The shop's file is damaged"),
                                              report.damaged + _("\n\nKeep this window open only to look things up; "
                                                                 "restore it from Shop ▸ Backups…"), parent=self)
            self.damage_warning.setAccessibleName("damaged file warning")
            self.damage_warning.open()
            self.statusBar().showMessage(_("The shop's file is damaged: restore the latest good backup."))
        elif outcome.error or (report is not None and report.problem):
            self.statusBar().showMessage(_("Start-up job: {problem}").format(
                problem=outcome.error or (report.problem if report else "")),
                                         15000)

    def add_tab(self, widget: QWidget, title: str) -> None:
        """Back-office screens join the window here."""
        self.tabs.addTab(widget, title)

    def _menus(self) -> None:
        shop_menu = self.menuBar().addMenu(_("&Shop"))
        for text, key, slot in ((_("Switch cashier…"), "Ctrl+Shift+L", self.switch_staff),
                                (_("Slip of the last sale…"), "Ctrl+P", self.show_last_slip)):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            # Window-wide, not application-wide: the slip dialog's own Ctrl+P (print) must not be ambiguous.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(f"{text.rstrip('…')} ({key})")
            action.triggered.connect(slot)
            shop_menu.addAction(action)
        connect = QAction(_("Connect to the other stores…"), self)
        connect.triggered.connect(self.connect_stores)
        shop_menu.addAction(connect)
        pos = QAction(_("POS connection…"), self)
        pos.triggered.connect(self.pos_connections)
        shop_menu.addAction(pos)
        self.shop_menu = shop_menu
        self.backup_action, self.privacy_action = add_safety_actions(self, shop_menu)
        help_menu = self.menuBar().addMenu(_("&Help"))
        about = QAction(_("About Loyalty Desk"), self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, _("About Loyalty Desk"),
            _("Loyalty Desk {version}\nA loyalty program for specialty shops.").format(version=__version__)))
        help_menu.addAction(about)

    def connect_stores(self) -> SyncDialog:
        dialog = SyncDialog(self.shop, self)
        dialog.accepted.connect(self.signals.sig_settings_changed)
        dialog.accepted.connect(self.sync_runner.start)
        dialog.open()
        return dialog

    def pos_connections(self) -> PosDialog:
        """The POS connections (owner): their state, connect one, pull now."""
        dialog = PosDialog(self.shop, self.pos_puller, self)
        dialog.open()
        return dialog

    def _on_sync_runner_synced(self) -> None:
        self.signals.sig_customers_changed.emit()  # the other stores' changes: the counter shows them
        self.signals.sig_products_changed.emit()

    def switch_staff(self) -> SignInDialog:
        """Sign in at the start of a shift, or hand the counter to another cashier (Ctrl+Shift+L)."""
        dialog = SignInDialog(self.shop, self)
        dialog.accepted.connect(self._on_sign_in_accepted)
        dialog.open()
        return dialog

    def _on_sign_in_accepted(self) -> None:
        self._show_staff()
        actor = self.shop.ctx.actor
        self.backoffice.staff_changed(actor)
        if self.tabs.currentWidget() is self.backoffice:
            self.backoffice.open_for(actor)
        if actor is not None:
            self.signals.sig_staff_changed.emit(actor.name)
        self.counter.focus_lookup()

    def _on_sale_panel_finished(self, purchase_id: int) -> None:
        # The slip follows the sale: Enter prints, Ctrl+S saves, Esc closes and the counter is ready again.
        previous, self.slip_dialog = self.slip_dialog, None
        if previous is not None:
            previous.close()
        slip = self.show_last_slip()
        if slip is not None:
            slip.finished.connect(lambda _=0: self._on_slip_finished(slip))
        self.slip_dialog = slip

    def _on_slip_finished(self, slip: SlipDialog) -> None:
        # When the sale's slip closes the customer has gone: the next walk-in's sale must not go to them. (A slip
        # closed because the next sale's replaces it leaves that sale's customer on screen.)
        if slip is self.slip_dialog:
            self.counter.clear()

    def _show_staff(self) -> None:
        actor = self.shop.ctx.actor
        self.staff_label.setText(_("Signed in: {name} ({role})").format(name=actor.name, role=_(actor.role)) if actor
                                 else _("Not signed in — Ctrl+Shift+L to sign in"))
        self.counter.setEnabled(actor is not None or not self.require_sign_in)

    def _on_slip_next_customer(self, first: str) -> None:
        self.counter.lookup_input.setText(first)
        self.counter.lookup_input.setFocus()

    def show_last_slip(self) -> SlipDialog | None:
        pid = getattr(self.counter, "last_purchase_id", None)
        if pid is None:
            self.statusBar().showMessage(_("No sale yet on this counter."), 4000)
            return None
        dialog = SlipDialog(self.shop, pid, parent=self)
        dialog.finished.connect(lambda _=0: self.counter.focus_lookup())
        dialog.sig_next_customer.connect(self._on_slip_next_customer)
        dialog.open()
        return dialog
