"""The outbox as a table: every email with its status, attempts and the server's reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class OutboxTableModel(QAbstractTableModel):
    COL_STATUS, COL_TO, COL_SUBJECT, COL_ATTEMPTS, COL_REASON, COL_WHEN = range(6)
    HEADERS = ("Status", "To", "Subject", "Attempts", "Reason", "When (shop time)")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = index.column()
        if col == self.COL_STATUS:
            retried = row["status"] in ("queued", "sent") and row["attempts"] > 1
            return row["status"] + (" (retried)" if retried else "")
        if col == self.COL_TO:
            name = row.get("customer_name") or ""
            return f"{name} <{row['to_address']}>" if name else row["to_address"]
        if col == self.COL_SUBJECT:
            return row["subject"]
        if col == self.COL_ATTEMPTS:
            return str(row["attempts"])
        if col == self.COL_REASON:
            return row["last_error"] or ""
        if col == self.COL_WHEN:
            return row.get("when", "")
        return None
