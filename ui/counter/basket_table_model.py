"""The basket of the sale being rung up: product, quantity (editable), amount."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from loyalty_app.i18n import N_, _

COL_PRODUCT, COL_QTY, COL_PRICE, COL_AMOUNT = range(4)
HEADERS = [N_("Product"), N_("Qty"), N_("Price"), N_("Amount")]


@dataclass(frozen=True)
class BasketRow:
    sku: str
    name: str
    qty: int
    unit_cents: int


class BasketTableModel(QAbstractTableModel):
    sig_changed = Signal()
    """The basket's lines or quantities changed."""

    def __init__(self, money: Any) -> None:
        super().__init__()
        self._rows: list[BasketRow] = []
        self._money = money

    @property
    def rows(self) -> list[BasketRow]:
        return list(self._rows)

    def add(self, sku: str, name: str, unit_cents: int, qty: int = 1) -> None:
        for i, r in enumerate(self._rows):
            if r.sku == sku:
                self.set_qty(i, r.qty + qty)
                return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(BasketRow(sku, name, qty, unit_cents))
        self.endInsertRows()
        self.sig_changed.emit()

    def set_qty(self, row: int, qty: int) -> None:
        if qty <= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        else:
            self._rows[row] = replace(self._rows[row], qty=qty)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        self.sig_changed.emit()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()
        self.sig_changed.emit()

    def subtotal_cents(self) -> int:
        return sum(r.qty * r.unit_cents for r in self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == COL_QTY else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == COL_QTY:
                return r.qty
            return [r.name, r.qty, self._money(r.unit_cents), self._money(r.unit_cents * r.qty)][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != COL_PRODUCT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != COL_QTY:
            return False
        try:
            qty = int(value)
        except (TypeError, ValueError):
            return False
        if qty < 0 or qty > 999:
            return False
        self.set_qty(index.row(), qty)
        return True
