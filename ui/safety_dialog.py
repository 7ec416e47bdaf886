"""Backups and privacy for the owner: back up now, where backups go, export or erase a customer's data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from loyalty_app import backups
from loyalty_app.errors import LoyaltyError
from loyalty_app.privacy import erase_customer, export_customer


class SafetyDialog(QDialog):
    def __init__(self, shop: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.setWindowTitle("Backups and privacy")
        self.pin_input = QLineEdit()
        self.pin_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_input.setAccessibleName("owner PIN")
        self.folder_input = QLineEdit(str(backups.folder_of(shop)))
        self.folder_input.setAccessibleName("backup folder")
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, 365)
        self.keep_spin.setValue(backups.keep_of(shop))
        self.keep_spin.setAccessibleName("backups kept")
        self.customer_input = QLineEdit()
        self.customer_input.setAccessibleName("customer")
        self.customer_input.setPlaceholderText("phone, card or name")
        self.message = QLabel("Restoring a backup: close the app, then run `loyalty restore FILE` (owner).")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("safety message")
        form = QFormLayout(self)
        form.addRow("Owner PIN", self.pin_input)
        form.addRow("Backup folder", self._row(self.folder_input, ("Choose…", self._on_choose_clicked)))
        form.addRow("Backups kept", self._row(self.keep_spin, ("Save", self._on_save_settings),
                                              ("Back up now", self.back_up_now)))
        form.addRow("Customer", self._row(self.customer_input, ("Export…", self._on_export_clicked),
                                          ("Erase", self.erase)))
        form.addRow(self.message)

    def _row(self, first: QWidget, *buttons: tuple[str, Any]) -> QWidget:
        w = QWidget()
        h = QHBoxLayout(w)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(first, 1)
        for text, slot in buttons:
            b = QPushButton(text)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            h.addWidget(b)
        return w

    def _owner(self) -> Any:
        return self.shop.staff.verify_owner(self.pin_input.text())

    def _try(self, action: Any) -> None:
        try:
            self.message.setText(action())
        except LoyaltyError as exc:
            self.message.setText(str(exc))

    def _on_choose_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Backup folder", self.folder_input.text())
        if folder:
            self.folder_input.setText(folder)

    def _on_save_settings(self) -> None:
        def save() -> str:
            backups.configure(self.shop, folder=Path(self.folder_input.text()), keep=self.keep_spin.value(),
                              actor=self._owner())
            return "Saved: backups go to that folder."
        self._try(save)

    def back_up_now(self) -> None:
        self._try(lambda: f"Backed up and verified: {backups.backup_now(self.shop)}")

    def export_to(self, path: str) -> None:
        def export() -> str:
            c = self.shop.lookup.find_one(self.customer_input.text())
            data = export_customer(self.shop, c.id, actor=self._owner())
            Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
            return f"Everything held about customer #{c.id} was written to {path}."
        self._try(export)

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export customer data", "customer.json", "JSON (*.json)")
        if path:
            self.export_to(path)

    def erase(self) -> None:
        def do() -> str:
            c = self.shop.lookup.find_one(self.customer_input.text())
            erase_customer(self.shop, c.id, actor=self._owner())
            return f"Customer #{c.id}'s personal data is erased; their sales stay, anonymous."
        self._try(do)
