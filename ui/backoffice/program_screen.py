"""The points program editor: the rules in a form, their plain-language summary, what a change does to points
already earned, and every past version with who changed it and when."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loyalty_app import jobs
from loyalty_app.clock import from_iso
from loyalty_app.context import Staff
from loyalty_app.errors import LoyaltyError
from loyalty_app.i18n import N_, _, format_datetime
from loyalty_app.money import cents_to_decimal_text, format_money, parse_money
from loyalty_app.points_rules import PointsProgram
from loyalty_app.program_impact import Impact
from loyalty_app.shop import Shop
from ui.backoffice.text_table_model import TextTableModel
from ui.quiet import quiet
from ui.task_runner import Outcome, TaskRunner
from ui.theme import panel_style, warning_style

EXPIRY = [("never", N_("Points never expire")), ("after_earning", N_("Months after they are earned")),
          ("inactivity", N_("Months without a visit"))]


class ProgramScreen(QWidget):
    sig_program_saved = Signal()
    """A new version of the program was saved."""
    sig_reviewed = Signal(list)
    """The effects of the edited program on points already earned were worked out (list of messages)."""

    def __init__(self, shop: Shop, owner: Staff, tasks: TaskRunner) -> None:
        super().__init__()
        self.shop, self.owner, self.tasks = shop, owner, tasks
        self.impacts: list[Impact] | None = None  # None: not reviewed since the last edit
        cur = shop.ctx.currency
        self.earn_points, self.redeem_points = QSpinBox(), QSpinBox()
        self.min_redeem, self.max_percent, self.expiry_months, self.welcome = (QSpinBox(), QSpinBox(), QSpinBox(),
                                                                               QSpinBox())
        for box, hi in ((self.earn_points, 1000), (self.redeem_points, 100000), (self.min_redeem, 100000),
                        (self.max_percent, 100), (self.expiry_months, 120), (self.welcome, 100000)):
            box.setRange(0, hi)
        self.redeem_points.setMinimum(1)
        self.max_percent.setSuffix(" %")
        self.expiry_months.setSuffix(_(" months"))
        self.earn_per, self.redeem_value = QLineEdit(), QLineEdit()
        for e in (self.earn_per, self.redeem_value):
            e.setMaximumWidth(90)
        self.expiry_mode = QComboBox()
        for _mode, label in EXPIRY:
            self.expiry_mode.addItem(_(label))
        for w, name in ((self.earn_points, "points earned"), (self.earn_per, f"for every amount spent ({cur})"),
                        (self.redeem_points, "points to redeem"), (self.redeem_value, f"discount they buy ({cur})"),
                        (self.expiry_mode, "expiry"), (self.expiry_months, "expiry months")):
            w.setAccessibleName(name)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        earn_row = QHBoxLayout()
        earn_row.addWidget(self.earn_points)
        earn_row.addWidget(QLabel(_('points for every ({cur})').format(cur=cur)))
        earn_row.addWidget(self.earn_per)
        earn_row.addStretch(1)
        redeem_row = QHBoxLayout()
        redeem_row.addWidget(self.redeem_points)
        redeem_row.addWidget(QLabel(_('points buy ({cur})').format(cur=cur)))
        redeem_row.addWidget(self.redeem_value)
        redeem_row.addWidget(QLabel(_("off")))
        redeem_row.addStretch(1)
        expiry_row = QHBoxLayout()
        expiry_row.addWidget(self.expiry_mode)
        expiry_row.addWidget(self.expiry_months)
        expiry_row.addStretch(1)
        form.addRow(_("Earning"), earn_row)
        form.addRow(_("Redeeming"), redeem_row)
        form.addRow(_("Smallest redemption"), self.min_redeem)
        form.addRow(_("Most of a basket points may pay"), self.max_percent)
        form.addRow(_("Expiry"), expiry_row)
        form.addRow(_("Welcome bonus (points)"), self.welcome)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(panel_style())
        self.summary.setAccessibleName("program summary")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(warning_style())
        self.warning.hide()
        self.save_button = QPushButton(_("Save changes"))
        self.revert_button = QPushButton(_("Undo edits"))
        self.message = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.message, 1)
        rules = QGroupBox(_("Rules"))
        rules_box = QVBoxLayout(rules)
        rules_box.addLayout(form)
        rules_box.addWidget(QLabel(_("In plain words:")))
        rules_box.addWidget(self.summary)
        rules_box.addWidget(self.warning)
        rules_box.addLayout(buttons)
        self.history_model = TextTableModel([_("Changed"), _("By"), _("Rules")])
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.setAccessibleName("program history")
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setWordWrap(True)
        hist = QGroupBox(_("Every version, newest first"))
        QVBoxLayout(hist).addWidget(self.history)
        layout = QVBoxLayout(self)
        layout.addWidget(rules)
        layout.addWidget(hist, 1)
        for w in (self.earn_points, self.redeem_points, self.min_redeem, self.max_percent, self.expiry_months,
                  self.welcome):
            w.valueChanged.connect(self._on_form_edited)
        for e in (self.earn_per, self.redeem_value):
            e.textChanged.connect(self._on_form_edited)
        self.expiry_mode.currentIndexChanged.connect(self._on_form_edited)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)
        self.load()

    def _money(self, cents: int) -> str:
        return format_money(cents, self.shop.ctx.currency)

    # -- intent ------------------------------------------------------------------------------------------------
    def load(self) -> None:
        """Show the current program and its history."""
        p = self.shop.points.program()
        cur = self.shop.ctx.currency
        with quiet(self.earn_points, self.redeem_points, self.min_redeem, self.max_percent, self.expiry_months,
                   self.welcome, self.earn_per, self.redeem_value, self.expiry_mode):
            self.earn_points.setValue(p.earn_points)
            self.redeem_points.setValue(p.redeem_points)
            self.min_redeem.setValue(p.min_redeem_points)
            self.max_percent.setValue(p.max_redeem_percent)
            self.expiry_months.setValue(p.expiry_months)
            self.welcome.setValue(p.welcome_bonus)
            self.earn_per.setText(cents_to_decimal_text(p.earn_per_cents, cur))
            self.redeem_value.setText(cents_to_decimal_text(p.redeem_cents, cur))
            self.expiry_mode.setCurrentIndex([m for m, _label in EXPIRY].index(p.expiry_mode))
        self._on_form_edited()
        zone = self.shop.ctx.zone
        rows, history = [], self.shop.points.program_history()
        for h in history:
            rows.append([format_datetime(from_iso(h.changed_at).astimezone(zone)),
                         h.changed_by_name or _("set-up"), h.program.summary(self._money)])
        self.history_model.set_rows(rows, history)
        self.history.resizeRowsToContents()

    def edited_program(self) -> PointsProgram:
        """The program as the form shows it (LoyaltyError when an amount cannot be read or a rule is invalid)."""
        cur = self.shop.ctx.currency
        mode = EXPIRY[self.expiry_mode.currentIndex()][0]
        p = PointsProgram(
            earn_points=self.earn_points.value(), earn_per_cents=parse_money(self.earn_per.text(), currency=cur),
            redeem_points=self.redeem_points.value(),
            redeem_cents=parse_money(self.redeem_value.text(), currency=cur),
            min_redeem_points=self.min_redeem.value(), max_redeem_percent=self.max_percent.value(),
            expiry_mode=mode, expiry_months=self.expiry_months.value() if mode != "never" else 0,
            welcome_bonus=self.welcome.value())
        p.validate()
        return p

    def save(self) -> None:
        """First look at what the change does to points already earned; save once reviewed.

        With effects, the first click shows them and the button asks to confirm; the second click saves.
        """
        try:
            program = self.edited_program()
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return
        if program == self.shop.points.program():
            self.message.setText(_("Nothing has changed."))
            return
        if self.impacts is None:
            self.review(program)
            return
        try:
            self.shop.points.set_program(program, actor=self.owner)
        except LoyaltyError as exc:
            self.message.setText(str(exc))
            return
        self.load()
        self.message.setText(_("Saved. The new rules apply from now on."))
        self.sig_program_saved.emit()

    def review(self, program: PointsProgram) -> None:
        """Work out the effects on a worker thread (it reads every balance); the answer arrives as sig_reviewed."""
        path, clock = self.shop.path, self.shop.ctx.clock

        def job(_cancelled: Any) -> list[Impact]:
            return jobs.assess_program_change(path, program, clock=clock)
        self.save_button.setEnabled(False)
        self.message.setText(_("Checking what this does to points already earned…"))
        self.tasks.submit("checking the program change", job, on_done=self._on_review_done,
                          on_failed=self._on_review_failed)

    # -- slots -------------------------------------------------------------------------------------------------
    def _on_form_edited(self, *_args: object) -> None:
        self.impacts = None
        self.warning.hide()
        self.save_button.setText(_("Save changes"))
        self.expiry_months.setEnabled(self.expiry_mode.currentIndex() != 0)
        self.message.clear()
        try:
            text = self.edited_program().summary(self._money)
            self.summary.setText(text[:1].upper() + text[1:] + ".")
        except LoyaltyError as exc:
            self.summary.setText(_('Not valid yet: {exc}').format(exc=exc))

    def _on_review_done(self, outcome: Outcome) -> None:
        impacts: list[Impact] = outcome.value
        self.save_button.setEnabled(True)
        self.impacts = impacts
        if not impacts:
            self.message.clear()
            self.save()
            return
        self.warning.setText(_("This change affects points customers already have:") + "\n• "
                             + "\n• ".join(i.message for i in impacts))
        self.warning.show()
        self.save_button.setText(_("Save anyway"))
        self.message.setText("")
        self.sig_reviewed.emit([i.message for i in impacts])

    def _on_review_failed(self, outcome: Outcome) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(outcome.error)
