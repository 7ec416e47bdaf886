"""Table columns sized to what they hold: dates, quantities and money always whole, the name column takes the rest."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractProxyModel, QSignalBlocker, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

ROWS_MEASURED = 2000  # a longer list is measured on its first rows (a price column's widths repeat)
SLACK = 6  # pixels beyond the text and the style's cell margins, so rounding never turns "$27.00" into "$27.…"


def fit_columns(view: QTableView, stretch: int) -> None:
    """Size every column but ``stretch`` to its widest cell (header included) whenever the rows change; the
    ``stretch`` column (the product's name) fills what is left and is the only one that may be elided ("Basil
    oli…"). When the view is too narrow even for that, it scrolls sideways rather than cutting a price.

    Qt's own ResizeToContents mode sized the columns once, before the first rows arrived, and left "$3…" in the
    basket; asking the view for each column's size hint costs a few milliseconds per hundred rows (every cell's
    font, alignment and decoration), so the widths are measured here from the cells' text alone.
    """
    shown = view.model()
    # Sorting and filtering never change what a column must hold: measure the rows themselves, once per change.
    model = shown.sourceModel() if isinstance(shown, QAbstractProxyModel) else shown
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(max(header.minimumSectionSize(), view.fontMetrics().horizontalAdvance("Product…")))
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setWordWrap(False)  # a name cut in two lines by a fixed row height is unreadable: one line, elided
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    for col in range(model.columnCount()):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == stretch
                                    else QHeaderView.ResizeMode.Interactive)

    # A model may hand over a column's texts at once (HistoryTableModel.column_texts): a cell at a time through
    # index() and data() was most of the cost of sizing a 25-purchase history.
    column_texts: Callable[[int, int], set[str]] | None = getattr(model, "column_texts", None)

    def fit(*_: object) -> None:
        metrics = view.fontMetrics()
        margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) + SLACK
        rows = min(model.rowCount(), ROWS_MEASURED)
        resized = False
        for col in range(model.columnCount()):
            if col == stretch:
                continue
            texts = (column_texts(col, rows) if column_texts is not None
                     else {str(model.index(r, col).data() or "") for r in range(rows)})
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            width = max(widest + margin, header.sectionSizeHint(col))
            if header.sectionSize(col) != width:
                resized = True
                with QSignalBlocker(header):
                    header.resizeSection(col, width)
                    header.sectionSize(stretch)  # the name column gives way now, not on the header's timer
        if resized:
            # The view hears of new widths on a timer and repaints its rows once more, after the first paint;
            # told now, it lays them out for the paint that is coming anyway.
            view.doItemsLayout()

    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged, model.layoutChanged):
        signal.connect(fit)
    fit()
