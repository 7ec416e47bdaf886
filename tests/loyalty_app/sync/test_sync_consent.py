"""Consent per type travels between stores: each type's newest answer wins everywhere, whichever store gave it."""

from __future__ import annotations

from loyalty_app.consent_types import EmailConsent
from tests.sync_harness import Network


def test_a_type_withdrawn_in_one_store_is_withdrawn_in_the_other_and_the_rest_stay(net: Network) -> None:
    down, harbour = net.nodes
    ada = down.shop.customers.sign_up("(650) 321-4477", name="Ada", email="ada@example.com", email_consent=True)
    net.tick()
    net.settle()
    there = harbour.shop.lookup.find_one("650.321.4477")
    assert there.consent == EmailConsent(True, True, True)
    harbour.shop.customers.set_consent(there.id, {"announcements": False}, "counter")
    net.tick()
    down.shop.customers.set_consent(ada.id, {"news": False}, "counter")  # the other store, another type
    net.tick()
    net.settle()
    expected = EmailConsent(announcements=False, refills=True, news=False)
    assert down.shop.customers.get(ada.id).consent == expected
    assert harbour.shop.customers.get(there.id).consent == expected
    assert down.shop.customers.get(ada.id).email_consent and harbour.shop.customers.get(there.id).email_consent
    assert set(harbour.shop.mail.contactable("refills")) == {there.id}
    assert not harbour.shop.mail.contactable("announcements")
