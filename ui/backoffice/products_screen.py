"""The Products screen: the catalogue with add, edit, deactivate, and importing a product list from CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loyalty_app import jobs
from loyalty_app.context import Staff
from loyalty_app.i18n import _
from loyalty_app.product_import import ImportSummary
from loyalty_app.products import Product
from loyalty_app.shop import Shop
from ui.backoffice.product_dialog import ProductDialog
from ui.backoffice.product_table_model import COL_NAME, PRODUCT_ROLE, ProductTableModel
from ui.task_runner import Outcome, TaskRunner


class ProductsScreen(QWidget):
    sig_products_changed = Signal()
    """A product was added, changed or imported."""

    def __init__(self, shop: Shop, owner: Staff, tasks: TaskRunner) -> None:
        super().__init__()
        self.shop, self.owner, self.tasks = shop, owner, tasks
        self.dialog: ProductDialog | None = None
        self.model = ProductTableModel(shop.ctx.currency)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # families and sizes together until clicked
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter by SKU, name, family, category or tag"))
        self.filter.setAccessibleName("filter products")
        self.table.setAccessibleName("products")
        self.add_button = QPushButton(_("Add product…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.active_button = QPushButton(_("Deactivate"))
        self.import_button = QPushButton(_("Import CSV…"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        for b in (self.add_button, self.edit_button, self.active_button, self.import_button):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.add_button.clicked.connect(self.open_add)
        self.edit_button.clicked.connect(self.open_edit)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.table.doubleClicked.connect(lambda _i: self.open_edit())
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.reload()

    # -- intent ------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.model.set_rows(self.shop.products.list(include_inactive=True))
        self._on_selection_changed()

    def selected(self) -> Product | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(PRODUCT_ROLE) if rows else None

    def select_sku(self, sku: str) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data() == sku:
                self.table.selectRow(r)
                return

    def open_add(self) -> ProductDialog:
        return self._open(None)

    def open_edit(self) -> ProductDialog | None:
        p = self.selected()
        return self._open(p) if p else None

    def set_active(self, product: Product, active: bool) -> None:
        self.shop.products.edit(product.sku, active=active, actor=self.owner)
        self._changed((_("{product} is now active.") if active else _("{product} is now inactive.")).format(
            product=product.name))
        self.select_sku(product.sku)

    def import_file(self, path: Path) -> None:
        """Import on a worker thread with its own connection; the summary lists each row's problem."""
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        db_path, clock, owner = self.shop.path, self.shop.ctx.clock, self.owner

        def job(cancelled: Any) -> ImportSummary:
            return jobs.import_products(db_path, text, owner, clock=clock, cancelled=cancelled)
        self.import_button.setEnabled(False)
        self.status.setText(_('Importing {name}…').format(name=path.name))
        self.tasks.submit(f"importing {path.name}", job, writes=True, on_done=self._on_import_done,
                          on_failed=self._on_import_failed)

    # -- slots -------------------------------------------------------------------------------------------------
    def _open(self, product: Product | None) -> ProductDialog:
        products = self.shop.products.list()
        families = sorted({p.family for p in products if p.family})
        categories = sorted({p.category for p in products if p.category})

        def save(values: dict[str, Any]) -> Product:
            if product is None:
                active = values.pop("active")
                saved = self.shop.products.add(actor=self.owner, **values)
                if not active:
                    saved = self.shop.products.edit(saved.sku, active=False, actor=self.owner)
            else:
                values.pop("sku")
                # Emptied optional fields are cleared, not left as they were.
                cleared = tuple(k for k in ("refill_days", "barcode") if values[k] is None)
                saved = self.shop.products.edit(product.sku, actor=self.owner, clear=cleared, **values)
            self._changed(_("Saved {product}.").format(product=saved.name))
            self.select_sku(saved.sku)
            return saved
        self.dialog = ProductDialog(self, self.shop.ctx.currency, families, categories, save, product)
        self.dialog.open()
        return self.dialog

    def _changed(self, message: str) -> None:
        self.reload()
        self.status.setText(message)
        self.sig_products_changed.emit()

    def _on_selection_changed(self, *_args: object) -> None:
        p = self.selected()
        self.edit_button.setEnabled(p is not None)
        self.active_button.setEnabled(p is not None)
        self.active_button.setText(_("Activate") if p is not None and not p.active else _("Deactivate"))

    def _on_active_button_clicked(self) -> None:
        p = self.selected()
        if p is not None:
            self.set_active(p, not p.active)

    def _on_import_button_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Import a product list"), "", _("CSV files (*.csv *.txt)"))
        if name:
            self.import_file(Path(name))

    def _on_import_done(self, outcome: Outcome) -> None:
        summary: ImportSummary = outcome.value
        self.import_button.setEnabled(True)
        self._changed(summary.text())

    def _on_import_failed(self, outcome: Outcome) -> None:
        self.import_button.setEnabled(True)
        self.status.setText(_('Nothing imported: {error}').format(error=outcome.error))
