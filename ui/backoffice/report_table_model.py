"""A report table (columns with kinds, rows of values) as a Qt table model; sorting sees the raw values."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from loyalty_app.reports.export import NUMERIC_KINDS, format_value
from loyalty_app.reports.model import ReportTable

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class ReportTableModel(QAbstractTableModel):
    def __init__(self, currency: str = "USD") -> None:
        super().__init__()
        self.currency = currency
        self.table: ReportTable | None = None

    def set_table(self, table: ReportTable | None, currency: str | None = None) -> None:
        self.beginResetModel()
        self.table = table
        if currency:
            self.currency = currency
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or not index.isValid():
            return None
        col = self.table.columns[index.column()]
        value = self.table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(col.kind, value, self.currency)
        if role == SORT_ROLE:
            if col.kind in NUMERIC_KINDS:
                return value if isinstance(value, int) else (10**12 if value else -(10**12))
            return str(value or "").lower()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            h = Qt.AlignmentFlag.AlignRight if col.kind in NUMERIC_KINDS else Qt.AlignmentFlag.AlignLeft
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return self.table.rows[index.row()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.table.columns[section].title
        return str(section + 1)
