"""Customers: sign-up by phone alone, email and its consent, search by name or email, editing, merging."""

from __future__ import annotations

import pytest

from loyalty_app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from loyalty_app.sales import SaleItem
from tests.core_helpers import fingerprint


def test_sign_up_needs_one_phone_and_nothing_else(shop) -> None:
    c = shop.customers.sign_up("(415) 555-0132")
    summary = shop.customers.summary(c)
    assert summary.phones == ("+14155550132",)
    assert summary.name is None and summary.email is None and summary.email_consent is False
    assert summary.points_balance == 0


def test_sign_up_without_phone_or_email_is_refused(shop) -> None:
    before = fingerprint(shop)
    with pytest.raises(ValidationError, match="phone number is needed"):
        shop.customers.sign_up(None, name="Ada")
    assert fingerprint(shop) == before


@pytest.mark.parametrize("email", ["ada.example.com", "ada@", "@example.com", "ada @example.com"])
def test_an_email_without_at_and_domain_is_refused_and_nothing_changes(shop, email: str) -> None:
    before = fingerprint(shop)
    with pytest.raises(ValidationError, match="not an email address"):
        shop.customers.sign_up("(415) 555-0132", name="Ada", email=email)
    assert fingerprint(shop) == before


def test_a_bad_email_on_edit_changes_nothing(shop) -> None:
    c = shop.customers.sign_up("(415) 555-0132", name="Ada", email="ada@example.com")
    before = fingerprint(shop)
    with pytest.raises(ValidationError):
        shop.customers.edit(c.id, name="Ada L", email="ada-at-example.com")
    assert fingerprint(shop) == before


def test_email_consent_is_timestamped_revocable_and_says_where(shop, clock) -> None:
    c = shop.customers.sign_up("(415) 555-0132", email="ada@example.com", email_consent=True,
                               consent_source="counter")
    assert c.email_consent
    clock.advance(days=3)
    c = shop.customers.set_email_consent(c.id, False, source="unsubscribe link")
    assert not c.email_consent
    events = shop.ctx.db.conn.execute(
        "SELECT granted, source, at FROM consent_events WHERE customer_id = ? ORDER BY id", (c.id,)).fetchall()
    assert [tuple(e) for e in events] == [(1, "counter", "2026-11-02T18:30:00Z"),
                                          (0, "unsubscribe link", "2026-11-05T18:30:00Z")]


def test_consent_needs_an_email(shop) -> None:
    with pytest.raises(ValidationError, match="needs an email"):
        shop.customers.sign_up("(415) 555-0132", email_consent=True)


def test_an_email_belongs_to_one_customer(shop) -> None:
    shop.customers.sign_up("(415) 555-0132", email="ada@example.com")
    with pytest.raises(Conflict):
        shop.customers.sign_up("(415) 555-0133", email="ADA@example.com")


@pytest.mark.parametrize(("typed", "expected"), [
    ("zoe", ["Zoë Martín"]), ("ZOË", ["Zoë Martín"]), ("martin", ["Zoë Martín"]), ("Zo Mar", ["Zoë Martín"]),
    ("ADA LOV", ["Ada Lovelace"]), ("lovel", ["Ada Lovelace"]), ("ada", ["Ada Lovelace"]),
    ("zoe@exa", ["Zoë Martín"]), ("zoe@example.com", ["Zoë Martín"]), ("counter-shop", ["Ada Lovelace"]),
    ("nobody", []),
])
def test_search_by_name_or_email_is_prefix_accent_and_case_insensitive(shop, typed, expected) -> None:
    shop.customers.sign_up("(415) 555-0132", name="Zoë Martín", email="zoe@example.com")
    shop.customers.sign_up("(415) 555-0133", name="Ada Lovelace", email="ada@counter-shop.org")
    assert [c.name for c in shop.lookup.find(typed).matches] == expected


@pytest.mark.parametrize("typed", ['"', "AND", "NEAR(", "ada*", "o'brien", "-ada", "a:b", "((("])
def test_search_text_with_query_syntax_never_errors(shop, typed) -> None:
    shop.customers.sign_up("(415) 555-0133", name="Ada Lovelace")
    shop.lookup.find(typed)  # no FTS syntax error reaches the cashier


def test_renamed_customer_is_found_by_the_new_name_only(shop) -> None:
    c = shop.customers.sign_up("(415) 555-0132", name="Ada Byron")
    shop.customers.edit(c.id, name="Ada Lovelace")
    assert [m.id for m in shop.lookup.find("lovelace").matches] == [c.id]
    assert shop.lookup.find("byron").matches == []


