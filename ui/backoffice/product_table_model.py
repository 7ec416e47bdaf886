"""The product catalogue as a table: SKU, name, family, size, category, tags, price, refill days, launch, status."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from loyalty_app.i18n import N_, _
from loyalty_app.money import format_money
from loyalty_app.products import Product
from ui.theme import muted_colour

Index = QModelIndex | QPersistentModelIndex
COL_SKU, COL_NAME, COL_FAMILY, COL_SIZE, COL_CATEGORY, COL_TAGS, COL_PRICE, COL_REFILL, COL_LAUNCH, COL_STATUS = \
    range(10)
HEADERS = [N_("SKU"), N_("Name"), N_("Family"), N_("Size"), N_("Category"), N_("Tags"), N_("Price"), N_("Refill (days)"), N_("Launched"), N_("Status")]
PRODUCT_ROLE = Qt.ItemDataRole.UserRole + 1


class ProductTableModel(QAbstractTableModel):
    def __init__(self, currency: str = "USD") -> None:
        super().__init__()
        self.currency = currency
        self.rows: list[Product] = []

    def set_rows(self, rows: list[Product]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.rows[index.row()]
        col = index.column()
        if role == PRODUCT_ROLE:
            return p
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_PRICE, COL_REFILL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not p.active:
            return muted_colour()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return [p.sku, p.name, p.family or "", p.size or "", p.category or "", ", ".join(p.tags),
                format_money(p.price_cents, self.currency), "" if p.refill_days is None else str(p.refill_days),
                p.launched_on or "", (_("Active") if p.active else _("Inactive")) + (_(" · check") if p.needs_review else "")
                ][col]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section])
        return None
