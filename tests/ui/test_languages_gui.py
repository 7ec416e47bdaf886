"""The window in the shop's language: a German counter, the language picked in the back office and in the
first-run wizard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from loyalty_app import i18n
from loyalty_app.shop import open_shop
from tests.conftest import OWNER_PIN
from ui.main_window import MainWindow

NBSP = "\u00a0"


@pytest.fixture
def german_shop(tmp_path: Path, clock):
    shop = open_shop(tmp_path / "de.sqlite", clock=clock)
    shop.initialise(shop_name="Ölmühle", region="DE", currency="EUR", time_zone="Europe/Berlin", owner_pin=OWNER_PIN,
                    language="de")
    owner = shop.staff.verify_owner(OWNER_PIN)
    shop.products.add(sku="GIFT", name="Geschenkkorb Toskana", price_cents=114900, actor=owner)
    shop.customers.sign_up("+4915112345678", name="Ada")
    yield shop
    shop.close()


def test_the_counter_of_a_german_shop_speaks_german(german_shop, qtbot) -> None:
    window = MainWindow(german_shop)
    qtbot.addWidget(window)
    window.show()
    counter = window.counter
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())][:2] == ["Kasse", "Verwaltung"]
    assert counter.sale_panel.finish_button.text() == "Verkauf abschließen (F12)"
    assert counter.sale_panel.who_label.text() == "Anonymer Verkauf"
    assert counter.customer_panel.name_label.text() == "Kein Kunde"
    qtbot.keyClicks(counter.lookup_input, "0151 12345678")
    qtbot.keyClick(counter.lookup_input, Qt.Key.Key_Return)
    assert counter.customer_panel.name_label.text() == "Ada"
    assert counter.customer_panel.balance_label.text() == "0 Punkte"
    assert counter.customer_panel.last_basket_label.text() == "Noch keine Einkäufe."
    assert counter.sale_panel.who_label.text() == "Verkauf für Ada"
    qtbot.keyClicks(counter.sale_panel.item_input, "GIFT")
    qtbot.keyClick(counter.sale_panel.item_input, Qt.Key.Key_Return)
    assert counter.sale_panel.total_label.text() == f"Summe 1.149,00{NBSP}€"
    basket = counter.sale_panel.basket
    assert [basket.headerData(i, Qt.Orientation.Horizontal) for i in range(4)] == ["Produkt", "Menge", "Preis",
                                                                                    "Betrag"]
    sale_id = counter.sale_panel.finish()
    assert counter.sale_panel.status_label.text() == (
        f"Verkauf Nr. {sale_id} gespeichert: 1.149,00{NBSP}€, +1.149 Punkte, Stand 1.149.  Strg+P: Bon")


def test_the_owner_picks_the_language_in_the_back_office(catalogue, qtbot) -> None:
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    window.show()
    assert window.counter.sale_panel.finish_button.text() == "Finish sale (F12)"
    assert window.backoffice.unlock(OWNER_PIN)
    picker = window.backoffice.language
    assert picker.combo.currentText() == "English"
    picker.choose("fr")
    assert picker.message.text() == ("Enregistré : tickets, cartes, rapports et e-mails dès maintenant ; la fenêtre "
                                     "au prochain démarrage.")
    assert catalogue.ctx.language == "fr"
    reopened = open_shop(catalogue.path)
    try:
        assert reopened.ctx.language == "fr"
    finally:
        reopened.close()
    again = MainWindow(catalogue)  # the window of the next start
    qtbot.addWidget(again)
    assert again.counter.sale_panel.finish_button.text() == "Terminer la vente (F12)"


def test_the_first_run_wizard_asks_for_the_language(qtbot) -> None:
    from ui.first_run_wizard import FirstRunWizard

    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    assert [wizard.language.itemText(i) for i in range(wizard.language.count())] == ["English", "Deutsch",
                                                                                      "Français", "Español"]
    assert wizard.setup().language == "en"
    wizard.language.setCurrentIndex(wizard.language.findData("es"))
    assert wizard.setup().language == "es"


def test_the_language_chosen_at_set_up_is_the_new_shops(tmp_path: Path) -> None:
    from loyalty_app.first_run import ShopSetup, create_shop

    shop = create_shop(tmp_path / "es.sqlite", ShopSetup(shop_name="La Almazara", country="ES", owner_pin="2468",
                                                         language="es"))
    try:
        assert (shop.ctx.language, str(i18n.current_locale())) == ("es", "es_ES")
    finally:
        shop.close()


def test_qts_own_buttons_follow_the_shops_language(qapp) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.qt_translations import install_qt_translations

    translator = install_qt_translations(qapp, "de")
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"
    finally:
        assert translator is not None and qapp.removeTranslator(translator)
    assert install_qt_translations(qapp, "en") is None
