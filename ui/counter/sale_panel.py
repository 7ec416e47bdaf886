"""Ringing up a sale: scan or type items, change quantities, redeem points, finish with one key."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.cards import looks_like_card
from loyalty_app.errors import LoyaltyError, NotFound
from loyalty_app.i18n import _, format_number
from loyalty_app.money import format_money
from loyalty_app.points_rules import PointsProgram
from loyalty_app.sales import SaleItem
from loyalty_app.shop import Shop
from ui.counter.basket_table_model import COL_PRODUCT, BasketTableModel
from ui.counter.till_redeem import hold_for_till
from ui.table_columns import fit_columns
from ui.theme import error_style

QTY_PREFIX = re.compile(r"^(\d{1,3})\s*[*xX×]\s*(\S.*)$")


class SalePanel(QWidget):
    sig_sale_finished = Signal(int)
    """A sale was saved (purchase id)."""

    sig_card_scanned = Signal(str)
    """A loyalty card was scanned into the item field (its number): the counter opens its customer."""

    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop
        self.customer_id: int | None = None
        self.balance = 0
        self._program: PointsProgram | None = None  # the program the customer's profile was read with
        self.basket = BasketTableModel(self._money)
        self.item_input = QLineEdit()
        self.item_input.setPlaceholderText(_("Scan or type a SKU, barcode or product name (3*SKU for three) — Enter"))
        self.item_input.setAccessibleName("add item")
        self.item_message = QLabel("")
        self.item_message.setTextFormat(Qt.TextFormat.PlainText)  # it repeats what was typed
        self.item_message.setAccessibleName("item message")
        self.item_message.setStyleSheet(error_style())
        self.product_choices = QListWidget()
        self.product_choices.setAccessibleName("matching products")
        self.product_choices.setMaximumHeight(110)
        self.product_choices.hide()
        self.product_choices.installEventFilter(self)
        self.pending_qty = 1
        self.basket_view = QTableView()
        self.basket_view.setModel(self.basket)
        self.basket_view.setAccessibleName("basket")
        self.basket_view.setToolTip(_("+ / − change the quantity, Delete removes the line (Alt+B to come here)"))
        self.basket_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.basket_view.setTabKeyNavigation(False)  # Tab leaves the basket for the next control (↑↓ move in it)
        self.basket_view.installEventFilter(self)
        self.basket_view.verticalHeader().hide()
        fit_columns(self.basket_view, COL_PRODUCT)
        self.who_label = QLabel(_("Anonymous sale"))
        self.who_label.setTextFormat(Qt.TextFormat.PlainText)  # the customer's name is data, never markup
        self.who_label.setAccessibleName("sale customer")
        self.redeem_spin = QSpinBox()
        self.redeem_spin.setAccessibleName("points to redeem")
        self.redeem_spin.setToolTip(_("Points to redeem on this sale (Alt+R)"))
        self.redeem_label = QLabel("")
        self.redeem_label.setAccessibleName("redemption value")
        self.total_label = QLabel("")
        self.total_label.setAccessibleName("total")
        font = QFont(self.total_label.font())
        font.setPointSize(18)
        font.setBold(True)
        self.total_label.setFont(font)
        self.finish_button = QPushButton(_("Finish sale (F12)"))
        self.finish_button.setToolTip(_("Save the sale and print the slip (F12 or Ctrl+Enter)"))
        self.finish_button.setAccessibleName("finish sale")
        self.status_label = QLabel("")
        self.status_label.setAccessibleName("sale status")
        self.status_label.setWordWrap(True)
        self._layout()
        self.item_input.returnPressed.connect(self._on_item_input_return)
        self.product_choices.itemActivated.connect(self._on_product_choices_activated)
        self.basket.sig_changed.connect(self._refresh)
        self.redeem_spin.valueChanged.connect(self._refresh)
        self.finish_button.clicked.connect(self.finish)
        for key in ("F12", "Ctrl+Return"):
            QShortcut(QKeySequence(key), self, self.finish, context=Qt.ShortcutContext.WindowShortcut)
        QShortcut(QKeySequence("Alt+R"), self, self.redeem_spin.setFocus, context=Qt.ShortcutContext.WindowShortcut)
        QShortcut(QKeySequence("Alt+B"), self, self.focus_basket, context=Qt.ShortcutContext.WindowShortcut)
        self._refresh()

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("<b>Sale</b>")))
        layout.addWidget(self.who_label)
        layout.addWidget(self.item_input)
        layout.addWidget(self.item_message)
        layout.addWidget(self.product_choices)
        layout.addWidget(self.basket_view, 1)
        redeem = QHBoxLayout()
        redeem.addWidget(QLabel(_("Redeem points")))
        redeem.addWidget(self.redeem_spin)
        redeem.addWidget(self.redeem_label, 1)
        layout.addLayout(redeem)
        layout.addWidget(self.total_label)
        layout.addWidget(self.finish_button)
        layout.addWidget(self.status_label)

    def _money(self, cents: int) -> str:
        return format_money(cents, self.shop.ctx.currency)

    def set_customer(self, customer_id: int | None, name: str = "", balance: int = 0,
                     program: PointsProgram | None = None) -> None:
        """The customer the sale is for (None: anonymous) and the points program their profile was read with
        (None: the program in force is read when needed)."""
        self.customer_id, self.balance, self._program = customer_id, balance, program
        self.who_label.setText(_("Sale for {name}").format(name=name) if customer_id else _("Anonymous sale"))
        self._refresh()

    def reset(self) -> None:
        self.basket.clear()
        self.redeem_spin.setValue(0)
        self.item_input.clear()
        self.item_message.clear()
        self.product_choices.hide()
        self.set_customer(None)

    def add_item(self, text: str) -> None:
        """A scanned or typed SKU/barcode, or a name: one match goes in the basket, several are listed."""
        code = text.strip()
        if not code:
            return
        qty = 1
        counted = QTY_PREFIX.match(code)
        if counted and self._is_product(code):
            counted = None  # a SKU that merely looks like a count ("2XL") is that product
        if counted:  # "3*BAS250" or "2 x basil": that many at once
            qty, code = int(counted.group(1)), counted.group(2).strip()
            if qty == 0:
                self._on_item_input_return_error(_("Quantity must be at least 1 for '{code}'").format(code=code))
                return
        self.product_choices.hide()
        try:
            product = self.shop.products.find(code)
        except NotFound:
            matches = [p for p in self.shop.products.search(code) if p.active]
            if len(matches) == 1:
                product = matches[0]
            elif matches:
                self.product_choices.clear()
                for p in matches[:12]:
                    self.product_choices.addItem(f"{p.name} — {self._money(p.price_cents)}  [{p.sku}]")
                    self.product_choices.item(self.product_choices.count() - 1).setData(Qt.ItemDataRole.UserRole,
                                                                                        p.sku)
                self.pending_qty = qty
                self.product_choices.show()
                self.product_choices.setCurrentRow(0)
                self.product_choices.setFocus()
                self.item_message.setStyleSheet("")  # a choice to make, not an error
                self.item_message.setText(_("{count} products match '{code}': pick one with ↑↓ and Enter").format(count=len(matches), code=code))
                return
            elif looks_like_card(code):
                # The next customer's card, scanned while the cursor sat here: it is a lookup, not a product.
                self.item_input.clear()
                self.item_message.clear()
                self.sig_card_scanned.emit(code)
                return
            else:
                self.item_message.setStyleSheet(error_style())
                self.item_message.setText(_("Unknown product '{code}': no SKU, barcode or name matches").format(code=code))
                self.item_input.selectAll()
                return
        if not product.active:
            self.item_message.setStyleSheet(error_style())
            self.item_message.setText(_('{name} is no longer sold (inactive)').format(name=product.name))
            return
        self.basket.add(product.sku, product.name, product.price_cents, qty)
        self.item_message.clear()
        self.item_input.clear()
        self.item_input.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # A scan while the product choices have focus is the next item, not the list's type-ahead.
        if watched is self.basket_view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            row = self.basket_view.currentIndex().row()
            step = {Qt.Key.Key_Plus: 1, Qt.Key.Key_Minus: -1, Qt.Key.Key_Delete: None}.get(Qt.Key(event.key()), 0)
            if row >= 0 and step != 0:
                self.basket.set_qty(row, 0 if step is None else self.basket.rows[row].qty + step)
                if self.basket.rows:
                    self.basket_view.selectRow(min(row, len(self.basket.rows) - 1))
                return True
        if watched is self.product_choices and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if text and text.isprintable() and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
                if self.product_choices.isVisible():
                    self.product_choices.hide()
                    self.item_message.clear()
                    self.item_input.clear()
                    self.item_input.setFocus()
                self.item_input.insert(text)
                return True
            if not self.product_choices.isVisible() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_item_input_return()
                return True
        return super().eventFilter(watched, event)

    def _is_product(self, code: str) -> bool:
        try:
            self.shop.products.find(code)
        except NotFound:
            return False
        return True

    def focus_basket(self) -> None:
        self.basket_view.setFocus()
        if self.basket.rows:  # the line just scanned is the one most often corrected
            self.basket_view.selectRow(len(self.basket.rows) - 1)

    def _on_item_input_return_error(self, text: str) -> None:
        self.item_message.setStyleSheet(error_style())
        self.item_message.setText(text)

    def _on_item_input_return(self) -> None:
        self.add_item(self.item_input.text())

    def _on_product_choices_activated(self) -> None:
        item = self.product_choices.currentItem()
        if item is not None:
            qty, self.pending_qty = self.pending_qty, 1
            self.add_item(f"{qty}*{item.data(Qt.ItemDataRole.UserRole)}")

    def _refresh(self) -> None:
        program = self._program or self.shop.points.program()
        subtotal = self.basket.subtotal_cents()
        most = program.max_redeemable(self.balance, subtotal) if self.customer_id else 0
        usable = most if most >= program.min_redeem_points else 0
        self.redeem_spin.blockSignals(True)
        self.redeem_spin.setSingleStep(program.redeem_step)
        self.redeem_spin.setMaximum(usable)
        self.redeem_spin.blockSignals(False)
        self.redeem_spin.setEnabled(usable > 0)
        points = self.redeem_spin.value()
        discount = program.value_of(points)
        if not self.customer_id:
            self.redeem_label.setText("")
        elif usable == 0:
            self.redeem_label.setText(_("{points} points; redeemable from {minimum}").format(
                points=format_number(self.balance), minimum=format_number(program.min_redeem_points))
                                      if self.balance < program.min_redeem_points else _("add items to redeem"))
        else:
            try:  # the program's own rule (minimum, whole steps) says why before F12 does
                program.check_redemption(points, self.balance, subtotal)
            except LoyaltyError as exc:
                self.redeem_label.setText(str(exc))
                self.redeem_label.setStyleSheet(error_style())
                self.total_label.setText(_('Total {amount}').format(amount=self._money(subtotal)))
                self.finish_button.setEnabled(bool(self.basket.rows))
                return
            self.redeem_label.setStyleSheet("")
            self.redeem_label.setText(_("= {amount} off · {points} points left · at most {usable}").format(
                amount=self._money(discount), points=format_number(self.balance - points), usable=format_number(usable)))
        self.total_label.setText(_('Total {amount}').format(amount=self._money(subtotal - discount)))
        self.finish_button.setEnabled(bool(self.basket.rows))

    def finish(self) -> int | None:
        """Save the sale; the basket empties only when the sale is saved."""
        if not self.basket.rows:
            self.item_message.setStyleSheet(error_style())
            self.item_message.setText(_("The basket is empty: scan an item first"))
            return None
        if hold_for_till(self):  # beside a POS: the sale is rung at the till, only the points are taken here
            return None
        items = [SaleItem(r.sku, r.qty) for r in self.basket.rows]
        try:
            result = self.shop.sales.record_sale(self.customer_id, items, redeem_points=self.redeem_spin.value())
        except LoyaltyError as exc:
            self.status_label.setText(_("Not saved: {error}").format(error=exc))
            return None
        self.status_label.setText(
            _("Sale #{number} saved: {amount}").format(number=result.purchase_id, amount=self._money(result.total_cents))
            + (_(", +{points} points, balance {balance}").format(
                points=format_number(result.points_earned), balance=format_number(result.points_balance or 0))
               if self.customer_id else "")
            + _(".  Ctrl+P: slip"))
        self.balance = result.points_balance or 0
        self.basket.clear()
        self.redeem_spin.setValue(0)
        self.sig_sale_finished.emit(result.purchase_id)
        return result.purchase_id
