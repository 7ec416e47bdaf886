"""The customer's side of the counter: who they are, points, last basket, refills, suggestions, history."""

from __future__ import annotations

import html
from collections.abc import Collection
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.clock import from_iso
from loyalty_app.counter_view import CounterView
from loyalty_app.i18n import N_, _
from loyalty_app.lookup import COUNTER_HISTORY_PAGE, PurchaseView
from loyalty_app.money import format_money
from loyalty_app.shop import Shop
from loyalty_app.suggestions.results import Suggestion
from ui.counter.history_table_model import (
    COL_DATE,
    COL_PRODUCT,
    ROW_ROLE,
    FetchMore,
    HistoryRow,
    HistoryTableModel,
)
from ui.counter.notes_bar import NotesBar
from ui.table_columns import fit_columns

PERIODS = [(N_("All time"), None), (N_("Last 30 days"), 30), (N_("Last 3 months"), 91), (N_("Last 12 months"), 365)]
HISTORY_PAGE = COUNTER_HISTORY_PAGE
"""Purchases a profile opens with (``lookup.profile(id, history_limit=HISTORY_PAGE)``); the table loads older
ones a page at a time as the cashier scrolls, and all of them for a search, a period or another sort."""


def _big(label: QLabel, size: int) -> QLabel:
    font = QFont(label.font())
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    return label


