"""Adding or editing one product: every field the catalogue keeps, checked by the product service on save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.errors import LoyaltyError, ValidationError
from loyalty_app.i18n import _
from loyalty_app.money import cents_to_decimal_text, parse_money
from loyalty_app.products import Product
from ui.theme import error_style


class ProductDialog(QDialog):
    def __init__(self, parent: QWidget | None, currency: str, families: list[str], categories: list[str],
                 save: Callable[[dict[str, Any]], Any], product: Product | None = None) -> None:
        super().__init__(parent)
        self.save = save
        self.currency = currency
        self.product = product
        self.setWindowTitle(_("Edit {product}").format(product=product.name) if product else _("Add a product"))
        self.sku = QLineEdit(product.sku if product else "")
        self.sku.setReadOnly(product is not None)  # the SKU is the product's key in sales and imports
        self.name = QLineEdit(product.name if product else "")
        self.family = QComboBox()
        self.family.setEditable(True)
        self.family.addItems(["", *families])
        self.family.setCurrentText(product.family or "" if product else "")
        self.family.setToolTip(_("Sizes of the same product share a family, e.g. 'Basil olive oil'"))
        self.size_input = QLineEdit(product.size or "" if product else "")
        self.size_input.setPlaceholderText(_("250 ml, 1 l, 500 g…"))
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(["", *categories])
        self.category.setCurrentText(product.category or "" if product else "")
        self.tags = QLineEdit(", ".join(product.tags) if product else "")
        self.tags.setPlaceholderText(_("comma separated: basil, infused"))
        self.price = QLineEdit(cents_to_decimal_text(product.price_cents, currency) if product else "")
        self.price.setPlaceholderText("12.50")
        self.refill = QSpinBox()
        self.refill.setRange(0, 3650)
        self.refill.setSpecialValueText(_("no refill reminder"))
        self.refill.setSuffix(_(" days"))
        self.refill.setValue(product.refill_days or 0 if product else 0)
        self.barcode = QLineEdit(product.barcode or "" if product else "")
        self.launched = QLineEdit(product.launched_on or "" if product else "")
        self.launched.setPlaceholderText(_("2026-03-01 (empty: today)"))
        self.active = QCheckBox(_("Sold now (untick to deactivate)"))
        self.active.setChecked(product.active if product else True)
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, w in ((_("SKU"), self.sku), (_("Name"), self.name), (_("Family"), self.family),
                         (_("Size"), self.size_input), (_("Category"), self.category), (_("Tags"), self.tags),
                         (_("Price ({currency})").format(currency=currency), self.price),
                         (_("Refill interval"), self.refill), (_("Barcode"), self.barcode),
                         (_("Launch date"), self.launched), ("", self.active)):
            form.addRow(label, w)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        """The fields as the product service takes them; ValidationError for a price it cannot read."""
        text = self.price.text().strip()
        if not text:
            raise ValidationError(_("a product needs a price"))
        return {
            "sku": self.sku.text().strip(), "name": self.name.text(), "family": self.family.currentText(),
            "size": self.size_input.text(), "category": self.category.currentText(), "tags": self.tags.text(),
            "price_cents": parse_money(text, currency=self.currency), "refill_days": self.refill.value() or None,
            "barcode": self.barcode.text().strip() or None, "launched_on": self.launched.text().strip() or None,
            "active": self.active.isChecked(),
        }

    def _on_buttons_accepted(self) -> None:
        """Save through the service; its message stays on the dialog when something is wrong."""
        try:
            self.save(self.values())
        except LoyaltyError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.accept()
