"""The wizard's column mapping page: which column holds what, with the first rows shown and presets."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import N_, _
from loyalty_app.importers.generic import FIELDS, check_mapping
from loyalty_app.importers.inspect import FileInfo
from loyalty_app.shop import Shop
from ui.import_wizard.preview_table_model import PreviewTableModel


class ImportWizard(Protocol):
    """What the page reads of its wizard (the wizard module builds the page, so the page cannot import it)."""

    shop: Shop
    info: FileInfo | None

    def day_first(self) -> bool | None: ...

LABELS = {"customer": N_("POS customer id"), "phone": N_("Phone"), "email": N_("Email"),
          "receipt": N_("Receipt / order number"), "time": N_("Time (or date and time in one)"),
          "date": N_("Date (when the time has its own column)"), "sku": N_("SKU"), "name": N_("Product name"),
          "qty": N_("Quantity"), "amount": N_("Line total (after discounts)"), "unit_price": N_("Unit price"),
          "category": N_("Category"), "store": N_("Store / till")}
GUESSES = {"customer": ("customer id", "client", "customer"), "phone": ("phone", "tel", "mobile"),
           "email": ("email", "mail"), "receipt": ("receipt", "ticket", "order", "invoice"),
           "time": ("date", "time", "sold at"), "sku": ("sku", "ref", "code"), "name": ("item", "product", "article"),
           "qty": ("qty", "quantity"), "amount": ("total", "amount", "net"), "unit_price": ("price", "unit"),
           "category": ("category", "rayon", "department")}


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Which column holds what?"))
        self.setSubTitle(_("The file is not a Square, Shopify or Loyverse export. Pick the columns; the first rows "
                         "are shown below. Save the choice as a preset for next time."))
        layout = QVBoxLayout(self)
        presets = QHBoxLayout()
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName("saved presets")
        self.preset_combo.activated.connect(self._on_preset_combo_activated)
        presets.addWidget(QLabel(_("Preset:")))
        presets.addWidget(self.preset_combo, 1)
        self.preset_name = QLineEdit()
        self.preset_name.setPlaceholderText(_("name to save these choices under"))
        self.preset_name.setAccessibleName("preset name")
        self.save_button = QPushButton(_("Save preset"))
        self.save_button.clicked.connect(self._on_save_button_clicked)
        presets.addWidget(self.preset_name, 1)
        presets.addWidget(self.save_button)
        layout.addLayout(presets)
        grid = QGridLayout()  # two columns of choices, so the rows below stay visible
        self.combos: dict[str, QComboBox] = {}
        half = (len(FIELDS) + 1) // 2
        for n, f in enumerate(FIELDS):
            combo = QComboBox()
            combo.setAccessibleName(LABELS[f])
            combo.currentIndexChanged.connect(self._on_combo_changed)
            self.combos[f] = combo
            row, col = n % half, 2 * (n // half)
            grid.addWidget(QLabel(_(LABELS[f])), row, col)
            grid.addWidget(combo, row, col + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        layout.addWidget(self.problem_label)
        self.model = PreviewTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("first rows of the file")
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:  # noqa: N802
        info = self._wizard.info
        assert info is not None
        self.model.set_rows(info.header, info.preview)
        times = self._guess_date_and_time(info.header)
        for f, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("")
            combo.addItems(info.header)
            combo.setCurrentText(times.get(f) or self._guess(f, info.header))
            combo.blockSignals(False)
        self._reload_presets()
        self._on_combo_changed()

    @staticmethod
    def _guess_date_and_time(header: list[str]) -> dict[str, str]:
        """A Date column and a separate Time column: both mapped, so the time of day is kept (and read, with the
        date, in the shop's time zone) rather than every sale landing at midnight."""
        dates = [h for h in header if "date" in h.lower() and "time" not in h.lower()]
        times = [h for h in header if ("time" in h.lower() or "hour" in h.lower()) and "date" not in h.lower()]
        return {"date": dates[0], "time": times[0]} if dates and times else {}

    @staticmethod
    def _guess(field: str, header: list[str]) -> str:
        for word in GUESSES.get(field, ()):
            for h in header:
                if word in h.lower():
                    return h
        return ""

    def mapping(self) -> dict[str, str]:
        return {f: c.currentText() for f, c in self.combos.items() if c.currentText()}

    def set_mapping(self, mapping: dict[str, str]) -> None:
        for f, combo in self.combos.items():
            combo.setCurrentText(mapping.get(f, ""))

    def _reload_presets(self) -> None:
        self.preset_combo.clear()
        self.preset_combo.addItem("")
        for p in self._wizard.shop.imports.list_presets():
            self.preset_combo.addItem(p.name, p.mapping)

    def _on_preset_combo_activated(self, index: int) -> None:
        mapping = self.preset_combo.itemData(index)
        if mapping:
            self.set_mapping(mapping)

    def _on_save_button_clicked(self) -> None:
        try:
            self._wizard.shop.imports.save_preset(self.preset_name.text(), "generic", self.mapping(),
                        self._wizard.day_first())
        except LoyaltyError as exc:
            self.problem_label.setText(str(exc))
            return
        self._reload_presets()
        self.problem_label.setText(_("Saved as “{name}”.").format(name=self.preset_name.text().strip()))

    def _on_combo_changed(self, *_: object) -> None:
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        info = self._wizard.info
        if info is None:
            return False
        try:
            check_mapping(self.mapping(), info.header)
        except LoyaltyError as exc:
            self.problem_label.setText(str(exc))
            return False
        self.problem_label.setText("")
        return True