class CustomerPanel(QWidget):
    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop
        self.customer_id: int | None = None
        self._view: CounterView | None = None
        self._basket: set[str] = set()  # the SKUs of the sale being rung up (the counter keeps it current)
        self.name_label = _big(QLabel(""), 22)
        self.name_label.setAccessibleName("customer name")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.balance_label = _big(QLabel(""), 22)
        self.balance_label.setAccessibleName("points balance")
        self.balance_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.value_label = QLabel("")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.details_label = QLabel("")
        self.details_label.setAccessibleName("member since and last visit")
        self.details_label.setWordWrap(True)  # a narrow window wraps "last visit 5 days ago", never cuts it
        self.last_basket_label = QLabel("")
        self.last_basket_label.setWordWrap(True)
        self.last_basket_label.setAccessibleName("last basket")
        self.refill_label = QLabel("")
        self.refill_label.setAccessibleName("refill due")
        self.suggestions_label = QLabel("")
        self.suggestions_label.setAccessibleName("suggestions")
        self.notes_bar = NotesBar(shop)
        for label in (self.name_label, self.details_label, self.last_basket_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # names and products are data, never markup
        for label in (self.refill_label, self.suggestions_label):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setMinimumHeight(84)
        self.history_search = QLineEdit()
        self.history_search.setPlaceholderText(_("Search what they bought, e.g. basil"))
        self.history_search.setAccessibleName("search history")
        self.history_search.setToolTip(_("Search what they bought (Ctrl+F); Enter moves to the table, F8 returns"))
        self.history_period = QComboBox()
        self.history_period.setAccessibleName("history period")
        for text, days in PERIODS:
            self.history_period.addItem(_(text), days)
        self.history_model = HistoryTableModel(page=HISTORY_PAGE)
        self.history_filter = self.history_model  # what the table shows: the model filters and sorts itself
        self.history_table = QTableView()
        self.history_table.setModel(self.history_model)
        self.history_table.setAccessibleName("purchase history")
        self.history_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.history_table.setTabKeyNavigation(False)  # Tab moves on to the next control, ↑↓ pick a line
        self.history_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.history_table.verticalHeader().hide()
        # A scroll bar that came and went with each customer's history changed the rows' width, and the name
        # column followed on a timer: every row painted twice. Always there, the columns are sized once.
        self.history_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        fit_columns(self.history_table, COL_PRODUCT)
        self.history_table.setSortingEnabled(True)
        self.history_table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)  # newest first, as they ask
        self.edit_button = QPushButton(_("Edit customer… (F4)"))
        self.edit_button.setToolTip(_("Phones, card, email consent, merge (F4)"))
        self.return_button = QPushButton(_("Return… (F8)"))
        self.return_button.setToolTip(_("Return lines of the selected purchase (F8)"))
        self._layout()
        self.history_search.textChanged.connect(self.history_model.set_search)
        self.history_search.returnPressed.connect(self.focus_history)
        self.history_period.currentIndexChanged.connect(self._on_history_period_changed)
        self.clear()

    def _layout(self) -> None:
        top = QGridLayout()
        top.addWidget(self.name_label, 0, 0)
        top.addWidget(self.balance_label, 0, 1)
        top.addWidget(self.details_label, 1, 0)
        top.addWidget(self.value_label, 1, 1)
        top.addWidget(self.last_basket_label, 2, 0, 1, 2)
        top.addWidget(self.notes_bar, 3, 0, 1, 2)
        lists = QHBoxLayout()
        for title, widget in ((_("Due for a refill"), self.refill_label), (_("Suggest"), self.suggestions_label)):
            box = QVBoxLayout()
            box.addWidget(QLabel(f"<b>{title}</b>"))
            box.addWidget(widget)
            lists.addLayout(box)
        search = QHBoxLayout()
        search.addWidget(self.history_search, 3)
        search.addWidget(self.history_period, 1)
        search.addWidget(self.edit_button)
        search.addWidget(self.return_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(lists)
        layout.addLayout(search)
        layout.addWidget(self.history_table, 1)

    def clear(self) -> None:
        self.customer_id = None
        self._view = None
        self.name_label.setText(_("No customer"))
        self.balance_label.setText("")
        self.value_label.setText("")
        self.details_label.setText(_("Find a customer by phone, card or name — or just sell (anonymous sale)."))
        self.last_basket_label.setText("")
        self.refill_label.setText("")
        self.suggestions_label.setText("")
        self.notes_bar.clear()
        self.history_search.clear()
        self.history_model.set_rows([], None, None)
        self.edit_button.setEnabled(False)
        self.return_button.setEnabled(False)

    def show_view(self, view: CounterView) -> None:
        """Paint the customer of ``view``: its texts as they are, the history's first page from its profile."""
        p = view.profile
        self.customer_id = view.customer_id
        self.name_label.setText(view.name)
        self.balance_label.setText(view.balance)
        self.value_label.setText(view.worth)
        self.details_label.setText(view.details)
        self.last_basket_label.setText(view.last_basket)
        self.notes_bar.show_view(view)
        self._view = view
        self._show_hints()
        if self.history_model.customer_id != p.id:  # the next customer starts newest first again
            self.history_table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        rows = self._history_rows(p.history)
        more = len(p.history) >= HISTORY_PAGE
        self.history_model.set_rows(rows, self._older_than(p.id, p.history[-1]) if more else None, p.id)
        self.history_table.doItemsLayout()  # now, not on a timer after the first paint (a second paint)
        self.edit_button.setEnabled(True)
        self.return_button.setEnabled(bool(rows))

    def _history_rows(self, purchases: tuple[PurchaseView, ...]) -> list[HistoryRow]:
        money = lambda c: format_money(c, self.shop.ctx.currency)  # noqa: E731
        zone = self.shop.ctx.zone
        rows: list[HistoryRow] = []
        for h in purchases:
            day, store = from_iso(h.occurred_at).astimezone(zone).date(), h.store or ""
            rows.extend(HistoryRow(day, ln.name, ln.sku, ln.qty, ln.returned_qty, money(ln.net_cents), store,
                                   h.purchase_id, ln.net_cents, h.occurred_at) for ln in h.lines)
        return rows

    def _older_than(self, customer_id: int, last: PurchaseView) -> FetchMore:
        """What the table calls for the purchases before ``last``, a page (or the rest) at a time."""
        cursor = [last]

        def fetch(limit: int | None) -> tuple[list[HistoryRow], bool]:
            page = self.shop.lookup.history_page(customer_id, cursor[0], limit)
            if page:
                cursor[0] = page[-1]
            return self._history_rows(page), limit is not None and len(page) >= limit

        return fetch

    def show_basket(self, skus: Collection[str]) -> None:
        """The sale's basket changed: what is in it is never suggested, and the suggestions go with it."""
        if set(skus) != self._basket:
            self._basket = set(skus)
            self._show_hints()

    def _show_hints(self) -> None:
        v = self._view
        if v is None:
            return
        self.refill_label.setText("<br>".join(
            f"<b>{html.escape(r.name)}</b> — "
            + (_("✓ in the basket") if r.sku in self._basket else html.escape(r.reason))
            for r in v.refills) or _("Nothing due today"))
        # A refill already listed on the left is not repeated as a suggestion on the right, nor is anything
        # already in the basket.
        shown = {r.sku for r in v.refills} | self._basket
        ideas = [(s.sku, s.name, s.reason) for s in v.suggestions]
        if self._basket:
            ideas = [(s.sku, s.name, s.reason) for s in self._for_basket(v.customer_id)] or ideas
        picked = [(name, reason) for sku, name, reason in ideas if sku not in shown][:3]
        self.suggestions_label.setText("<br>".join(
            f"<b>{html.escape(name)}</b> — {html.escape(reason)}" for name, reason in picked)
            or _("No suggestion today"))

    def _for_basket(self, customer_id: int) -> list[Suggestion]:
        try:  # ranked around the basket ("often bought with …"); a nicety that must never stop the sale
            return self.shop.suggestions.for_customer(customer_id, sorted(self._basket), limit=6)
        except Exception:  # noqa: BLE001 - the profile's own suggestions, filtered, are still shown
            return []

    def focus_history(self) -> None:
        """Into the table, first row picked, so ↑↓ then F8 returns from the keyboard."""
        self.history_table.setFocus()
        if self.history_model.rowCount() and not self.history_table.currentIndex().isValid():
            self.history_table.selectRow(0)

    def search_history(self) -> None:
        self.history_search.setFocus()
        self.history_search.selectAll()

    def selected_purchase_id(self) -> int | None:
        index = self.history_table.currentIndex()
        if not index.isValid():
            return None
        row: HistoryRow = self.history_model.index(index.row(), 0).data(ROW_ROLE)
        return row.purchase_id

    def selected_sku(self) -> str | None:
        """The product of the history line picked (the return dialog starts on it)."""
        index = self.history_table.currentIndex()
        if not index.isValid():
            return None
        return self.history_model.row(index.row()).sku

    def _on_history_period_changed(self) -> None:
        days = self.history_period.currentData()
        today = self.shop.ctx.now().astimezone(self.shop.ctx.zone).date()
        self.history_model.set_since(None if days is None else today - timedelta(days=int(days)))
