"""The outbox: every email with its status (queued, sent, failed with the server's reason, retried)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from loyalty_app.clock import from_iso
from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from ui.mail.outbox_table_model import OutboxTableModel


class OutboxScreen(QWidget):
    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop
        self.model = OutboxTableModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.counts_label = QLabel("")
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        top = QHBoxLayout()
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.refresh_button)
        v = QVBoxLayout(self)
        v.addLayout(top)
        v.addWidget(self.view)
        self.refresh()

    def refresh(self) -> None:
        zone = self.shop.ctx.zone
        # Each email with its sent time, else when it was decided, in the shop's time zone.
        self.model.set_rows([(r, from_iso(r.sent_at or r.decided_at).astimezone(zone).strftime("%Y-%m-%d %H:%M"))
                             for r in self.shop.mail.outbox(limit=2000)])
        counts = self.shop.mail.outbox_counts()
        self.counts_label.setText(", ".join(f"{n} {_(s)}" for s, n in sorted(counts.items())) or _("No emails yet."))

    def _on_refresh_clicked(self) -> None:
        self.refresh()
