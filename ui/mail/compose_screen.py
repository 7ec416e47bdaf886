"""Compose an announcement: pick a product, review the proposed audience, preview, send with progress and Cancel."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from loyalty_app import jobs
from loyalty_app.context import Staff
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import _
from loyalty_app.mail import campaigns
from loyalty_app.shop import Shop
from ui.mail.audience_table_model import AudienceTableModel
from ui.task_runner import Control, JobFn, Outcome, Task, TaskRunner


def mail_job(job: Callable[..., Any]) -> JobFn:
    """A mail job (``job(progress=..., cancelled=...)``, its own connection) as the task runner calls it."""
    def run(cancelled: Control) -> Any:
        return job(progress=cancelled.progress, cancelled=cancelled)
    return run


class ComposeScreen(QWidget):
    sig_sent = Signal(object)
    """A send job finished (its summary); the outbox and results views refresh."""
    sig_proposed = Signal(int)
    """The proposed audience is shown (how many would receive the email)."""

    def __init__(self, shop: Shop, tasks: TaskRunner) -> None:
        super().__init__()
        self.shop, self.tasks = shop, tasks
        self.actor: Staff | None = None
        self.task: Task | None = None
        self.plan_task: Task | None = None
        self.plan: campaigns.AnnouncePlan | None = None

        self.product_combo = QComboBox()
        self.product_combo.setAccessibleName("product to announce")
        self.propose_button = QPushButton(_("Propose audience"))
        self.count_label = QLabel(_("Pick a product and propose its audience."))
        self.count_label.setWordWrap(True)
        self.audience_model = AudienceTableModel()
        self.audience_view = QTableView()
        self.audience_view.setModel(self.audience_model)
        self.audience_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.audience_view.horizontalHeader().setStretchLastSection(True)
        self.preview_combo = QComboBox()
        self.preview_combo.setAccessibleName("preview as customer")
        self.subject_line = QLineEdit()
        self.subject_line.setReadOnly(True)
        self.preview_html = QTextBrowser()
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        self.send_button = QPushButton(_("Send"))
        self.send_button.setEnabled(False)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self._layout()

        self.propose_button.clicked.connect(self._on_propose_clicked)
        self.preview_combo.currentIndexChanged.connect(self._on_preview_combo_changed)
        self.send_button.clicked.connect(self._on_send_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.reload_products()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Announce")))
        top.addWidget(self.product_combo, 1)
        top.addWidget(self.propose_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addWidget(self.count_label)
        lv.addWidget(self.audience_view)
        right = QWidget()
        rv = QVBoxLayout(right)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Preview as")))
        row.addWidget(self.preview_combo, 1)
        rv.addLayout(row)
        rv.addWidget(self.subject_line)
        parts = QTabWidget()
        parts.addTab(self.preview_html, _("HTML"))
        parts.addTab(self.preview_text, _("Plain text"))
        rv.addWidget(parts)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.send_button)
        bottom.addWidget(self.cancel_button)
        v = QVBoxLayout(self)
        v.addLayout(top)
        v.addWidget(split, 1)
        v.addLayout(bottom)
        v.addWidget(self.status_label)

    def reload_products(self) -> None:
        """The catalogue's active products to choose from (the one chosen stays chosen while it is sold)."""
        chosen = self.product_combo.currentData()
        self.product_combo.blockSignals(True)
        self.product_combo.clear()
        for p in sorted(self.shop.products.list(include_inactive=False), key=lambda p: p.name.lower()):
            self.product_combo.addItem(f"{p.name} ({p.sku})", p.sku)
        if chosen is not None and (index := self.product_combo.findData(chosen)) >= 0:
            self.product_combo.setCurrentIndex(index)
        self.product_combo.blockSignals(False)

    # intent-level methods the tests drive
    def choose_product(self, sku: str) -> None:
        self.product_combo.setCurrentIndex(self.product_combo.findData(sku))

    def propose(self) -> None:
        """Work out the audience on a worker (its own connection); the table fills in when it is ready."""
        sku = self.product_combo.currentData()
        if not sku:
            return
        self.propose_button.setEnabled(False)
        self.count_label.setText(_("Working out who this product suits…"))
        self.plan_task = self.tasks.submit("proposing an audience", mail_job(functools.partial(
            jobs.plan_announcement, self.shop.path, sku, clock=self.shop.ctx.clock)),
            on_done=self._on_plan_task_finished, on_failed=self._on_plan_task_failed)

    def show_plan(self, plan: campaigns.AnnouncePlan) -> None:
        self.plan = plan
        rows = [r for r in plan.rows if r.status == "mail"]
        self.audience_model.set_rows(rows)
        c = plan.counts()
        self.count_label.setText(
            _("{mail} will receive it; {control} held back as the control group; {already} already emailed; {capped} "
              "emailed too recently; {not_contactable} without consent or email; {loose} only loosely related (a "
              "common tag or the category), not proposed.").format(
                mail=c["mail"], control=c["control"], already=c["already"], capped=c["capped"],
                not_contactable=c["not_contactable"], loose=c["loosely_related"]))
        self.preview_combo.blockSignals(True)
        self.preview_combo.clear()
        for r in rows:
            self.preview_combo.addItem(f"{r.name or '#' + str(r.customer_id)} <{r.email}>", r.customer_id)
        self.preview_combo.blockSignals(False)
        self.send_button.setEnabled(bool(rows) and self.task is None)
        self.show_preview(rows[0].customer_id if rows else None)
        self.sig_proposed.emit(len(rows))

    def _on_plan_task_finished(self, outcome: Outcome) -> None:
        plan: campaigns.AnnouncePlan = outcome.value
        self.propose_button.setEnabled(True)
        self.plan_task = None
        if plan.product["sku"].lower() == str(self.product_combo.currentData()).lower():
            self.show_plan(plan)

    def _on_plan_task_failed(self, outcome: Outcome) -> None:
        self.propose_button.setEnabled(True)
        self.plan_task = None
        self.count_label.setText(outcome.error)

    def show_preview(self, customer_id: int | None) -> None:
        if customer_id is None or not self.product_combo.currentData():
            self.subject_line.clear()
            self.preview_html.clear()
            self.preview_text.clear()
            return
        mail = self.shop.mail.preview(self.product_combo.currentData(), customer_id)
        self.subject_line.setText(_("To {address}: {subject}").format(address=mail["to"], subject=mail["subject"]))
        self.preview_html.setHtml(mail["html"])
        self.preview_text.setPlainText(mail["text"])

    def _owner(self) -> Staff | None:
        if self.actor is not None and self.actor.is_owner:
            return self.actor
        signed_in = self.shop.ctx.actor  # the owner signed in at the window needs no second PIN
        if signed_in is not None and signed_in.is_owner:
            return signed_in
        pin, ok = QInputDialog.getText(self, _("Owner PIN"), _("Sending emails needs the owner's PIN:"),
                                       QLineEdit.EchoMode.Password)
        if not ok:
            return None
        try:
            self.actor = self.shop.staff.verify_owner(pin)
        except LoyaltyError as exc:
            self.status_label.setText(str(exc))
            return None
        return self.actor

    def send(self) -> None:
        sku = self.product_combo.currentData()
        who = self._owner()
        if not sku or who is None:
            return
        job = functools.partial(jobs.announce_and_deliver, self.shop.path, sku, who,
                                sorted(self.audience_model.excluded), clock=self.shop.ctx.clock)
        self.start(job, _("Sending the announcement…"))

    def start(self, job: Any, text: str) -> None:
        """Run a queue-and-deliver job (``job(progress=..., cancel=...)``) with the progress bar and Cancel."""
        self.send_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.status_label.setText(text)
        self.task = self.tasks.submit("sending emails", mail_job(job), writes=True,
                                      on_done=self._on_task_finished, on_failed=self._on_task_failed,
                                      on_progress=self._on_task_progress)

    def _on_propose_clicked(self) -> None:
        self.propose()

    def _on_preview_combo_changed(self, index: int) -> None:
        self.show_preview(self.preview_combo.itemData(index) if index >= 0 else None)

    def _on_send_clicked(self) -> None:
        self.send()

    def _on_cancel_clicked(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status_label.setText(_("Cancelling after the current email…"))

    def _on_task_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status_label.setText(_('{done} of {total}: {text}').format(done=done, total=total, text=text))

    def _done(self) -> None:
        self.cancel_button.setEnabled(False)
        self.task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1)

    def _on_task_finished(self, outcome: Outcome) -> None:
        result: jobs.MailRun = outcome.value
        self._done()
        d = result.delivery
        text = _("Queued {queued} (control {control}). Sent {sent}, failed {failed}, still queued {left}.").format(
            queued=len(result.queued.queued), control=len(result.queued.control), sent=d.sent, failed=d.failed,
            left=d.remaining)
        if d.cancelled:
            text += " " + _("Cancelled: the rest stay queued.")
        if d.error:
            text += f" {d.error}"
        self.status_label.setText(text)
        self.propose()
        self.sig_sent.emit(result)

    def _on_task_failed(self, outcome: Outcome) -> None:
        self._done()
        self.status_label.setText(outcome.error)
        self.send_button.setEnabled(True)
