"""Compose an email in the owner's words — a product's announcement or the refill reminder — with a live preview
as the first recipient gets it, drafts kept as the owner types; review the audience, send with progress and Cancel."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loyalty_app import jobs
from loyalty_app.context import Staff
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import N_, _
from loyalty_app.mail import campaigns, reminders
from loyalty_app.mail.drafts import Wording
from loyalty_app.shop import Shop
from ui.mail.audience_table_model import AudienceTableModel
from ui.mail.email_preview import EmailPreview
from ui.mail.send_bar import SendBar, mail_job
from ui.mail.wording_editor import WordingEditor
from ui.task_runner import Outcome, Task, TaskRunner

DRAFT_SAVE_MS = 600  # the draft is kept this long after the owner stops typing (and before anything else)


class ComposeScreen(QWidget):
    sig_sent = Signal(object)
    """A send job finished (its summary); the outbox and results views refresh."""
    sig_proposed = Signal(int)
    """The proposed audience is shown (how many would receive the email)."""
    sig_draft_saved = Signal()
    """The draft as typed is kept in the shop's database."""

    def __init__(self, shop: Shop, tasks: TaskRunner) -> None:
        super().__init__()
        self.shop, self.tasks = shop, tasks
        self.actor: Staff | None = None
        self.plan_task: Task | None = None
        self.plan: campaigns.AnnouncePlan | None = None
        self.refill_rows: dict[int, reminders.RefillRow] = {}
        self._draft_key: tuple[str, str | None] | None = None

        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("which email")
        for label, kind in ((N_("A new product"), "announce"), (N_("The refill reminder"), "refill")):
            self.kind_combo.addItem(_(label), kind)
        self.product_combo = QComboBox()
        self.product_combo.setAccessibleName("product to announce")
        self.propose_button = QPushButton(_("Propose audience"))
        self.count_label = QLabel(_("Pick a product and propose its audience."))
        self.count_label.setWordWrap(True)
        self.count_label.setMinimumHeight(self.count_label.fontMetrics().lineSpacing() * 3)  # room for its lines
        self.editor = WordingEditor()
        self.audience_model = AudienceTableModel()
        self.audience_view = QTableView()
        self.audience_view.setModel(self.audience_model)
        self.audience_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.audience_view.horizontalHeader().setStretchLastSection(True)
        self.preview_combo = QComboBox()
        self.preview_combo.setAccessibleName("preview as customer")
        self.variant_combo = QComboBox()
        self.variant_combo.setAccessibleName("preview variant")
        for variant in ("A", "B"):
            self.variant_combo.addItem(_("Variant {variant}").format(variant=variant), variant)
        self.preview = EmailPreview()
        self.subject_line, self.preview_html, self.preview_text = (
            self.preview.subject_line, self.preview.preview_html, self.preview.preview_text)
        self.send_bar = SendBar(tasks)
        self.send_button, self.cancel_button, self.progress, self.status_label = (
            self.send_bar.send_button, self.send_bar.cancel_button, self.send_bar.progress, self.send_bar.status_label)
        self._dirty = False
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_SAVE_MS)
        self._layout()

        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.product_combo.currentIndexChanged.connect(self._on_product_combo_changed)
        self.propose_button.clicked.connect(self._on_propose_clicked)
        self.preview_combo.currentIndexChanged.connect(self._on_preview_combo_changed)
        self.variant_combo.currentIndexChanged.connect(self._on_preview_combo_changed)
        self.editor.sig_changed.connect(self._on_editor_changed)
        self.draft_timer.timeout.connect(self._on_draft_timer_timeout)
        self.send_button.clicked.connect(self._on_send_clicked)
        self.send_bar.sig_finished.connect(self._on_send_bar_finished)
        self.reload_products()
        self.load_draft()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Email")))
        top.addWidget(self.kind_combo)
        top.addWidget(self.product_combo, 1)
        top.addWidget(self.propose_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addWidget(self.editor)
        lv.addWidget(self.count_label)
        lv.addWidget(self.audience_view, 1)
        right = QWidget()
        rv = QVBoxLayout(right)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Preview as")))
        row.addWidget(self.preview_combo, 1)
        row.addWidget(self.variant_combo)
        rv.addLayout(row)
        rv.addWidget(self.preview, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        v = QVBoxLayout(self)
        v.addLayout(top)
        v.addWidget(split, 1)
        v.addWidget(self.send_bar)

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
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def choose_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def choose_product(self, sku: str) -> None:
        self.product_combo.setCurrentIndex(self.product_combo.findData(sku))

    def _key(self) -> tuple[str, str | None] | None:
        if self.kind() == "refill":
            return ("refill", None)
        sku = self.product_combo.currentData()
        return ("announce", str(sku)) if sku else None

    def load_draft(self) -> None:
        """Show the kept draft of the chosen email (a product's announcement starts from its usual subject)."""
        self.save_draft()  # whatever was typed for the previous one is kept first
        key = self._key()
        self._draft_key = key
        if key is None:
            self.editor.set_wording(Wording())
        else:
            draft = self.shop.mail.draft(*key)
            default = self.shop.mail.default_subject(key[1]) if key[1] else _("Time for a refill?")
            self.editor.set_wording(draft.wording if draft else Wording(default))
        self.product_combo.setEnabled(self.kind() == "announce")
        self._clear_audience()
        self.show_preview(None)

    def save_draft(self) -> None:
        """Keep the draft now if it changed since it was last kept."""
        if not self._dirty or self._draft_key is None:
            return
        self.draft_timer.stop()
        self._dirty = False
        try:
            self.shop.mail.save_draft(*self._draft_key, self.editor.wording(), self.shop.ctx.actor)
        except LoyaltyError as exc:
            self.status_label.setText(str(exc))
            return
        self.sig_draft_saved.emit()

    def propose(self) -> None:
        """Work out the audience on a worker (its own connection); the table fills in when it is ready."""
        key = self._key()
        if key is None:
            return
        self.propose_button.setEnabled(False)
        self.count_label.setText(_("Working out who this suits…") if key[0] == "announce" else _("Finding who is due…"))
        job = functools.partial(jobs.plan_announcement, self.shop.path, str(key[1]), clock=self.shop.ctx.clock) \
            if key[0] == "announce" else functools.partial(jobs.plan_refill, self.shop.path, clock=self.shop.ctx.clock)
        self.plan_task = self.tasks.submit("proposing an audience", mail_job(job),
                                           on_done=self._on_plan_task_finished, on_failed=self._on_plan_task_failed)

    def _clear_audience(self) -> None:
        self.plan, self.refill_rows = None, {}
        self.audience_model.set_rows([])
        self.preview_combo.blockSignals(True)
        self.preview_combo.clear()
        self.preview_combo.blockSignals(False)
        self.send_button.setEnabled(False)
        self.count_label.setText(_("Propose the audience to see who gets it.") if self._key() else
                                 _("Pick a product and propose its audience."))

    def _fill_recipients(self, rows: list[tuple[int, str | None, str]]) -> None:
        self.preview_combo.blockSignals(True)
        self.preview_combo.clear()
        for cid, name, email in rows:
            self.preview_combo.addItem(f"{name or '#' + str(cid)} <{email}>", cid)
        self.preview_combo.blockSignals(False)
        self.send_button.setEnabled(bool(rows) and self.task is None)
        self.show_preview(rows[0][0] if rows else None)  # as the first recipient gets it
        self.sig_proposed.emit(len(rows))

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
        self._fill_recipients([(r.customer_id, r.name, r.email) for r in rows])

    def show_refill_plan(self, plan: reminders.RefillPlan) -> None:
        rows = [r for r in plan.rows if r.status == "mail"]
        self.audience_model.set_rows([])
        self.refill_rows = {r.customer_id: r for r in rows}
        c = plan.counts()
        self.count_label.setText(_("{mail} due customers will receive it; {control} held back as the control group; "
                                   "{already} already reminded this cycle; {capped} emailed too recently; "
                                   "{not_contactable} without consent or email.").format(
            mail=c["mail"], control=c["control"], already=c["already"], capped=c["capped"],
            not_contactable=c["not_contactable"]))
        self._fill_recipients([(r.customer_id, r.name, r.email) for r in rows])

    def _on_plan_task_finished(self, outcome: Outcome) -> None:
        self.propose_button.setEnabled(True)
        self.plan_task = None
        plan = outcome.value
        if isinstance(plan, reminders.RefillPlan):
            if self.kind() == "refill":
                self.show_refill_plan(plan)
        elif self.kind() == "announce" and plan.product["sku"].lower() == str(self.product_combo.currentData()).lower():
            self.show_plan(plan)

    def _on_plan_task_failed(self, outcome: Outcome) -> None:
        self.propose_button.setEnabled(True)
        self.plan_task = None
        self.count_label.setText(outcome.error)

    def show_preview(self, customer_id: int | None = None) -> None:
        """The email in the words as typed, as ``customer_id`` (default: the one chosen) would receive it."""
        key = self._key()
        if customer_id is None and self.preview_combo.currentIndex() >= 0:
            customer_id = self.preview_combo.currentData()
        split = self.editor.wording().split
        if self.variant_combo.isVisibleTo(self) != split:
            self.variant_combo.setVisible(split)
        variant = str(self.variant_combo.currentData()) if split else None
        if key is None:
            self.preview.show_email(None)
            return
        try:
            if key[0] == "announce":
                mail = self.shop.mail.preview(str(key[1]), customer_id, self.editor.wording(), variant)
            else:
                row = self.refill_rows.get(customer_id) if customer_id is not None else None
                mail = self.shop.mail.preview_refill(row, self.editor.wording(), variant)
        except LoyaltyError as exc:
            self.status_label.setText(str(exc))
            return
        self.preview.show_email(mail)

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
        key = self._key()
        problem = self.editor.check()
        if problem:
            self.status_label.setText(problem)
            return
        who = self._owner()
        if key is None or who is None:
            return
        self.save_draft()
        wording, clock = self.editor.wording(), self.shop.ctx.clock
        if key[0] == "announce":
            job = functools.partial(jobs.announce_and_deliver, self.shop.path, str(key[1]), who,
                                    sorted(self.audience_model.excluded), clock=clock, wording=wording)
            self.start(job, "Sending the announcement…")
        else:
            self.start(functools.partial(jobs.refill_and_deliver, self.shop.path, who, clock=clock, wording=wording),
                       "Sending refill reminders…")

    @property
    def task(self) -> Task | None:
        """The send job running, if any."""
        return self.send_bar.task

    def start(self, job: Any, text: str) -> None:
        """Run a queue-and-deliver job (``job(progress=..., cancel=...)``) with the progress bar and Cancel."""
        self.send_bar.start(job, text)

    def _on_kind_combo_changed(self, index: int) -> None:
        self.load_draft()

    def _on_product_combo_changed(self, index: int) -> None:
        self.load_draft()

    def _on_editor_changed(self) -> None:
        self._dirty = True
        self.draft_timer.start()
        self.show_preview()

    def _on_draft_timer_timeout(self) -> None:
        self.save_draft()

    def _on_propose_clicked(self) -> None:
        self.propose()

    def _on_preview_combo_changed(self, index: int) -> None:
        self.show_preview()

    def _on_send_clicked(self) -> None:
        self.send()

    def _on_send_bar_finished(self, result: object) -> None:
        self.propose()
        self.sig_sent.emit(result)
