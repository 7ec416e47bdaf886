"""Returning lines of a purchase: quantities per line, and the points effect shown before confirming."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QWidget

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.money import format_money
from loyalty_app.purchase_view import PurchaseLine
from loyalty_app.shop import Shop


class ReturnDialog(QDialog):
    def __init__(self, shop: Shop, purchase_id: int, parent: QWidget | None = None,
                 picked_sku: str | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.purchase_id = purchase_id
        self.result_data: Any = None
        self.setWindowTitle(_('Return on purchase #{purchase_id}').format(purchase_id=purchase_id))
        purchase = shop.sales.purchase(purchase_id)
        form = QFormLayout(self)
        self.spins: list[tuple[PurchaseLine, QSpinBox]] = []
        for line in purchase.lines:
            left = line.qty - line.returned_qty
            spin = QSpinBox()
            spin.setRange(0, left)
            spin.setAccessibleName(f"return {line.sku}")
            spin.setEnabled(left > 0)
            spin.valueChanged.connect(self._on_spin_changed)
            label = (_("{product} (bought {qty}, {returned} returned)") if line.returned_qty
                     else _("{product} (bought {qty})")).format(product=line.name, qty=line.qty,
                                                                returned=line.returned_qty)
            form.addRow(label, spin)
            self.spins.append((line, spin))
        self.nothing_left = all(line.qty <= line.returned_qty for line in purchase.lines)
        self.preview_label = QLabel(_("Everything on this purchase has already come back: nothing left to return.")
                                    if self.nothing_left else _("Choose what comes back."))
        self.preview_label.setAccessibleName("return preview")
        self.preview_label.setWordWrap(True)
        # Room for the longest effect up front: a wrapped label does not grow its dialog by itself.
        self.preview_label.setMinimumHeight(self.preview_label.fontMetrics().lineSpacing() * 3)
        self.setMinimumWidth(480)
        form.addRow(self.preview_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Confirm return"))
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        # The line picked in the history comes back whole unless the cashier lowers it; the effect shows at once.
        picked = next((spin for line, spin in self.spins if line.sku == picked_sku and spin.maximum() > 0), None)
        if picked is not None:
            picked.setValue(picked.maximum())
            picked.setFocus()
            picked.selectAll()

    def items(self) -> list[tuple[str, int]]:
        return [(str(line.line_no), spin.value()) for line, spin in self.spins if spin.value() > 0]

    def _on_spin_changed(self) -> None:
        items = self.items()
        if not items:
            self.preview_label.setText(_("Choose what comes back."))
            self.ok_button.setEnabled(False)
            return
        try:
            p = self.shop.sales.preview_return(self.purchase_id, items)
        except LoyaltyError as exc:
            self.preview_label.setText(str(exc))
            self.ok_button.setEnabled(False)
            return
        money = format_money(p.refund_cents, self.shop.ctx.currency)
        self.preview_label.setText(_('Refund {money}. {points_reversed} points earned will be taken back, {points_restored} redeemed points given back.').format(money=money, points_reversed=p.points_reversed, points_restored=p.points_restored))
        self.ok_button.setEnabled(True)

    def confirm(self) -> None:
        try:
            self.result_data = self.shop.sales.return_items(self.purchase_id, self.items())
        except LoyaltyError as exc:
            self.preview_label.setText(_('Not returned: {exc}').format(exc=exc))
            return
        self.accept()
