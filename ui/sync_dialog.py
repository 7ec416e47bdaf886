"""'Connect this counter to the shop's other stores' (owner): the shared folder and this store's name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import N_, _
from loyalty_app.shop import Shop

HELP = N_("Choose a folder that Syncthing or your cloud drive keeps in sync between the stores (kept on this "
        "computer, not online-only). Never put the shop's database itself there.")


class SyncDialog(QDialog):
    def __init__(self, shop: Shop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.setWindowTitle(_("Connect this counter to the shop's other stores"))
        self.folder_input = QLineEdit(shop.settings.get("sync_folder", ""))
        self.folder_input.setAccessibleName("shared folder")
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._on_browse_clicked)
        self.store_input = QLineEdit(shop.settings.get("sync_store") or shop.settings.get("default_store", ""))
        self.store_input.setAccessibleName("store name")
        self.key_input = QLineEdit()
        self.key_input.setAccessibleName("sync key")
        self.key_input.setPlaceholderText(_("joining stores already connected: their sync key"))
        self.pin_input = QLineEdit()
        self.pin_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_input.setAccessibleName("owner PIN")
        self.message = QLabel(_(HELP))
        self.message.setWordWrap(True)
        self.message.setAccessibleName("sync message")
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.folder_input, 1)
        h.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Connect"))
        buttons.accepted.connect(self.connect_stores)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Shared folder"), row)
        form.addRow(_("This store"), self.store_input)
        form.addRow(_("Sync key"), self.key_input)
        form.addRow(_("Owner PIN"), self.pin_input)
        form.addRow(self.message)
        form.addRow(buttons)

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Shared folder"), self.folder_input.text())
        if folder:
            self.folder_input.setText(folder)

    def connect_stores(self) -> None:
        try:
            owner = self.shop.staff.verify_owner(self.pin_input.text())
            status = self.shop.sync.setup(Path(self.folder_input.text()), self.store_input.text(),
                                          key=self.key_input.text() or None, actor=owner)
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return
        self.status = status
        self.accept()
