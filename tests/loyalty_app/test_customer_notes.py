"""Notes and tags on a customer through the services: cleaned, limited with clear errors, tags case-insensitive,
every change in the audit log with who made it, kept through merges and gone with an erasure; and the lookup by
the last four digits of a phone."""

from __future__ import annotations

import json

import pytest

from loyalty_app.errors import NotFound, ValidationError
from loyalty_app.phones import mask_phone


@pytest.fixture
def ada(shop):
    return shop.customers.sign_up("+14155550132", name="Ada Lovelace")


def _audit(shop, owner) -> list[tuple[str, str | None, str | None, dict]]:
    shop.ctx.actor = owner
    return [(r.action, r.subject, r.staff_name, json.loads(r.details)) for r in reversed(shop.audit_log())
            if r.action.startswith("customer.")]


def test_tags_are_trimmed_case_insensitive_and_shown_in_the_profile(shop, ada) -> None:
    assert shop.notes.add_tag(ada.id, "  VIP ") == "VIP"
    assert shop.notes.add_tag(ada.id, "vip") == "VIP"  # the same tag: kept as first written, once
    shop.notes.add_tag(ada.id, "nut allergy")
    shop.notes.set_notes(ada.id, "  prefers the\nunfiltered oil ")
    profile = shop.lookup.profile(ada.id)
    assert profile.tags == ("nut allergy", "VIP")
    assert profile.notes == "prefers the unfiltered oil"
    shop.notes.remove_tag(ada.id, "Vip")
    assert shop.notes.tags(ada.id) == ["nut allergy"]
    assert [c.id for c in shop.notes.customers_tagged("NUT ALLERGY")] == [ada.id]


@pytest.mark.parametrize(("call", "message"), [
    (lambda s, cid: s.notes.add_tag(cid, "   "), "a tag cannot be empty; nothing was saved"),
    (lambda s, cid: s.notes.add_tag(cid, "x" * 31), "the tag '" + "x" * 30 + "…' is too long: at most 30 "
                                                        "characters; nothing was saved"),
    (lambda s, cid: s.notes.add_tag(cid, "vip, gold"), "a tag cannot contain a comma ('vip, gold'): give each "
                                                        "tag on its own; nothing was saved"),
    (lambda s, cid: s.notes.set_notes(cid, "n" * 501), "notes are at most 500 characters (these are 501); "
                                                        "nothing was saved"),
])
def test_a_bad_tag_or_note_is_refused_with_its_reason(shop, ada, call, message) -> None:
    with pytest.raises(ValidationError) as exc:
        call(shop, ada.id)
    assert str(exc.value) == message
    assert shop.notes.tags(ada.id) == [] and shop.notes.notes(ada.id) is None


def test_removing_a_tag_the_customer_does_not_have_says_so(shop, ada) -> None:
    with pytest.raises(NotFound, match=f"customer #{ada.id} has no tag 'gold'; nothing was changed"):
        shop.notes.remove_tag(ada.id, "gold")


def test_twenty_tags_at_most(shop, ada) -> None:
    shop.notes.set_tags(ada.id, [f"tag {i}" for i in range(20)])
    with pytest.raises(ValidationError, match="already has 20 tags"):
        shop.notes.add_tag(ada.id, "one more")
    assert len(shop.notes.tags(ada.id)) == 20


def test_saving_both_fields_checks_every_tag_before_writing_anything(shop, ada) -> None:
    shop.notes.save(ada.id, "old note", "vip")
    with pytest.raises(ValidationError, match="too long"):
        shop.notes.save(ada.id, "new note", "gold, " + "y" * 40)
    assert shop.notes.notes(ada.id) == "old note" and shop.notes.tags(ada.id) == ["vip"]
    assert shop.notes.save(ada.id, "", " Gold ,vip,, GOLD ") == (None, ["Gold", "vip"])


def test_every_change_is_in_the_audit_log_with_who_made_it(shop, ada, owner) -> None:
    sam = shop.staff.sign_in("sam", "1111")
    shop.notes.set_notes(ada.id, "likes basil", actor=sam)
    shop.notes.add_tag(ada.id, "VIP", actor=sam)
    shop.notes.remove_tag(ada.id, "vip", actor=owner)
    shop.customers.edit(ada.id, notes="likes lemon", actor=owner)
    sid = str(ada.id)
    assert _audit(shop, owner) == [
        ("customer.notes", sid, "sam", {"characters": 11}),
        ("customer.tag_add", sid, "sam", {"tag": "VIP"}),
        ("customer.tag_remove", sid, "owner", {"tag": "VIP"}),
        ("customer.notes", sid, "owner", {"characters": 11}),
    ]


def test_a_merge_keeps_both_customers_tags_once(shop, ada, owner) -> None:
    dup = shop.customers.sign_up("+14155550133", name="Ada L.")
    shop.notes.set_tags(ada.id, ["VIP"])
    shop.notes.set_tags(dup.id, ["vip", "wholesale"])
    shop.customers.merge(ada.id, dup.id, actor=owner)
    assert shop.notes.tags(ada.id) == ["VIP", "wholesale"]


def test_an_erasure_takes_the_tags_and_their_words_in_the_logs(shop, ada, owner) -> None:
    shop.notes.save(ada.id, "allergic to nuts", "nut allergy")
    shop.privacy.erase_customer(ada.id, actor=owner)
    assert shop.notes.notes(ada.id) is None and shop.notes.tags(ada.id) == []
    assert all("nut" not in json.dumps(d) for _, _, _, d in _audit(shop, owner))
    assert [d for (d,) in shop.ctx.db.conn.execute("SELECT data FROM change_log") if "nut" in d] == []


def test_four_digits_list_everyone_whose_phone_ends_so(shop, ada) -> None:
    bob = shop.customers.sign_up("+14155554567", name="Bob")
    cy = shop.customers.sign_up("+12125554567", name="Cy")
    cy2 = shop.customers.sign_up("+12125550999", name="Cy again")
    shop.customers.add_phone(bob.id, "+13105554567")  # two phones ending so: Bob is listed once
    result = shop.lookup.find("4567")
    assert result.kind == "last4"
    assert sorted(c.name for c in result.matches) == ["Bob", "Cy"]
    assert mask_phone(result.matched_phones[cy.id]) == "(•••) •••-4567"
    with pytest.raises(NotFound, match=r"'4567' matches 2 customers \(#\d+ \w+ \(•••\) •••-4567, "):
        shop.lookup.find_one("4567")
    assert [c.id for c in shop.lookup.find("0999").matches] == [cy2.id]
    assert shop.lookup.find("1111").matches == []


def test_a_merged_customer_is_found_by_last_four_as_the_survivor(shop, ada, owner) -> None:
    dup = shop.customers.sign_up("+14155557777", name="Ada L.")
    shop.customers.merge(ada.id, dup.id, actor=owner)
    assert [c.id for c in shop.lookup.find("7777").matches] == [ada.id]


def test_a_foreign_number_is_masked_but_its_last_four(shop) -> None:
    assert mask_phone("+447700900123", "US") == "+•• •••• ••0123"
