"""The counter's sign-up and edit dialogs: one consent box per type of email, with who recorded it and when."""

from __future__ import annotations

import pytest

from loyalty_app.consent_types import EmailConsent
from tests.counter_support import find, window

pytestmark = pytest.mark.gui
__all__ = ["window"]  # the fixture, from tests.counter_support


def test_sign_up_ticks_only_the_types_the_customer_wants(catalogue, window, qtbot) -> None:
    find(qtbot, window, "(415) 555-0177")
    dialog = window.counter.sign_up()
    assert [b.text() for b in dialog.consent.boxes.values()] == [
        "new products", "refill reminders when my favourites are due",
        "news: a welcome, and a note when we have not seen me for a while"]
    assert not any(b.isChecked() for b in dialog.consent.boxes.values())
    qtbot.keyClicks(dialog.email_input, "grace@example.com")
    dialog.consent.boxes["refills"].click()
    dialog.submit()
    grace = catalogue.lookup.find_one("+14155550177")
    assert grace.consent == EmailConsent(refills=True)


def test_edit_shows_who_recorded_each_answer_and_saves_one_change(catalogue, owner, window, qtbot, clock) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada", email="ada@example.com", email_consent=True,
                                      actor=owner)
    clock.advance(days=1)
    find(qtbot, window, "4155550132")
    dialog = window.counter.edit_customer()
    assert dialog.consent.answers() == {"announcements": True, "refills": True, "news": True}
    assert dialog.consent.recorded["news"].text() == "yes, 2026-11-02 (counter by owner)"
    dialog.consent.boxes["announcements"].click()
    dialog._on_save()
    assert catalogue.customers.get(ada.id).consent == EmailConsent(refills=True, news=True)
    again = window.counter.edit_customer()
    assert again.consent.recorded["announcements"].text() == "no, 2026-11-03 (counter)"
    assert again.consent.recorded["refills"].text() == "yes, 2026-11-02 (counter by owner)"
