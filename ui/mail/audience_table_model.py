"""The proposed audience: who would receive the announcement and why; untick a row to exclude that person."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from loyalty_app.i18n import N_, _

Index = QModelIndex | QPersistentModelIndex


class AudienceTableModel(QAbstractTableModel):
    COL_SEND, COL_NAME, COL_EMAIL, COL_REASON = range(4)
    HEADERS = (N_("Send"), N_("Customer"), N_("Email"), N_("Why"))

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []
        self.excluded: set[int] = set()

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.excluded = set()
        self.endResetModel()

    def row(self, i: int) -> Any:
        return self._rows[i]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.COL_SEND:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == self.COL_SEND:
            return Qt.CheckState.Unchecked if r.customer_id in self.excluded else Qt.CheckState.Checked
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return ("", r.name or f"#{r.customer_id}", r.email, r.reason)[index.column()]

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != self.COL_SEND:
            return False
        cid = self._rows[index.row()].customer_id
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        if checked:
            self.excluded.discard(cid)
        else:
            self.excluded.add(cid)
        self.dataChanged.emit(index, index, [role])
        return True
