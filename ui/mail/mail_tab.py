"""The Email tab: compose, outbox and results; runs due refill reminders while the app is open."""

from __future__ import annotations

import functools

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from loyalty_app import jobs
from loyalty_app.i18n import _
from loyalty_app.shop import Shop
from ui.mail.campaigns_screen import CampaignsScreen
from ui.mail.compose_screen import ComposeScreen
from ui.mail.mail_settings_dialog import MailSettingsDialog
from ui.mail.outbox_screen import OutboxScreen
from ui.task_runner import TaskRunner

SCHEDULE_CHECK_MS = 60 * 60 * 1000


class MailTab(QWidget):
    sig_settings_saved = Signal()
    """The owner saved the email set-up."""

    def __init__(self, shop: Shop, tasks: TaskRunner) -> None:
        super().__init__()
        self.shop, self.tasks = shop, tasks
        self.compose = ComposeScreen(shop, tasks)
        self.outbox = OutboxScreen(shop)
        self.campaigns = CampaignsScreen(shop)
        self.refill_button = QPushButton(_("Send refill reminders now"))
        self.settings_button = QPushButton(_("Email set-up…"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.compose, _("Announce"))
        self.tabs.addTab(self.outbox, _("Outbox"))
        self.tabs.addTab(self.campaigns, _("Results"))
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.settings_button)
        bar.addWidget(self.refill_button)
        v = QVBoxLayout(self)
        v.addLayout(bar)
        v.addWidget(self.tabs)
        self.compose.sig_sent.connect(self._on_compose_sent)
        self.refill_button.clicked.connect(self._on_refill_clicked)
        self.settings_button.clicked.connect(self._on_settings_clicked)
        # The owner's refill schedule runs while the app is open (and headless from cron via the CLI). Closing
        # the window stops a send between two emails (the runner cancels it); the rest stay queued.
        self.schedule_timer = tasks.every(SCHEDULE_CHECK_MS, self._on_schedule_timer_timeout)
        self.schedule_timer.start()

    def send_refill(self) -> None:
        who = self.compose._owner()
        if who is None:
            return
        job = functools.partial(jobs.refill_and_deliver, self.shop.path, who, clock=self.shop.ctx.clock)
        self.compose.start(job, _("Sending refill reminders…"))

    def open_settings(self) -> MailSettingsDialog | None:
        who = self.compose._owner()
        if who is None:
            return None
        dialog = MailSettingsDialog(self.shop, who, self, tasks=self.tasks)
        dialog.sig_saved.connect(self.sig_settings_saved)
        dialog.open()
        return dialog

    def _on_settings_clicked(self) -> None:
        self.open_settings()

    def _on_refill_clicked(self) -> None:
        self.send_refill()

    def _on_schedule_timer_timeout(self) -> None:
        owner = self.compose.actor or self.shop.ctx.actor
        if self.compose.task is None and owner is not None and owner.is_owner and (
                self.shop.mail.refill_run_is_due() or self.shop.mail.automations_run_is_due()):
            job = functools.partial(jobs.scheduled_mail, self.shop.path, owner, clock=self.shop.ctx.clock)
            self.compose.start(job, _("Scheduled emails…"))

    def _on_compose_sent(self, result: object) -> None:
        self.shop.ctx.reload_settings()  # the job noted its run on its own connection: the schedule reads it
        self.outbox.refresh()
        self.campaigns.refresh()

