"""Notes and tags at the counter and in the edit dialog, and the last-four lookup, in the real window on a real
temporary shop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.counter_support import find, window

pytestmark = pytest.mark.gui
__all__ = ["window"]  # the fixture, from tests.counter_support


def test_the_loaded_profile_shows_notes_and_tags_and_enter_saves_a_change(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.notes.save(ada.id, "prefers the unfiltered oil", "VIP")
    find(qtbot, window, "4155550132")
    bar = window.counter.customer_panel.notes_bar
    assert (bar.tags_input.text(), bar.notes_input.text()) == ("VIP", "prefers the unfiltered oil")
    bar.tags_input.setFocus()
    bar.tags_input.end(False)
    qtbot.keyClicks(bar.tags_input, ", nut allergy, vip")
    with qtbot.waitSignal(window.counter.sig_customer_changed) as changed:
        qtbot.keyClick(bar.tags_input, Qt.Key.Key_Return)
    assert changed.args == [ada.id]
    assert bar.tags_input.text() == "nut allergy, VIP" and bar.message.text() == "Notes and tags saved."
    assert catalogue.notes.tags(ada.id) == ["nut allergy", "VIP"]
    qtbot.keyClick(window.counter.lookup_input, Qt.Key.Key_Escape)
    assert bar.tags_input.text() == "" and not bar.tags_input.isEnabled()


def test_a_refused_tag_says_why_and_saves_nothing(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    find(qtbot, window, "4155550132")
    bar = window.counter.customer_panel.notes_bar
    qtbot.keyClicks(bar.notes_input, "call before delivery")
    bar.tags_input.setText("x" * 31)
    qtbot.keyClick(bar.notes_input, Qt.Key.Key_Return)
    assert bar.message.text() == "the tag '" + "x" * 30 + "…' is too long: at most 30 characters; nothing was saved"
    assert catalogue.notes.notes(ada.id) is None and catalogue.notes.tags(ada.id) == []


def test_four_digits_list_the_matches_with_the_phone_masked(catalogue, window, qtbot) -> None:
    catalogue.customers.sign_up("+14155554567", name="Ada")
    bob = catalogue.customers.sign_up("+12125554567", name="Bob")
    catalogue.customers.sign_up("+12125550999", name="Cy")
    find(qtbot, window, "4567")
    matches = window.counter.matches_list
    assert matches.isVisible()
    assert sorted(matches.item(i).text() for i in range(matches.count())) == [
        "Ada — (•••) •••-4567 — 0 points", "Bob — (•••) •••-4567 — 0 points"]
    while matches.currentItem().data(Qt.ItemDataRole.UserRole) != bob.id:
        qtbot.keyClick(matches, Qt.Key.Key_Down)
    qtbot.keyClick(matches, Qt.Key.Key_Return)
    assert window.counter.customer_panel.name_label.text() == "Bob"
    find(qtbot, window, "0999")  # one match opens
    assert window.counter.customer_panel.name_label.text() == "Cy"


def test_the_edit_dialog_shows_and_saves_notes_and_tags(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.notes.save(ada.id, "likes basil", "vip")
    find(qtbot, window, "4155550132")
    dialog = window.counter.edit_customer()
    assert (dialog.notes_input.text(), dialog.tags_input.text()) == ("likes basil", "vip")
    dialog.notes_input.setText("likes lemon")
    dialog.tags_input.setText("vip, gift buyer")
    dialog.name_input.setText("Ada King")
    dialog._on_save()
    assert catalogue.notes.notes(ada.id) == "likes lemon"
    assert catalogue.notes.tags(ada.id) == ["gift buyer", "vip"]
    bar = window.counter.customer_panel.notes_bar
    assert bar.tags_input.text() == "gift buyer, vip" and bar.notes_input.text() == "likes lemon"


def test_the_edit_dialog_saves_nothing_when_a_tag_is_refused(catalogue, window, qtbot) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    find(qtbot, window, "4155550132")
    dialog = window.counter.edit_customer()
    dialog.name_input.setText("Ada King")
    dialog.tags_input.setText(", ".join(f"tag {i}" for i in range(22)))
    dialog._on_save()
    assert dialog.message.text() == "a customer can have at most 20 tags (22 given); nothing was saved"
    assert dialog.isVisible()
    assert catalogue.customers.get(ada.id).name == "Ada"
    dialog.reject()
