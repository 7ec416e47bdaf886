"""Campaign results as a table: sends, recipients vs. control who bought, the lift, and who unsubscribed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ui.rows_table_model import RowsTableModel

Index = QModelIndex | QPersistentModelIndex


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


class CampaignsTableModel(RowsTableModel):
    HEADERS = ("Campaign", "Sent", "Failed", "Recipients bought", "Control bought", "Lift", "Unsubscribed")

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
            str(r.unsubscribes),
        )[index.column()]
