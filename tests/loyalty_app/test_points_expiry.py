"""Points expiry: FIFO after earning, or everything after inactivity; an idempotent job run once a day at start."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime, timedelta

from loyalty_app.points_rules import PointsProgram
from loyalty_app.sales import SaleItem
from tests.core_helpers import fingerprint

T0 = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)


def _program(shop, owner, mode: str, months: int = 12) -> None:
    shop.points.set_program(dataclasses.replace(shop.points.program(), expiry_mode=mode, expiry_months=months),
                            actor=owner)


def _kinds(shop, cid):
    return [(e.kind, e.delta) for e in shop.points.history(cid)]


def test_after_earning_expires_old_unspent_points_first_in_first_out(catalogue, owner) -> None:
    shop = catalogue
    _program(shop, owner, "after_earning", 12)
    c = shop.customers.sign_up("(415) 555-0132")
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 8)], occurred_at=T0)                        # +200
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 4)], redeem_points=100,
                           occurred_at=T0 + timedelta(days=60))                                  # −100, +95
    shop.sales.record_sale(c.id, [SaleItem("WB250", 5)], occurred_at=T0 + timedelta(days=200))  # +60
    assert shop.points.balance(c.id) == 255

    # A year after the first sale: of its 200 points 100 were spent (oldest first), so 100 expire.
    assert shop.points.expire(T0 + timedelta(days=366)) == {"customers": 1, "points": 100}
    assert shop.points.balance(c.id) == 155
    # Idempotent: the same run again, and a run the next day, write nothing.
    before = fingerprint(shop)
    assert shop.points.expire(T0 + timedelta(days=366))["points"] == 0
    assert shop.points.expire(T0 + timedelta(days=367))["points"] == 0
    assert fingerprint(shop)["points_ledger"] == before["points_ledger"]
    # A year after the second sale its 95 go; then the last 60.
    assert shop.points.expire(T0 + timedelta(days=426))["points"] == 95
    assert shop.points.expire(T0 + timedelta(days=566))["points"] == 60
    assert shop.points.balance(c.id) == 0
    assert _kinds(shop, c.id)[-3:] == [("expire", -100), ("expire", -95), ("expire", -60)]
    assert shop.check() == {name: [] for name in shop.check()}


def test_after_earning_never_expires_points_already_taken_back_by_a_return(catalogue, owner) -> None:
    shop = catalogue
    _program(shop, owner, "after_earning", 6)
    c = shop.customers.sign_up("(415) 555-0132")
    sale = shop.sales.record_sale(c.id, [SaleItem("BAS500", 8)], occurred_at=T0)
    shop.sales.return_items(sale.purchase_id, occurred_at=T0 + timedelta(days=3))
    assert shop.points.expire(T0 + timedelta(days=400))["points"] == 0
    assert shop.points.balance(c.id) == 0


def test_inactivity_expires_the_whole_balance_after_months_without_a_visit(catalogue, owner) -> None:
    shop = catalogue
    _program(shop, owner, "inactivity", 6)
    regular = shop.customers.sign_up("(415) 555-0132")
    gone = shop.customers.sign_up("(415) 555-0133")
    shop.sales.record_sale(regular.id, [SaleItem("BAS500", 4)], occurred_at=T0)
    shop.sales.record_sale(gone.id, [SaleItem("BAS500", 4)], occurred_at=T0)
    shop.sales.record_sale(regular.id, [SaleItem("WB250")], occurred_at=T0 + timedelta(days=150))  # a visit
    now = T0 + timedelta(days=200)
    assert shop.points.expire(now) == {"customers": 1, "points": 100}
    assert shop.points.balance(gone.id) == 0 and shop.points.balance(regular.id) == 112
    assert shop.points.expire(now)["points"] == 0  # idempotent
    assert shop.points.expire(T0 + timedelta(days=340)) == {"customers": 1, "points": 112}


def test_inactivity_counts_from_sign_up_for_a_customer_who_never_came_back(catalogue, owner, clock) -> None:
    shop = catalogue
    shop.points.set_program(dataclasses.replace(shop.points.program(), welcome_bonus=50), actor=owner)
    _program(shop, owner, "inactivity", 6)
    c = shop.customers.sign_up("(415) 555-0132")
    assert shop.points.balance(c.id) == 50
    assert shop.points.expire(clock.now() + timedelta(days=90))["points"] == 0
    assert shop.points.expire(clock.now() + timedelta(days=200)) == {"customers": 1, "points": 50}


def test_never_mode_writes_nothing(catalogue) -> None:
    c = catalogue.customers.sign_up("(415) 555-0132")
    catalogue.sales.record_sale(c.id, [SaleItem("BAS500", 4)], occurred_at=T0)
    before = fingerprint(catalogue)
    assert catalogue.points.expire(T0 + timedelta(days=3000)) == {"customers": 0, "points": 0}
    assert fingerprint(catalogue) == before


def test_the_daily_job_runs_once_a_shop_day(catalogue, owner, clock) -> None:
    shop = catalogue
    _program(shop, owner, "inactivity", 1)
    c = shop.customers.sign_up("(415) 555-0132")
    clock.set(datetime(2026, 11, 3, 7, 0, tzinfo=UTC))  # 23:00 on Nov 2 in Los Angeles
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 4)], occurred_at=datetime(2026, 9, 1, tzinfo=UTC))
    assert shop.start_up() == {"customers": 1, "points": 100}
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 4)], occurred_at=datetime(2026, 9, 2, tzinfo=UTC))
    clock.set(datetime(2026, 11, 3, 7, 59, tzinfo=UTC))  # still Nov 2 in the shop: not again
    assert shop.start_up() is None and shop.points.balance(c.id) == 100
    clock.set(datetime(2026, 11, 3, 8, 30, tzinfo=UTC))  # Nov 3 in Los Angeles: a new day
    assert shop.start_up() == {"customers": 1, "points": 100}


def test_the_command_line_runs_the_daily_expiry_when_it_opens_the_shop(catalogue, owner, cli) -> None:
    shop = catalogue
    _program(shop, owner, "after_earning", 12)
    c = shop.customers.sign_up("(415) 555-0132")
    long_ago = datetime.now(UTC) - timedelta(days=800)
    shop.sales.record_sale(c.id, [SaleItem("BAS500", 4)], occurred_at=long_ago)
    r = cli("points", "history", "(415) 555-0132", "--json")
    assert r.code == 0, r.err
    assert [(e["kind"], e["delta"]) for e in r.json()] == [("earn", 100), ("expire", -100)]
    r = cli("points", "expire", "--json")  # the explicit job finds nothing left to do
    assert r.json() == {"customers": 0, "points": 0}
    assert os.environ.get("LOYALTY_PIN") is None


def test_program_with_expiry_needs_months(shop, owner) -> None:
    import pytest

    from loyalty_app.errors import ValidationError

    with pytest.raises(ValidationError, match="months"):
        shop.points.set_program(PointsProgram(expiry_mode="after_earning", expiry_months=0), actor=owner)
