"""The demo shop: believable, consistent with the points rules, the same for the same seed, never the real DB."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from loyalty_app.cli.main import main
from loyalty_app.demo import DEMO_OWNER, DEMO_PIN, build_demo
from loyalty_app.shop import Shop, open_shop

TODAY = date(2026, 11, 2)


def _fingerprint(path: Path) -> str:
    shop = open_shop(path)
    try:
        data = [(c.name, c.email, c.points_balance, shop.customers.phones(c.id),
                 [(h.occurred_at, h.total_cents) for h in shop.lookup.profile(c.id).history])
                for c in shop.customers.list()]
    finally:
        shop.close()
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def test_the_demo_is_consistent_and_the_same_for_the_same_seed_and_day(tmp_path: Path) -> None:
    a = build_demo(tmp_path / "a.sqlite", seed=5, customers=120, years=1, today=TODAY)
    b = build_demo(tmp_path / "b.sqlite", seed=5, customers=120, years=1, today=TODAY)
    build_demo(tmp_path / "c.sqlite", seed=6, customers=120, years=1, today=TODAY)
    assert a == b and a["lines"] > 1000
    assert _fingerprint(tmp_path / "a.sqlite") == _fingerprint(tmp_path / "b.sqlite")
    assert _fingerprint(tmp_path / "a.sqlite") != _fingerprint(tmp_path / "c.sqlite")
    shop = open_shop(tmp_path / "a.sqlite")
    try:
        assert shop.check() == {name: [] for name in shop.check()}
        assert shop.staff.sign_in(DEMO_OWNER, DEMO_PIN).is_owner
    finally:
        shop.close()


def test_a_demo_customer_is_found_by_a_phone_written_with_brackets(demo_template, cli) -> None:
    path, stats = demo_template
    result = cli("lookup", stats["sample_phone"], "--json", db=path)
    assert result.code == 0, result.err
    profile = result.json()
    assert profile["name"] == stats["sample_name"]
    assert len(profile["history"]) >= 5 and profile["points_balance"] >= 0
    assert profile["history"][0]["occurred_at"] >= profile["history"][-1]["occurred_at"]


def test_the_history_ends_today_so_refills_look_live(demo_shop: Shop) -> None:
    last_visits = [c.last_visit_at for c in demo_shop.customers.list() if c.last_visit_at]
    assert max(last_visits)[:10] >= (TODAY.replace(day=1)).isoformat()


def test_customers_look_like_a_real_shop(demo_shop: Shop) -> None:
    customers = demo_shop.customers.list()
    consenting = sum(c.email_consent for c in customers) / len(customers)
    assert 0.45 <= consenting <= 0.75
    assert any(len(demo_shop.customers.phones(c.id)) == 2 for c in customers)
    assert any(not c.name for c in customers) and any(c.name and "ë" in c.name or "é" in (c.name or "")
                                                      for c in customers)
    assert all(not p.startswith("+1415555") for c in customers for p in demo_shop.customers.phones(c.id))


def test_real_co_purchase_affinities_are_in_the_baskets(demo_shop: Shop) -> None:
    baskets = [{ln.family for ln in h.lines}
               for c in demo_shop.customers.list() for h in demo_shop.lookup.profile(c.id).history]
    with_basil = [b for b in baskets if "Basil olive oil" in b]
    pesto_rate_with_basil = sum("Sun-dried tomato pesto" in b for b in with_basil) / len(with_basil)
    pesto_rate = sum("Sun-dried tomato pesto" in b for b in baskets) / len(baskets)
    assert pesto_rate_with_basil > 2.5 * pesto_rate


def test_new_products_have_no_sales_yet(demo_shop: Shop) -> None:
    new = demo_shop.products.find("BAS-SDT-250")
    sold = {ln.sku for c in demo_shop.customers.list() for h in demo_shop.lookup.profile(c.id).history
            for ln in h.lines}
    assert new.active and new.sku not in sold and "basil" in new.tags


def test_the_demo_command_never_writes_the_real_shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("LOYALTY_DB", raising=False)
    assert main(["demo", "--customers", "30", "--years", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["db"].endswith("demo-shop.sqlite") and Path(out["db"]).exists()
    assert not (tmp_path / "data" / "LoyaltyDesk" / "shop.sqlite").exists()
    assert main(["demo", "--customers", "30"]) == 1  # it refuses to overwrite without --force


def test_demo_phones_are_valid_and_emails_can_reach_nobody(demo_shop: Shop) -> None:
    import phonenumbers

    customers = demo_shop.customers.list()
    phones = [p for c in customers for p in demo_shop.customers.phones(c.id)]
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p, None)) for p in phones)
    assert any(not p.startswith("+1") for p in phones)  # a few customers from abroad
    assert len(set(phones)) == len(phones)
    emails = [c.email for c in customers if c.email]
    assert emails and all(e.split("@")[1].endswith(("example.com", "example.net", "example.org")) for e in emails)


def test_demo_returns_are_whole_and_partial_and_undo_their_points(demo_shop: Shop) -> None:
    whole = partial = 0
    for c in demo_shop.customers.list():
        for h in demo_shop.lookup.profile(c.id).history:
            back = [(ln.returned_qty, ln.qty) for ln in h.lines]
            if all(r == q for r, q in back):
                whole += 1
            elif any(r for r, _ in back):
                partial += 1
    assert whole >= 1 and partial >= 1
    assert demo_shop.check() == {name: [] for name in demo_shop.check()}


def test_the_demo_refuses_a_file_that_already_holds_a_shop(demo_shop_path: Path) -> None:
    from loyalty_app.errors import Conflict

    before = demo_shop_path.read_bytes()
    with pytest.raises(Conflict, match="already holds the shop"):
        build_demo(demo_shop_path, customers=10, years=1, today=TODAY)
    assert demo_shop_path.read_bytes() == before
