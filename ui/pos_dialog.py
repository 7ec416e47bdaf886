"""'POS connection' (owner): the shop's live POS connections and how far each is, connect one, pull now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import N_, _
from loyalty_app.shop import Shop
from ui.pos_runner import PosPuller
from ui.rows_table_model import Index, RowsTableModel

HELP = N_("The access token is kept in the system keyring, never in the shop's file. Sales rung at the till come in "
        "every 3 minutes while the app runs; the counter then looks customers up and redeems points for the till.")
KINDS = ("square", "shopify", "loyverse")


@dataclass(frozen=True)
class ConnectionRow:
    """One line of the list, read from ``shop.pos.status()`` in one place (``_row_of``)."""

    kind: str
    name: str
    server: str
    last_pull: str
    pulled_up_to: str
    sales: int
    returns: int
    error: str


def _when(iso: str | None) -> str:
    return (iso or "").replace("T", " ")[:16] or "never"


def _row_of(status: Any) -> ConnectionRow:
    """The only place that knows the shape of a status result (a dict today, perhaps a dataclass tomorrow)."""
    def get(key: str) -> Any:
        return status[key] if isinstance(status, dict) else getattr(status, key)

    return ConnectionRow(kind=get("kind").capitalize(), name=get("name"), server=get("api_base"),
                         last_pull=_when(get("last_pull_at")), pulled_up_to=_when(get("pulled_up_to")),
                         sales=get("sales"), returns=get("returns"), error=get("last_error") or "")


class ConnectionsModel(RowsTableModel):
    HEADERS = (N_("POS"), N_("Name"), N_("Server"), N_("Last pull"), N_("Pulled up to"), N_("Sales"), N_("Returns"), N_("Last error"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        r: ConnectionRow = self._rows[index.row()]
        return (r.kind, r.name, r.server, r.last_pull, r.pulled_up_to, r.sales, r.returns,
                r.error)[index.column()]

    def row(self, n: int) -> ConnectionRow:
        return self._rows[n]


class PosDialog(QDialog):
    def __init__(self, shop: Shop, puller: PosPuller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop, self.puller = shop, puller
        self.setWindowTitle(_("POS connection"))
        self.setMinimumWidth(760)
        self.model = ConnectionsModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("POS connections")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.pull_button = QPushButton(_("Pull now"))
        self.pull_button.clicked.connect(self.pull_now)
        self.kind_input = QComboBox()
        self.kind_input.addItems([k.capitalize() for k in KINDS])
        self.kind_input.setAccessibleName("POS")
        self.kind_input.currentIndexChanged.connect(self._on_kind_input_changed)
        self.name_input = self._line("connection name", _("till"))
        self.token_input = self._line("access token", _("the access token from the POS's developer settings"))
        self.token_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.server_input = self._line("server address", _("leave empty for the POS's own server"))
        self.location_input = self._line("location", _("Square location id (empty: every active location)"))
        self.domain_input = self._line("shop domain", "NAME.myshopify.com")
        self.since_input = self._line("start date", _("2026-11-01 (empty: after the last imported sale, "
                                                          "else 30 days back)"))
        self.pin_input = self._line("owner PIN", "")
        self.pin_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.connect_button = QPushButton(_("Connect"))
        self.connect_button.clicked.connect(self.connect_pos)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        self.message = QLabel(_(HELP))
        self.message.setWordWrap(True)
        self.message.setAccessibleName("POS message")
        form = QFormLayout()
        for label, widget in ((_("POS"), self.kind_input), (_("Name"), self.name_input),
                              (_("Access token"), self.token_input), (_("Server"), self.server_input),
                              (_("Location"), self.location_input), (_("Shop domain"), self.domain_input),
                              (_("Start date"), self.since_input), (_("Owner PIN"), self.pin_input)):
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pull_button)
        buttons.addStretch(1)
        buttons.addWidget(self.connect_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("<b>Connections</b> (times in UTC)")))
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(_("<b>Connect a POS</b> — the same name changes a connection: a new token or "
                                "server, and its pulls carry on where they were")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        puller.sig_status.connect(self._on_puller_status)
        self._listening = True
        self._on_kind_input_changed()
        self.refresh()

    def _line(self, accessible: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setAccessibleName(accessible)
        line.setPlaceholderText(placeholder)
        return line

    def refresh(self) -> None:
        """Read every connection's state again."""
        self.model.set_rows([_row_of(s) for s in self.shop.pos.status()])
        self.pull_button.setEnabled(self.model.rowCount(QModelIndex()) > 0)

    def _on_kind_input_changed(self) -> None:
        kind = KINDS[self.kind_input.currentIndex()]
        self.location_input.setEnabled(kind == "square")
        self.domain_input.setEnabled(kind == "shopify")

    def connect_pos(self) -> bool:
        """Save the connection (the token into the keyring) with the owner's PIN; one line says what went wrong."""
        kind = KINDS[self.kind_input.currentIndex()]
        # The service's messages name the command line's options; these say the dialog's fields instead.
        missing = (_("give the connection a name, e.g. till") if not self.name_input.text().strip() else
                   _("paste the access token from the POS's developer settings")
                   if not self.token_input.text().strip() else
                   _("Shopify needs the shop's domain, NAME.myshopify.com")
                   if kind == "shopify" and not (self.domain_input.text().strip()
                                                 or self.server_input.text().strip()) else "")
        if missing:
            self.message.setText(_('Not connected: {missing}').format(missing=missing))
            return False
        try:
            owner = self.shop.staff.verify_owner(self.pin_input.text())
            self.shop.pos.connect(
                kind, self.name_input.text(), token=self.token_input.text().strip(),
                api_base=self.server_input.text().strip() or None,
                location=(self.location_input.text().strip() or None) if kind == "square" else None,
                shop_domain=(self.domain_input.text().strip() or None) if kind == "shopify" else None,
                since=self.since_input.text().strip() or None, actor=owner)
        except LoyaltyError as exc:
            self.message.setText(_('Not connected: {exc}').format(exc=exc))
            return False
        self.token_input.clear()
        self.pin_input.clear()
        self.refresh()
        self.message.setText(_("Connected '{name}': Pull now takes in its sales, then every 3 minutes").format(
            name=self.name_input.text().strip()))
        if not self.puller.timer.isActive():
            self.puller.timer.start()
        return True

    def pull_now(self) -> bool:
        """One pull in the window's task runner; its one-line result shows here and in the status bar."""
        if self.puller.pull_now() is None:
            self.message.setText(_("A pull is already running: its result shows here when it ends"))
            return False
        self.pull_button.setEnabled(False)
        self.message.setText(_("Pulling from the POS…"))
        return True

    def _on_puller_status(self, text: str) -> None:
        self.refresh()
        self.message.setText(text)

    def done(self, result: int) -> None:
        if self._listening:  # a closed dialog no longer follows the pulls
            self._listening = False
            self.puller.sig_status.disconnect(self._on_puller_status)
        super().done(result)