def test_find_one_explains_ambiguity(shop) -> None:
    shop.customers.sign_up("(415) 555-0132", name="Ada Lovelace")
    shop.customers.sign_up("(415) 555-0133", name="Ada Byron")
    with pytest.raises(NotFound, match="matches 2 customers"):
        shop.lookup.find_one("ada")
    with pytest.raises(NotFound, match="no customer"):
        shop.lookup.find_one("(415) 555-0134")


def test_merge_moves_phones_cards_history_points_and_is_recorded(catalogue, owner) -> None:
    shop = catalogue
    keep = shop.customers.sign_up("(415) 555-0132", name="Ada Lovelace")
    dup = shop.customers.sign_up("(415) 555-0133", email="ada@example.com", email_consent=True)
    card = shop.customers.attach_card(dup.id)
    shop.sales.record_sale(keep.id, [SaleItem("BAS250")])
    sale = shop.sales.record_sale(dup.id, [SaleItem("BAS500", 2)])
    total = shop.customers.get(keep.id).points_balance + shop.customers.get(dup.id).points_balance

    merged = shop.customers.merge(keep.id, dup.id, actor=owner)

    assert merged.id == keep.id and merged.points_balance == total
    assert merged.email == "ada@example.com" and merged.email_consent
    consent = shop.ctx.db.conn.execute("SELECT email_consent_at, email_consent_source FROM customers WHERE id = ?",
                                       (keep.id,)).fetchone()
    assert tuple(consent) == ("2026-11-02T18:30:00Z", "counter")  # when and where it was given, kept
    assert shop.customers.phones(keep.id) == ["+14155550132", "+14155550133"]
    assert shop.customers.customer_for_card(card).id == keep.id
    assert shop.lookup.find_one("(415) 555-0133").id == keep.id
    assert shop.customers.get(dup.id).id == keep.id  # the duplicate's id leads to the survivor
    profile = shop.lookup.profile(keep.id)
    assert {h.purchase_id for h in profile.history} >= {sale.purchase_id}
    kinds = [(e.kind, e.delta) for e in shop.points.history(keep.id)]
    assert ("merge", sale.points_earned) in kinds
    row = shop.ctx.db.conn.execute("SELECT survivor_id, merged_id, points_moved, staff_id FROM customer_merges"
                                   ).fetchone()
    assert tuple(row) == (keep.id, dup.id, sale.points_earned, owner.id)
    assert [c.id for c in shop.customers.list()] == [keep.id]
    assert shop.check() == {name: [] for name in shop.check()}
    # A return on the duplicate's old purchase now reverses the survivor's points.
    r = shop.sales.return_items(sale.purchase_id)
    assert r.points_balance == total - sale.points_earned


def test_merge_is_owner_only_and_refuses_self(shop, owner) -> None:
    a = shop.customers.sign_up("(415) 555-0132")
    b = shop.customers.sign_up("(415) 555-0133")
    cashier = shop.staff.sign_in("sam", "1111")
    before = fingerprint(shop)
    with pytest.raises(PermissionDenied):
        shop.customers.merge(a.id, b.id, actor=cashier)
    with pytest.raises(ValidationError, match="themselves"):
        shop.customers.merge(a.id, a.id, actor=owner)
    assert fingerprint(shop) == before


def test_merging_a_negative_balance_keeps_check_clean(catalogue, owner) -> None:
    """A duplicate whose balance went below zero by the stated return policy carries it to the survivor."""
    shop = catalogue
    keep = shop.customers.sign_up("(415) 555-0132")
    dup = shop.customers.sign_up("(415) 555-0133")
    s1 = shop.sales.record_sale(dup.id, [SaleItem("BAS500", 8)])  # 200 points
    shop.sales.record_sale(dup.id, [SaleItem("BAS500", 4)], redeem_points=200)
    shop.sales.return_items(s1.purchase_id)
    assert shop.customers.get(dup.id).points_balance < 0
    merged = shop.customers.merge(keep.id, dup.id, actor=owner)
    assert merged.points_balance < 0
    assert shop.check()["negative_balances"] == []


def test_edit_with_empty_email_removes_it_and_its_consent(shop) -> None:
    c = shop.customers.sign_up("(415) 555-0132", email="ada@example.com", email_consent=True)
    c = shop.customers.edit(c.id, email="")
    assert c.email is None and not c.email_consent
