"""The outbox as a table: every email with its status, attempts and the server's reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from loyalty_app.i18n import N_, _
from ui.rows_table_model import RowsTableModel

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


STATUSES = (N_("queued"), N_("sending"), N_("sent"), N_("failed"), N_("cancelled"), N_("bounced"))  # as shown


class OutboxTableModel(RowsTableModel):
    COL_STATUS, COL_TO, COL_SUBJECT, COL_ATTEMPTS, COL_REASON, COL_WHEN = range(6)
    HEADERS = (N_("Status"), N_("To"), N_("Subject"), N_("Attempts"), N_("Reason"), N_("When (shop time)"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, when = self._rows[index.row()]  # (OutboxEmail, its time as the shop reads it)
        if role == ROW_ROLE:
            return row
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = index.column()
        if col == self.COL_STATUS:
            retried = row.status in ("queued", "sent") and row.attempts > 1
            return _(row.status) + (_(" (retried)") if retried else "")
        if col == self.COL_TO:
            name = row.customer_name or ""
            return f"{name} <{row.to_address}>" if name else row.to_address
        if col == self.COL_SUBJECT:
            return row.subject
        if col == self.COL_ATTEMPTS:
            return str(row.attempts)
        if col == self.COL_REASON:
            return row.last_error or ""
        if col == self.COL_WHEN:
            return when
        return None
