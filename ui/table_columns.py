"""Table columns sized to what they hold: dates, quantities and money always whole, the name column takes the rest."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView


def fit_columns(view: QTableView, stretch: int) -> None:
    """Size every column but ``stretch`` to its widest cell (header included) whenever the rows change; the
    ``stretch`` column (the product's name) fills what is left and is the only one that may be elided ("Basil
    oli…"). When the view is too narrow even for that, it scrolls sideways rather than cutting a price.

    Qt's own ResizeToContents mode sizes a column once, before the first rows arrive, and left "$3…" in the basket.
    """
    model = view.model()
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(max(header.minimumSectionSize(), view.fontMetrics().horizontalAdvance("Product…")))
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setWordWrap(False)  # a name cut in two lines by a fixed row height is unreadable: one line, elided
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def fit(*_: object) -> None:
        for col in range(model.columnCount()):
            if col == stretch:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
                continue
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            view.resizeColumnToContents(col)

    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged, model.layoutChanged):
        signal.connect(fit)
    fit()
