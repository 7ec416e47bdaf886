"""Staff: cashier and owner roles, PINs hashed with scrypt, wrong PINs rate-limited, owner-only actions."""

from __future__ import annotations

import pytest

from loyalty_app.errors import Conflict, PermissionDenied, ValidationError
from loyalty_app.staff import MAX_ATTEMPTS, pin_matches


def test_pins_are_stored_as_salted_scrypt_hashes(shop) -> None:
    rows = shop.ctx.db.conn.execute("SELECT name, pin_hash FROM staff ORDER BY name").fetchall()
    assert [r[0] for r in rows] == ["owner", "sam"]
    for _name, stored in rows:
        assert stored.startswith("scrypt$") and "1234" not in stored and "1111" not in stored
    assert pin_matches("1234", rows[0][1]) and not pin_matches("1235", rows[0][1])
    shop.staff.set_pin("sam", "1111", actor=shop.staff.verify_owner("1234"))
    again = shop.ctx.db.conn.execute("SELECT pin_hash FROM staff WHERE name = 'sam'").fetchone()[0]
    assert again != rows[1][1]  # a new salt every time


def test_sign_in_and_roles(shop) -> None:
    sam = shop.staff.sign_in("sam", "1111")
    assert sam.role == "cashier" and shop.ctx.actor == sam
    with pytest.raises(PermissionDenied, match="^wrong name or PIN$"):
        shop.staff.sign_in("sam", "9999")
    with pytest.raises(PermissionDenied, match="^wrong name or PIN$"):
        shop.staff.sign_in("nobody", "1111")
    assert shop.staff.identify("sam").role == "cashier"
    assert shop.staff.identify("owner").role == "cashier"  # no owner powers without a PIN


def test_wrong_pins_lock_the_name_for_a_minute(shop, clock) -> None:
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(PermissionDenied, match="^wrong name or PIN$"):
            shop.staff.sign_in("sam", "0000")
    with pytest.raises(PermissionDenied, match="too many wrong PINs"):
        shop.staff.sign_in("sam", "1111")  # even the right PIN waits
    clock.advance(seconds=61)
    assert shop.staff.sign_in("sam", "1111").name == "sam"
    row = shop.ctx.db.conn.execute("SELECT failed_attempts, locked_until FROM staff WHERE name = 'sam'").fetchone()
    assert tuple(row) == (0, None)


def test_lock_is_per_name(shop, clock) -> None:
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(PermissionDenied):
            shop.staff.sign_in("sam", "0000")
    assert shop.staff.sign_in("owner", "1234").is_owner
    clock.advance(seconds=30)  # half the minute: still locked
    with pytest.raises(PermissionDenied, match="too many"):
        shop.staff.sign_in("sam", "1111")


@pytest.mark.parametrize("pin", ["12", "abcd", "1234567890123", ""])
def test_pin_format(shop, owner, pin) -> None:
    with pytest.raises(ValidationError, match="4 to 12 digits"):
        shop.staff.add("kim", "cashier", pin, actor=owner)


def test_owner_only_actions_are_enforced_in_the_services(shop) -> None:
    sam = shop.staff.sign_in("sam", "1111")
    c = shop.customers.sign_up("(415) 555-0132")
    d = shop.customers.sign_up("(415) 555-0133")
    from loyalty_app.points_rules import PointsProgram

    for action in (lambda: shop.staff.add("kim", "cashier", "2222", actor=sam),
                   lambda: shop.points.adjust(c.id, 10, "gift", actor=sam),
                   lambda: shop.points.set_program(PointsProgram(), actor=sam),
                   lambda: shop.customers.merge(c.id, d.id, actor=sam),
                   lambda: shop.products.add(sku="X", name="X", price_cents=1, actor=sam),
                   lambda: shop.staff.set_pin("sam", "3333", actor=sam)):
        with pytest.raises(PermissionDenied, match="needs the owner"):
            action()


def test_adjustments_need_a_reason_and_record_who(shop, owner) -> None:
    c = shop.customers.sign_up("(415) 555-0132")
    with pytest.raises(ValidationError, match="reason"):
        shop.points.adjust(c.id, 10, "  ", actor=owner)
    with pytest.raises(ValidationError, match="balance is 0"):
        shop.points.adjust(c.id, -10, "typo", actor=owner)
    assert shop.points.adjust(c.id, 25, "birthday", actor=owner) == 25
    entry = shop.points.history(c.id)[-1]
    assert (entry.kind, entry.delta, entry.reason, entry.staff) == ("adjust", 25, "birthday", "owner")


def test_the_last_owner_stays(shop, owner) -> None:
    with pytest.raises(Conflict):
        shop.staff.set_active("owner", False, actor=owner)
    shop.staff.set_active("sam", False, actor=owner)
    with pytest.raises(PermissionDenied, match="^wrong name or PIN$"):
        shop.staff.sign_in("sam", "1111")
