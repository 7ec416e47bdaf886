"""The first-run wizard: shop name, country, owner PIN, points rules, backups, and how to start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from loyalty_app.errors import LoyaltyError
from loyalty_app.first_run import (
    COUNTRIES,
    START_DEMO,
    START_EMPTY,
    START_IMPORT,
    ShopSetup,
    country_defaults,
)
from loyalty_app.i18n import LANGUAGES, _
from loyalty_app.money import format_money
from loyalty_app.points_rules import PointsProgram
from loyalty_app.shop import data_dir


class FirstRunWizard(QWizard):
    """Asks the few things a new shop needs; ``setup()`` returns the answers once accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Set up Loyalty Desk"))
        self.setMinimumSize(640, 480)
        self._build_shop_page()
        self._build_owner_page()
        self._build_points_page()
        self._build_backup_page()
        self._build_start_page()

    # -- pages -----------------------------------------------------------------------------------------
    def _page(self, title: str, subtitle: str) -> tuple[QWizardPage, QFormLayout]:
        page = QWizardPage()
        page.setTitle(title)
        page.setSubTitle(subtitle)
        form = QFormLayout(page)
        self.addPage(page)
        return page, form

    def _build_shop_page(self) -> None:
        page, form = self._page(_("Your shop"), _("The name goes on slips and cards; the country sets how phone "
                                             "numbers are read and the currency."))
        self.shop_name = QLineEdit()
        self.shop_name.setAccessibleName("shop name")
        self.shop_name.setPlaceholderText(_("e.g. Olive & Vine"))
        self.country = QComboBox()
        self.country.setAccessibleName("country")
        for code, (name, currency, _zone) in sorted(COUNTRIES.items(), key=lambda kv: kv[1][0]):
            self.country.addItem(f"{name} ({currency})", code)
        self.country.setCurrentIndex(self.country.findData("US"))
        self.time_zone = QLineEdit()
        self.time_zone.setAccessibleName("time zone")
        self.language = QComboBox()
        self.language.setAccessibleName("language")
        for code, language in LANGUAGES.items():
            self.language.addItem(language, code)
        self.country.currentIndexChanged.connect(self._on_country_changed)
        self._on_country_changed()
        form.addRow(_("Shop name"), self.shop_name)
        form.addRow(_("Country"), self.country)
        form.addRow(_("Time zone"), self.time_zone)
        form.addRow(_("Language"), self.language)
        page.registerField("shop_name*", self.shop_name)

    def _build_owner_page(self) -> None:
        page, form = self._page(_("The owner"), _("Owner-only actions (settings, reports, emails, adjustments) ask "
                                             "for this PIN. Use 4 to 12 digits."))
        self.owner_name = QLineEdit("owner")
        self.owner_name.setAccessibleName("owner name")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("owner PIN")
        self.pin_again = QLineEdit()
        self.pin_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_again.setAccessibleName("owner PIN again")
        self.pin_message = QLabel("")
        self.pin_message.setAccessibleName("PIN message")
        form.addRow(_("Owner name"), self.owner_name)
        form.addRow(_("PIN"), self.pin)
        form.addRow(_("PIN again"), self.pin_again)
        form.addRow("", self.pin_message)
        page.validatePage = self._validate_pin  # type: ignore[method-assign]

    def _build_points_page(self) -> None:
        page, form = self._page(_("Points"), _("Good defaults are filled in; you can change them later in the back "
                                          "office."))
        d = PointsProgram()
        self.earn = self._spin(0, 100, d.earn_points, "points per currency unit")
        self.redeem_points = self._spin(1, 100000, d.redeem_points, "points for a reward")
        self.redeem_value = self._spin(1, 100000, d.redeem_cents // 100, "reward value")
        self.min_redeem = self._spin(0, 100000, d.min_redeem_points, "minimum redemption")
        self.max_percent = self._spin(0, 100, d.max_redeem_percent, "most of a basket in percent")
        self.expiry_months = self._spin(0, 120, 0, "expiry months (0 = never)")
        self.bonus = self._spin(0, 100000, d.welcome_bonus, "welcome bonus")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("points summary")
        form.addRow(_("Points per 1.00 spent"), self.earn)
        form.addRow(_("Points for a reward"), self.redeem_points)
        form.addRow(_("Reward value (whole units)"), self.redeem_value)
        form.addRow(_("Smallest redemption (points)"), self.min_redeem)
        form.addRow(_("Points may pay up to (%)"), self.max_percent)
        form.addRow(_("Points expire after (months, 0 = never)"), self.expiry_months)
        form.addRow(_("Welcome bonus (points)"), self.bonus)
        form.addRow(self.summary)
        for spin in (self.earn, self.redeem_points, self.redeem_value, self.min_redeem, self.max_percent,
                     self.expiry_months, self.bonus):
            spin.valueChanged.connect(self._on_points_changed)
        self._on_points_changed()

    def _build_backup_page(self) -> None:
        page, form = self._page(_("Backups"), _("A copy of the shop is made every day and before every upgrade. "
                                           "A USB stick or a synced cloud folder keeps it safe from a broken PC."))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.backup_dir = QLineEdit(str(data_dir() / "backups"))
        self.backup_dir.setAccessibleName("backup folder")
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._on_browse_clicked)
        layout.addWidget(self.backup_dir)
        layout.addWidget(browse)
        form.addRow(_("Backup folder"), row)

    def _build_start_page(self) -> None:
        page = QWizardPage()
        page.setTitle(_("How do you want to start?"))
        layout = QVBoxLayout(page)
        self.start_group = QButtonGroup(page)
        for text, value in ((_("Start with an empty shop"), START_EMPTY),
                            (_("Import sales and customers from my till's export (Square, Shopify, Loyverse, CSV)"),
                             START_IMPORT),
                            (_("Open the demo shop to look around first"), START_DEMO)):
            button = QRadioButton(text)
            button.setProperty("start", value)
            button.setAccessibleName(value)
            self.start_group.addButton(button)
            layout.addWidget(button)
        self.start_group.buttons()[0].setChecked(True)
        self.addPage(page)

    # -- behaviour -------------------------------------------------------------------------------------
    @staticmethod
    def _spin(low: int, high: int, value: int, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setAccessibleName(name)
        return spin

    def _currency(self) -> str:
        return country_defaults(str(self.country.currentData()))[0]

    def program(self) -> PointsProgram:
        months = self.expiry_months.value()
        return PointsProgram(
            earn_points=self.earn.value(), earn_per_cents=100, redeem_points=self.redeem_points.value(),
            redeem_cents=self.redeem_value.value() * 100, min_redeem_points=self.min_redeem.value(),
            max_redeem_percent=self.max_percent.value(), expiry_mode="after_earning" if months else "never",
            expiry_months=months, welcome_bonus=self.bonus.value())

    def _on_country_changed(self) -> None:
        self.time_zone.setText(country_defaults(str(self.country.currentData()))[1])

    def _on_points_changed(self) -> None:
        currency = self._currency()
        try:
            program = self.program()
            program.validate()
            self.summary.setText(program.summary(lambda c: format_money(c, currency)))
        except LoyaltyError as exc:
            self.summary.setText(str(exc))

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Backup folder"), self.backup_dir.text())
        if folder:
            self.backup_dir.setText(folder)

    def _validate_pin(self) -> bool:
        pin = self.pin.text()
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            self.pin_message.setText(_("A PIN is 4 to 12 digits."))
            return False
        if pin != self.pin_again.text():
            self.pin_message.setText(_("The two PINs are not the same."))
            return False
        self.pin_message.setText("")
        return True

    def setup(self) -> ShopSetup:
        checked = self.start_group.checkedButton()
        return ShopSetup(
            shop_name=self.shop_name.text().strip(), country=str(self.country.currentData()),
            owner_pin=self.pin.text(), owner_name=self.owner_name.text().strip() or "owner",
            time_zone=self.time_zone.text().strip() or None, program=self.program(),
            backup_dir=Path(self.backup_dir.text()) if self.backup_dir.text().strip() else None,
            start=str(checked.property("start")) if checked else START_EMPTY,
            language=str(self.language.currentData()))
