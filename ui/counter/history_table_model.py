"""A customer's purchase history as table rows (one per line bought), searchable by product and date.

A long history is loaded a page at a time: the screen gives the newest purchases and a function that fetches the
next older page; the view asks for it (canFetchMore/fetchMore) as the cashier scrolls down, and a search, a period
or a sort other than newest first loads the rest first, so they cover the whole history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

COL_DATE, COL_PRODUCT, COL_QTY, COL_AMOUNT, COL_STORE, COL_PURCHASE = range(6)
HEADERS = ["Date", "Product", "Qty", "Amount", "Store", "Purchase"]
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
NEWEST_FIRST = (COL_DATE, Qt.SortOrder.DescendingOrder)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


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
    def __init__(self, page: int = 25) -> None:
        super().__init__()
        self.page = page  # purchases fetched per scroll
        self._loaded: list[HistoryRow] = []  # newest first, as fetched
        self._rows: list[HistoryRow] = []  # as shown (sorted)
        self._fetch: FetchMore | None = None
        self._order: tuple[int, Qt.SortOrder] = NEWEST_FIRST
        self.customer_id: int | None = None  # whose history this is

    def set_rows(self, rows: list[HistoryRow], fetch_more: FetchMore | None = None,
                 customer_id: int | None = None) -> None:
        """A customer's newest rows; ``fetch_more`` (None: these are all) gives older ones when asked."""
        self.beginResetModel()
        self._loaded, self._fetch, self.customer_id = list(rows), fetch_more, customer_id
        if self._order != NEWEST_FIRST:
            self._fetch_rest()
        self._rows = self._sorted()
        self.endResetModel()

    def row(self, source_row: int) -> HistoryRow:
        return self._rows[source_row]

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802 - Qt's name
        return not parent.isValid() and self._fetch is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802 - Qt's name
        if self.canFetchMore(parent):
            self._append(self.page)

    def fetch_all(self) -> None:
        """The whole history, for a search or a sort that must see every purchase."""
        if self._fetch is not None:
            self._append(None)

    def fetch_since(self, day: date) -> None:
        """Every row on or after ``day`` (and one page more), for a period filter."""
        while self._fetch is not None and (not self._rows or self._rows[-1].day >= day):
            self._append(self.page)

    def _append(self, limit: int | None) -> None:
        assert self._fetch is not None
        rows, more = self._fetch(limit)
        if not more:
            self._fetch = None
        if rows:  # only ever newest first here: any other order has everything loaded already
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._loaded.extend(rows)
            self._rows.extend(rows)
            self.endInsertRows()

    def _fetch_rest(self) -> None:
        if self._fetch is not None:
            rows, _ = self._fetch(None)
            self._loaded.extend(rows)
            self._fetch = None

    def _sorted(self) -> list[HistoryRow]:
        column, order = self._order
        if self._order == NEWEST_FIRST:
            return list(self._loaded)
        # From the fetched order, stably: the lines of one purchase stay in their order.
        return sorted(self._loaded, key=_SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS) or (column, order) == self._order:
            return
        if (column, order) != NEWEST_FIRST:
            self.fetch_all()  # sorted by amount, or oldest first, means all of it
        self.layoutAboutToBeChanged.emit()
        self._order = (column, order)
        before = {id(r): i for i, r in enumerate(self._rows)}
        self._rows = self._sorted()
        after = {id(r): i for i, r in enumerate(self._rows)}
        moved = {old: after[key] for key, old in before.items()}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(persistent, [self.index(moved[p.row()], p.column()) for p in persistent])
        self.layoutChanged.emit()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            row, column = self._rows[index.row()], index.column()
            if column == COL_DATE:
                return row.day.isoformat()
            if column == COL_PRODUCT:
                return row.product
            if column == COL_QTY:
                return f"{row.qty} ({row.returned} returned)" if row.returned else str(row.qty)
            if column == COL_AMOUNT:
                return row.amount
            return row.store if column == COL_STORE else f"#{row.purchase_id}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if index.column() in (COL_QTY, COL_AMOUNT) else None
        if role == ROW_ROLE:
            return self._rows[index.row()]
        return None


class HistoryFilter(QSortFilterProxyModel):
    """Keeps rows whose product matches the search words and whose date is on or after ``since``; sorting is the
    source's (it loads the rest of a long history first), so the rows keep the order they were fetched in."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self._since: date | None = None

    def history(self) -> HistoryTableModel:
        model = self.sourceModel()
        assert isinstance(model, HistoryTableModel)
        return model

    def fetch_for_filter(self) -> None:
        """After a new history came in: load what the search or the period in place needs to see."""
        if self._words:
            self.history().fetch_all()
        elif self._since is not None:
            self.history().fetch_since(self._since)

    def set_search(self, text: str) -> None:
        words = text.lower().split()
        if words:
            self.history().fetch_all()  # "what was that oil I bought last time?" may be years back
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_since(self, since: date | None) -> None:
        if since is not None:
            self.history().fetch_since(since)
        self.beginFilterChange()
        self._since = since
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.history().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._words and self._since is None:
            return True
        row = self.history().row(source_row)
        text = f"{row.product} {row.sku}".lower()
        return all(w in text for w in self._words) and (self._since is None or row.day >= self._since)
