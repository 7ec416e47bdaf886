"""The Email tab: compose, outbox and results; runs due refill reminders while the app is open."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from loyalty_app import jobs
from loyalty_app.shop import Shop
from ui.mail.campaigns_screen import CampaignsScreen
from ui.mail.compose_screen import ComposeScreen
from ui.mail.mail_settings_dialog import MailSettingsDialog
from ui.mail.outbox_screen import OutboxScreen

SCHEDULE_CHECK_MS = 60 * 60 * 1000


class MailTab(QWidget):
    def __init__(self, shop: Shop) -> None:
        super().__init__()
        self.shop = shop
        self.compose = ComposeScreen(shop)
        self.outbox = OutboxScreen(shop)
        self.campaigns = CampaignsScreen(shop)
        self.refill_button = QPushButton("Send refill reminders now")
        self.settings_button = QPushButton("Email set-up…")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.compose, "Announce")
        self.tabs.addTab(self.outbox, "Outbox")
        self.tabs.addTab(self.campaigns, "Results")
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
        # The owner's refill schedule runs while the app is open (and headless from cron via the CLI).
        self.schedule_timer = QTimer(self)
        self.schedule_timer.setInterval(SCHEDULE_CHECK_MS)
        self.schedule_timer.timeout.connect(self._on_schedule_timer_timeout)
        self.schedule_timer.start()
        app = QCoreApplication.instance()
        if app is not None:  # closing the app stops a send between two emails; the rest stay queued
            app.aboutToQuit.connect(self._on_app_about_to_quit)

    def _on_app_about_to_quit(self) -> None:
        for task in (self.compose.task, self.compose.plan_task):
            if task is not None:
                task.cancel()

    def send_refill(self) -> None:
        who = self.compose._owner()
        if who is None:
            return
        job = functools.partial(jobs.refill_and_deliver, self.shop.path, who, clock=self.shop.ctx.clock)
        self.compose.start(job, "Sending refill reminders…")

    def open_settings(self) -> MailSettingsDialog | None:
        who = self.compose._owner()
        if who is None:
            return None
        dialog = MailSettingsDialog(self.shop, who, self)
        dialog.open()
        return dialog

    def _on_settings_clicked(self) -> None:
        self.open_settings()

    def _on_refill_clicked(self) -> None:
        self.send_refill()

    def _on_schedule_timer_timeout(self) -> None:
        owner = self.compose.actor or self.shop.ctx.actor
        if self.compose.task is None and owner is not None and owner.is_owner and self.shop.mail.refill_run_is_due():
            job = functools.partial(jobs.refill_and_deliver, self.shop.path, owner, clock=self.shop.ctx.clock)
            self.compose.start(job, "Scheduled refill reminders…")

    def _on_compose_sent(self, result: object) -> None:
        self.outbox.refresh()
        self.campaigns.refresh()


def install(window: Any) -> MailTab:
    """Add the Email tab to the main window (through ``add_tab`` when the window offers it)."""
    tab = MailTab(window.shop)
    if hasattr(window, "add_tab"):
        window.add_tab(tab, "Email")
    else:
        window.tabs.addTab(tab, "Email")
    window.mail = tab
    return tab
