"""The counter: one always-ready lookup field, the customer on the left, the sale on the right."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.counter_view import CounterView, counter_view
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _, format_number
from loyalty_app.lookup import LookupResult
from loyalty_app.money import format_money
from loyalty_app.phones import display_phone, mask_phone
from loyalty_app.shop import Shop
from ui.counter.customer_panel import HISTORY_PAGE, CustomerPanel
from ui.counter.edit_customer_dialog import EditCustomerDialog
from ui.counter.layout_fence import LayoutFence
from ui.counter.return_dialog import ReturnDialog
from ui.counter.sale_panel import SalePanel
from ui.counter.signup_dialog import SignupDialog
from ui.theme import error_style

LIST_LIMIT = 20  # customers listed for a name; more say how many there are and how to narrow


class CounterScreen(QWidget):
    sig_customer_changed = Signal(int)
    """A customer was written to here (signed up, sold to, edited, returned)."""

    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop
        self.pending_phone: str | None = None
        self._announcing = False  # while this screen tells the others, it does not reload from its own news
        self.lookup_input = QLineEdit()
        self.lookup_input.setPlaceholderText(_("Phone, card or name — Enter   (Esc: next customer)"))
        self.lookup_input.setAccessibleName("find customer")
        self.lookup_input.setToolTip(_("Type or scan; Enter finds (F2 to come back here)"))
        font = self.lookup_input.font()
        font.setPointSize(16)
        self.lookup_input.setFont(font)
        self.lookup_message = QLabel("")
        self.lookup_message.setAccessibleName("lookup message")
        self.lookup_message.setWordWrap(True)
        self.signup_button = QPushButton(_("Sign up (F3)"))
        self.signup_button.setToolTip(_("Sign up a new customer (F3)"))
        self.matches_list = QListWidget()
        self.matches_list.setAccessibleName("matching customers")
        self.matches_list.setMaximumHeight(140)
        self.matches_list.hide()
        self.matches_list.installEventFilter(self)
        self.customer_panel = CustomerPanel(shop)
        self.sale_panel = SalePanel(shop)
        self._layout()
        self.lookup_input.returnPressed.connect(self._on_lookup_input_return)
        self.matches_list.itemActivated.connect(self._on_matches_list_activated)
        self.signup_button.clicked.connect(self.sign_up)
        self.customer_panel.edit_button.clicked.connect(self.edit_customer)
        self.customer_panel.return_button.clicked.connect(self.return_selected)
        self.sale_panel.sig_sale_finished.connect(self._on_sale_panel_finished)
        self.sale_panel.sig_card_scanned.connect(self._on_sale_panel_card_scanned)
        self.customer_panel.notes_bar.sig_saved.connect(self._announce)
        self.sale_panel.basket.sig_changed.connect(self._on_basket_changed)
        for key, slot in (("Esc", self.clear), ("F2", self.focus_lookup), ("F3", self.sign_up),
                          ("F4", self.edit_customer), ("F8", self.return_selected),
                          ("Ctrl+F", self.customer_panel.search_history)):
            QShortcut(QKeySequence(key), self, slot, context=Qt.ShortcutContext.WindowShortcut)
        # Tab follows the work: find, ring up, redeem, finish; then the customer's side as it reads on screen (tags,
        # notes), the row above the history (search, period, edit, return), the history, and back up to Sign up.
        chain = [self.lookup_input, self.sale_panel.item_input, self.sale_panel.basket_view,
                 self.sale_panel.redeem_spin, self.sale_panel.finish_button, self.customer_panel.notes_bar.tags_input,
                 self.customer_panel.notes_bar.notes_input, self.customer_panel.history_search,
                 self.customer_panel.history_period, self.customer_panel.edit_button,
                 self.customer_panel.return_button, self.customer_panel.history_table, self.signup_button]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.lookup_input, 1)
        bar.addWidget(self.signup_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(bar)
        lv.addWidget(self.lookup_message)
        lv.addWidget(self.matches_list)
        lv.addWidget(self.customer_panel, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.sale_panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([840, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(LayoutFence(split))  # a new customer relays out the counter, not the whole window

    # -- intent-level actions (tests drive these and the keys) ----------------------------------------
    def focus_lookup(self) -> None:
        self.lookup_input.setFocus()
        self.lookup_input.selectAll()

    def lookup(self, text: str) -> None:
        """Find by phone (any format), card or name; one match opens, several list, none offers sign-up."""
        self.matches_list.hide()
        self.pending_phone = None
        self.lookup_message.setStyleSheet("")
        try:
            result = self.shop.lookup.find(text, limit=LIST_LIMIT)
        except LoyaltyError as exc:
            # Whoever was on screen is not the person at the counter now: never sell to them by mistake.
            self.customer_panel.clear()
            self.sale_panel.set_customer(None)
            self._say(str(exc), error=True)
            if "lost" in str(exc):
                self._say(_("{error}. Ask for their phone number and type it here.").format(error=exc), error=True)
            return
        if not result.matches:
            if result.phone:
                self.pending_phone = result.phone
                shown = display_phone(result.phone, self.shop.ctx.region)
                self._say(_("No customer with {phone}. F3 or Sign up to add them.").format(phone=shown))
                self.signup_button.setText(_("Sign up {phone} (F3)").format(phone=shown))
            else:
                self._say(_("No customer matches '{text}'.").format(text=text.strip()) if text.strip() else "")
            self.customer_panel.clear()
            self.sale_panel.set_customer(None)
            return
        if len(result.matches) == 1:
            self.open_customer(result.matches[0].id)
            return
        self.matches_list.clear()
        for c in result.matches:
            phones = self._match_phones(result, c.id)
            self.matches_list.addItem(_("{name} — {phones} — {points} points").format(
                name=c.name or _("(no name)"), phones=phones, points=format_number(c.points_balance)))
            self.matches_list.item(self.matches_list.count() - 1).setData(Qt.ItemDataRole.UserRole, c.id)
        self.matches_list.show()
        self.matches_list.setCurrentRow(0)
        self.matches_list.setFocus()
        total = self.shop.lookup.count_matches(text) if len(result.matches) >= LIST_LIMIT else len(result.matches)
        if total > len(result.matches):
            self._say(_("{total} customers match '{text}': the first {listed} are listed (↑↓ and Enter to pick). "
                        "Type more of the name, or the phone or card, to narrow it down.").format(
                total=format_number(total), text=text.strip(), listed=len(result.matches)))
        else:
            self._say(_("{count} customers match: ↑↓ and Enter to pick").format(count=total))

    def _match_phones(self, result: LookupResult, customer_id: int) -> str:
        """How a match's phone is listed: found by its last four digits, only that phone, the rest hidden."""
        region = self.shop.ctx.region
        if customer_id in result.matched_phones:
            return mask_phone(result.matched_phones[customer_id], region)
        return ", ".join(display_phone(p, region) for p in self.shop.customers.phones(customer_id))

    def open_customer(self, customer_id: int) -> None:
        view = self._view_of(customer_id)
        self.matches_list.hide()
        self.signup_button.setText(_("Sign up (F3)"))
        self._say("")
        self._paint(view)
        self.sale_panel.item_input.setFocus()
        # Lay the new profile out now, so that the next paint is the only one: each level of layouts asks the
        # one above it (panel, column, splitter, fence), a posted event each.
        for _pass in range(4):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def refresh_shown(self, customer_id: int | None = None) -> None:
        """Something changed elsewhere (this customer, or anything when None): the profile and the sale's points
        follow, while the basket and the focus stay where they are."""
        cid = self.customer_panel.customer_id
        if self._announcing or cid is None or customer_id not in (None, cid):
            return
        try:
            view = self._view_of(cid)
        except LoyaltyError:  # merged into another customer or erased meanwhile: nobody to sell to by mistake
            self.customer_panel.clear()
            self.sale_panel.set_customer(None)
            return
        self._paint(view)

    def _view_of(self, customer_id: int) -> CounterView:
        """The customer's profile, read once with the points program, as the panels show it."""
        return counter_view(self.shop.lookup.counter_profile(customer_id, history_limit=HISTORY_PAGE), self.shop.ctx)

    def _paint(self, view: CounterView) -> None:
        self.customer_panel.show_view(view)
        self.sale_panel.set_customer(view.customer_id, view.sale_name, view.points_balance, view.program)

    def clear(self) -> None:
        """Esc: ready for the next customer."""
        self.pending_phone = None
        self.lookup_input.clear()
        self.matches_list.hide()
        self._say("")
        self.signup_button.setText(_("Sign up (F3)"))
        self.customer_panel.clear()
        self.sale_panel.reset()
        self.lookup_input.setFocus()

    def sign_up(self) -> SignupDialog:
        dialog = SignupDialog(self.shop, self.pending_phone and display_phone(self.pending_phone,
                                                                              self.shop.ctx.region) or "", self)
        dialog.accepted.connect(lambda: self._after_signup(dialog))
        dialog.open()
        return dialog

    def edit_customer(self) -> EditCustomerDialog | None:
        if self.customer_panel.customer_id is None:
            return None
        dialog = EditCustomerDialog(self.shop, self.customer_panel.customer_id, self)
        dialog.finished.connect(lambda _=0: self._refresh_customer())
        dialog.open()
        return dialog

    def return_selected(self) -> ReturnDialog | None:
        pid = self.customer_panel.selected_purchase_id()
        if pid is None:
            self._say(_("Pick the purchase in the history first (click or ↑↓ in the table)."), error=True)
            return None
        dialog = ReturnDialog(self.shop, pid, self, picked_sku=self.customer_panel.selected_sku())
        dialog.accepted.connect(lambda: self._after_return(dialog))
        dialog.open()
        return dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Typing (or a scanner burst) while the list of matches has focus is a new lookup, not the list's
        # type-ahead search, which would open whoever's name starts with those digits.
        if watched is self.matches_list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if text and text.isprintable() and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
                if self.matches_list.isVisible():  # the burst's first key: start a fresh lookup
                    self.matches_list.hide()
                    self.lookup_input.clear()
                    self.lookup_input.setFocus()
                self.lookup_input.insert(text)
                return True
            if not self.matches_list.isVisible() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_lookup_input_return()  # keys already on their way when the list went away
                return True
        return super().eventFilter(watched, event)

    # -- slots -----------------------------------------------------------------------------------------
    def _after_signup(self, dialog: SignupDialog) -> None:
        if dialog.customer_id is not None:
            self.open_customer(dialog.customer_id)
            self._announce(dialog.customer_id)

    def _after_return(self, dialog: ReturnDialog) -> None:
        self._refresh_customer()
        r = dialog.result_data
        if r is not None:  # the status line tells the new balance, not the last sale's
            parts = [_("Return on sale #{number} saved: refund {amount}").format(
                number=r.purchase_id, amount=format_money(r.refund_cents, self.shop.ctx.currency))]
            if r.points_reversed:
                parts.append(_("−{points} points").format(points=format_number(r.points_reversed)))
            if r.points_restored:
                parts.append(_("+{points} redeemed points back").format(points=format_number(r.points_restored)))
            if r.points_balance is not None:
                parts.append(_("balance {points}").format(points=format_number(r.points_balance)))
            self.sale_panel.status_label.setText(", ".join(parts) + ".")

    def _refresh_customer(self) -> None:
        cid = self.customer_panel.customer_id
        if cid is not None:
            self.open_customer(self.shop.customers.get(cid).id)
            self._announce(cid)

    def _announce(self, customer_id: int) -> None:
        self._announcing = True
        try:
            self.sig_customer_changed.emit(customer_id)
        finally:
            self._announcing = False

    def _on_lookup_input_return(self) -> None:
        self.lookup(self.lookup_input.text())

    def _on_matches_list_activated(self) -> None:
        item = self.matches_list.currentItem()
        if item is not None:
            self.open_customer(int(item.data(Qt.ItemDataRole.UserRole)))

    def _on_basket_changed(self) -> None:
        self.customer_panel.show_basket([r.sku for r in self.sale_panel.basket.rows])

    def _on_sale_panel_card_scanned(self, number: str) -> None:
        self.lookup_input.setText(number)
        self.lookup(number)

    def _on_sale_panel_finished(self, purchase_id: int) -> None:
        self.last_purchase_id = purchase_id
        if self.customer_panel.customer_id is not None:
            self._refresh_customer()

    def _say(self, text: str, error: bool = False) -> None:
        self.lookup_message.setStyleSheet(error_style() if error else "")
        self.lookup_message.setText(text)
