"""Campaign results as a table: sends, recipients vs. control who bought, and the lift."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from loyalty_app.i18n import N_, _
from ui.rows_table_model import RowsTableModel

Index = QModelIndex | QPersistentModelIndex


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


class CampaignsTableModel(RowsTableModel):
    HEADERS = (N_("Campaign"), N_("Sent"), N_("Failed"), N_("Recipients bought"), N_("Control bought"), N_("Lift"))

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
            "—" if r.lift_points is None else _("{points} points").format(points=f"{r.lift_points:+.1f}"),
        )[index.column()]
