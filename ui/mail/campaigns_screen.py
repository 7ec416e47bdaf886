"""Campaign results: recipients vs. the control group who bought within the window, the lift and the revenue lift
with its 95% interval, per campaign and per A/B variant."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from ui.mail.campaigns_table_model import CampaignsTableModel


class CampaignsScreen(QWidget):
    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop
        self.model = CampaignsTableModel(shop.ctx.currency)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        top = QHBoxLayout()
        top.addWidget(self.note, 1)
        top.addWidget(self.refresh_button)
        v = QVBoxLayout(self)
        v.addLayout(top)
        v.addWidget(self.view)
        self.refresh()

    def refresh(self) -> None:
        rows = self.shop.mail.campaign_results()
        self.model.set_results(rows)
        days = rows[0].window_days if rows else int(self.shop.ctx.settings.get("mail_results_days", "30"))
        self.note.setText(_("Who bought within {days} days of the email, and what they spent on it: recipients vs. "
                            "the control group that was eligible but not emailed. The revenue lift comes with its "
                            "{confidence} interval (Welch's t); \"too few to tell\" means it spans zero, so the "
                            "difference may be chance.").format(days=days, confidence="95%"))

    def _on_refresh_clicked(self) -> None:
        self.refresh()
