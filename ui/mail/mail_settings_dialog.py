"""Mail set-up for the owner: server, security, sender, postal address, cap, schedule and the automatic emails
(welcome, we miss you; off by default), the one-click unsubscribe page; the password goes
straight to the system keyring and is never shown again. 'Send test email' runs in the background."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from loyalty_app.context import Staff
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.mail import settings as mail_settings
from loyalty_app.shop import Shop, open_shop
from ui.mail.compose_screen import mail_job
from ui.task_runner import Outcome, Task, TaskRunner, dialog_runner


def _test_job(path: Any, address: str, actor: Staff, **_: Any) -> dict[str, Any]:
    shop = open_shop(path)
    try:
        return {"message": shop.mail.send_test(address, actor)}
    finally:
        shop.close()


class MailSettingsDialog(QDialog):
    sig_tested = Signal(str)
    """The test email's outcome, in words (sent, or what went wrong)."""
    sig_saved = Signal()
    """The mail settings were saved."""

    def __init__(self, shop: Shop, actor: Staff, parent: QWidget | None = None, *,
                 tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Email set-up"))
        self.shop, self.actor = shop, actor
        self.tasks = dialog_runner(self, tasks)
        ms = mail_settings.load(shop.ctx.settings)
        self.host = QLineEdit(ms.host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(ms.port)
        self.security = QComboBox()
        for mode, label in (("starttls", _("STARTTLS (usually port 587)")), ("ssl", _("SSL/TLS (usually port 465)")),
                            ("plain", _("None (trusted local network only)"))):
            self.security.addItem(label, mode)
        self.security.setCurrentIndex(self.security.findData(ms.security))
        self.user = QLineEdit(ms.user or "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        stored = bool(ms.user and mail_settings.smtp_password(ms.user))
        self.password.setPlaceholderText(_("kept in the system keyring") if stored else _("the mailbox password"))
        self.from_address = QLineEdit(ms.from_address)
        self.postal_address = QPlainTextEdit(ms.postal_address.replace("; ", "\n"))
        self.postal_address.setFixedHeight(64)
        self.cap_days = QSpinBox()
        self.cap_days.setRange(0, 365)
        self.cap_days.setValue(ms.cap_days)
        self.refill_days = QSpinBox()
        self.refill_days.setRange(0, 365)
        self.refill_days.setValue(ms.refill_every_days)
        self.welcome = QCheckBox(_("Welcome email after a sign-up with consent (once per customer)"))
        self.welcome.setChecked(ms.welcome)
        self.winback = QCheckBox(_("'We miss you' email when a regular is away over twice their usual gap"))
        self.winback.setChecked(ms.winback)
        self.winback_days = QSpinBox()
        self.winback_days.setRange(1, 3650)
        self.winback_days.setValue(ms.winback_min_days)
        self.unsubscribe_url = QLineEdit(ms.unsubscribe_url)
        self.unsubscribe_url.setPlaceholderText(_("optional: https://your-shop.example/unsubscribe/{token}"))
        self.test_address = QLineEdit()
        self.test_button = QPushButton(_("Send test email"))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("SMTP server"), self.host)
        form.addRow(_("Port"), self.port)
        form.addRow(_("Security"), self.security)
        form.addRow(_("User"), self.user)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Send from"), self.from_address)
        form.addRow(_("Shop's postal address"), self.postal_address)
        form.addRow(_("At most one email per customer every (days)"), self.cap_days)
        form.addRow(_("Refill reminders every (days, 0 = off)"), self.refill_days)
        form.addRow(_("Automatic emails"), self.welcome)
        form.addRow("", self.winback)
        form.addRow(_("… and away at least (days)"), self.winback_days)
        form.addRow(_("One-click unsubscribe page"), self.unsubscribe_url)
        form.addRow(_("Test to"), self.test_address)
        form.addRow("", self.test_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        v = QVBoxLayout(self)
        v.addLayout(form)
        v.addWidget(self.message)
        v.addWidget(buttons)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.task: Task | None = None

    def save(self) -> bool:
        """Store the settings (owner) and the password in the keyring; False with the reason shown on error."""
        try:
            user = self.user.text().strip() or None
            mail_settings.save(
                self.shop.ctx, self.actor, host=self.host.text().strip(), port=self.port.value(),
                security=self.security.currentData(), user=user or "", from_address=self.from_address.text().strip(),
                postal_address="; ".join(ln.strip() for ln in self.postal_address.toPlainText().splitlines()
                                         if ln.strip()),
                cap_days=self.cap_days.value(), refill_every_days=self.refill_days.value(),
                welcome="on" if self.welcome.isChecked() else "off", winback="on" if self.winback.isChecked() else "off",
                winback_min_days=self.winback_days.value(), unsubscribe_url=self.unsubscribe_url.text().strip())
            if user and self.password.text():
                mail_settings.store_password(user, self.password.text())
            self.password.clear()  # never kept in the widget once stored
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(_("Saved."))
        self.sig_saved.emit()
        return True

    def send_test(self) -> None:
        if not self.save():
            return
        address = self.test_address.text().strip() or self.from_address.text().strip()
        self.test_button.setEnabled(False)
        self.message.setText(_('Sending a test email to {address}…').format(address=address))
        self.task = self.tasks.submit("sending a test email", mail_job(functools.partial(
            _test_job, self.shop.path, address, self.actor)), writes=True,
            on_done=self._on_task_finished, on_failed=self._on_task_failed)

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()

    def _on_test_button_clicked(self) -> None:
        self.send_test()

    def _on_task_finished(self, outcome: Outcome) -> None:
        self.task = None
        self.test_button.setEnabled(True)
        self.message.setText(outcome.value["message"])
        self.sig_tested.emit(outcome.value["message"])

    def _on_task_failed(self, outcome: Outcome) -> None:
        message = outcome.error
        self.task = None
        self.test_button.setEnabled(True)
        self.message.setText(message)
        self.sig_tested.emit(message)
