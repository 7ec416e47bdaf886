"""A customer's purchase history as table rows (one per line bought), searchable by product and date.

A long history is loaded a page at a time: the screen gives the newest purchases and a function that fetches the
next older page; the view asks for it (canFetchMore/fetchMore) as the cashier scrolls down, and a search, a period
or a sort other than newest first loads what it needs first, so they cover the whole history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from loyalty_app.i18n import N_, _

COL_DATE, COL_PRODUCT, COL_QTY, COL_AMOUNT, COL_STORE, COL_PURCHASE = range(6)
HEADERS = [N_("Date"), N_("Product"), N_("Qty"), N_("Amount"), N_("Store"), N_("Purchase")]
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
NEWEST_FIRST = (COL_DATE, Qt.SortOrder.DescendingOrder)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_DISPLAY, _ALIGNMENT = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.TextAlignmentRole)


@dataclass(frozen=True)
class HistoryRow:
    day: date
    product: str
    sku: str
    qty: int
    returned: int
    amount: str
    store: str
    purchase_id: int
    amount_cents: int = 0
    occurred_at: str = ""  # the purchase's UTC time: the order of purchases within a day


FetchMore = Callable[[int | None], tuple[list[HistoryRow], bool]]
"""Given how many purchases (None: all the rest), the next older rows and whether still older ones remain."""

# What each column sorts by: real numbers and times, not their text ("$9.00" sorts below "$18.00").
_SORT_KEYS: list[Callable[[HistoryRow], Any]] = [
    lambda r: (r.occurred_at, r.day, r.purchase_id), lambda r: r.product.lower(), lambda r: r.qty,
    lambda r: r.amount_cents, lambda r: r.store.lower(), lambda r: r.purchase_id]


class HistoryTableModel(QAbstractTableModel):
    """The rows the table shows: fetched newest first, then filtered (search words, period) and sorted here, not
    by a proxy model, so that painting a row costs one call into Python per role rather than three."""

    def __init__(self, page: int = 25) -> None:
        super().__init__()
        self.page = page  # purchases fetched per scroll
        self._loaded: list[HistoryRow] = []  # newest first, as fetched
        self._rows: list[HistoryRow] = []  # as shown: filtered and sorted
        self._fetch: FetchMore | None = None
        self._order: tuple[int, Qt.SortOrder] = NEWEST_FIRST
        self._words: list[str] = []
        self._since: date | None = None
        self.customer_id: int | None = None  # whose history this is

    def set_rows(self, rows: list[HistoryRow], fetch_more: FetchMore | None = None,
                 customer_id: int | None = None) -> None:
        """A customer's newest rows; ``fetch_more`` (None: these are all) gives older ones when asked. A search,
        a period or a sort in place loads what it needs to see."""
        self.beginResetModel()
        self._loaded, self._fetch, self.customer_id = list(rows), fetch_more, customer_id
        if self._order != NEWEST_FIRST or self._words:
            self._fetch_rest()
        elif self._since is not None:
            self._fetch_since(self._since)
        self._rows = self._shown()
        self.endResetModel()

    def row(self, shown_row: int) -> HistoryRow:
        return self._rows[shown_row]

    def set_search(self, text: str) -> None:
        """Rows whose product name or SKU holds every word; "what was that oil I bought last time?" may be
        years back, so a search loads the whole history first."""
        self.beginResetModel()
        self._words = text.lower().split()
        if self._words:
            self._fetch_rest()
        self._rows = self._shown()
        self.endResetModel()

    def set_since(self, since: date | None) -> None:
        """Rows on or after ``since`` (None: all of them)."""
        self.beginResetModel()
        self._since = since
        if since is not None:
            self._fetch_since(since)
        self._rows = self._shown()
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802 - Qt's name
        return not parent.isValid() and self._fetch is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802 - Qt's name
        if self.canFetchMore(parent):
            self._append(self.page)

    def _append(self, limit: int | None) -> None:
        assert self._fetch is not None
        rows, more = self._fetch(limit)
        if not more:
            self._fetch = None
        # Only ever newest first here (any other order has everything loaded), so new rows go at the end.
        shown = [r for r in rows if self._accepts(r)]
        self._loaded.extend(rows)
        if shown:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(shown) - 1)
            self._rows.extend(shown)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS) or (column, order) == self._order:
            return
        if (column, order) != NEWEST_FIRST and self._fetch is not None:
            self._append(None)  # sorted by amount, or oldest first, means all of it
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [self._rows[p.row()] for p in persistent]
        self._order = (column, order)
        self._rows = self._shown()
        where = {id(r): i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(persistent, [self.index(where[id(r)], p.column())
                                                    for r, p in zip(kept, persistent, strict=True)])
        self.layoutChanged.emit()

    def _fetch_rest(self) -> None:
        if self._fetch is not None:
            rows, _ = self._fetch(None)
            self._loaded.extend(rows)
            self._fetch = None

    def _fetch_since(self, day: date) -> None:
        while self._fetch is not None and (not self._loaded or self._loaded[-1].day >= day):
            rows, more = self._fetch(self.page)
            self._loaded.extend(rows)
            if not more:
                self._fetch = None

    def _accepts(self, row: HistoryRow) -> bool:
        if self._since is not None and row.day < self._since:
            return False
        text = f"{row.product} {row.sku}".lower()
        return all(w in text for w in self._words)

    def _shown(self) -> list[HistoryRow]:
        rows = [r for r in self._loaded if self._accepts(r)] if self._words or self._since else list(self._loaded)
        if self._order == NEWEST_FIRST:
            return rows
        column, order = self._order
        # From the fetched order, stably: the lines of one purchase stay in their order.
        return sorted(rows, key=_SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for seven roles per cell painted; the roles as plain ints: an enum member's lookup costs
        # more than the comparison.
        if role == _DISPLAY:
            return _text(self._rows[index.row()], index.column())
        if role == _ALIGNMENT:
            return _RIGHT if index.column() in (COL_QTY, COL_AMOUNT) else None
        if role == ROW_ROLE:
            return self._rows[index.row()]
        return None

    def column_texts(self, column: int, rows: int) -> set[str]:
        """The distinct texts of ``column`` in the first ``rows`` rows shown, for sizing the column (ui.table_columns):
        read here in one call, not through a model index and data() per cell."""
        return {_text(r, column) for r in self._rows[:rows]}


def _text(row: HistoryRow, column: int) -> str:
    if column == COL_DATE:
        return row.day.isoformat()
    if column == COL_PRODUCT:
        return row.product
    if column == COL_QTY:
        return f"{row.qty}" + (_(" ({count} returned)").format(count=row.returned) if row.returned else "")
    if column == COL_AMOUNT:
        return row.amount
    return row.store if column == COL_STORE else f"#{row.purchase_id}"
