"""Campaign results as a table: sends, recipients vs. control who bought, and the lift."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


class CampaignsTableModel(QAbstractTableModel):
    HEADERS = ("Campaign", "Sent", "Failed", "Recipients bought", "Control bought", "Lift")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
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
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self._rows[index.row()]
        return (
            f"{r.title} ({r.sku})" if r.sku else r.title,
            str(r.sent),
            str(r.failed),
            f"{r.recipients_converted}/{r.recipients} ({_pct(r.recipient_rate)})",
            f"{r.control_converted}/{r.control} ({_pct(r.control_rate)})",
            "—" if r.lift_points is None else f"{r.lift_points:+.1f} points",
        )[index.column()]
