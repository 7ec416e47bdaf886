"""A customer's purchase history as table rows (one per line bought), searchable by product and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from loyalty_app.i18n import N_, _

COL_DATE, COL_PRODUCT, COL_QTY, COL_AMOUNT, COL_STORE, COL_PURCHASE = range(6)
HEADERS = [N_("Date"), N_("Product"), N_("Qty"), N_("Amount"), N_("Store"), N_("Purchase")]
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


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


class HistoryTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[HistoryRow] = []

    def set_rows(self, rows: list[HistoryRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:  # real numbers and dates, not their text ("$9.00" sorts below "$18.00")
            return [f"{row.day.isoformat()} {row.purchase_id:012d}", row.product.lower(), row.qty,
                    row.amount_cents, row.store.lower(), row.purchase_id][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return [row.day.isoformat(), row.product,
                    f"{row.qty}" + (_(" ({count} returned)").format(count=row.returned) if row.returned else ""),
                    row.amount, row.store, f"#{row.purchase_id}"][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (COL_QTY, COL_AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class HistoryFilter(QSortFilterProxyModel):
    """Keeps rows whose product matches the search words and whose date is on or after ``since``."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self._words: list[str] = []
        self._since: date | None = None

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_since(self, since: date | None) -> None:
        self.beginFilterChange()
        self._since = since
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        row: HistoryRow = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        text = f"{row.product} {row.sku}".lower()
        return all(w in text for w in self._words) and (self._since is None or row.day >= self._since)
