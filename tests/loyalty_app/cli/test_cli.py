"""The `loyalty` command line through its real entry point: outputs as the issue states them, owner-only
commands, bad input as one line and exit 1 with nothing changed, and the whole counter flow end to end."""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from loyalty_app.cli.main import build_parser
from loyalty_app.shop import open_shop
from tests.core_helpers import fingerprint
from tests.paths import ROOT

OWNER = {"LOYALTY_STAFF": "owner", "LOYALTY_PIN": "1234"}


@pytest.fixture
def as_owner(monkeypatch):
    for key, value in OWNER.items():
        monkeypatch.setenv(key, value)


def _one_line_error(r, *needles: str) -> None:
    assert r.code == 1, (r.code, r.out, r.err)
    assert r.out == "" and r.err.count("\n") == 1 and r.err.startswith("loyalty: "), r.err
    for needle in needles:
        assert needle in r.err, r.err


def _state(db_path: Path) -> dict:
    shop = open_shop(db_path)
    try:
        return fingerprint(shop)
    finally:
        shop.close()


# -- set-up and owner-only commands --------------------------------------------------------------------------

def test_init_sets_the_first_owner(cli, db_path) -> None:
    r = cli("init", "--shop-name", "Olio & Co", "--region", "GB", "--currency", "GBP",
            "--time-zone", "Europe/London", "--owner-pin", "4321", "--json")
    assert r.code == 0, r.err
    assert {k: r.json()[k] for k in ("shop_name", "region", "currency", "time_zone", "owner")} == {
        "shop_name": "Olio & Co", "region": "GB", "currency": "GBP", "time_zone": "Europe/London", "owner": "owner"}
    shop = open_shop(db_path)
    try:
        assert shop.staff.sign_in("owner", "4321").is_owner
    finally:
        shop.close()
    _one_line_error(cli("init"), "already holds the shop 'Olio & Co'")


@pytest.mark.parametrize(("args", "needle"), [
    (["init", "--region", "XX"], "'XX' is not a country code"),
    (["init", "--time-zone", "Mars/Olympus"], "not a time zone"),
    (["init", "--owner-pin", "12"], "4 to 12 digits"),
])
def test_init_refuses_bad_settings_and_can_be_rerun(cli, args, needle) -> None:
    _one_line_error(cli(*args), needle)
    r = cli("init", "--owner-pin", "1234", "--json")  # the refused init left no half-made shop behind
    assert r.code == 0, r.err
    assert r.json()["owner"] == "owner"


def test_commands_before_init_say_what_to_do(cli, tmp_path) -> None:
    _one_line_error(cli("lookup", "ada", db=tmp_path / "none.sqlite"), "run 'loyalty init'")


@pytest.mark.parametrize("args", [
    ["product", "add", "--sku", "X1", "--name", "X", "--price", "1.00"],
    ["product", "edit", "BAS250", "--price", "1.00"],
    ["points", "adjust", "--customer", "(415) 555-0132", "--delta", "5", "--reason", "gift"],
    ["customer", "merge", "(415) 555-0132", "(415) 555-0133"],
    ["points", "program", "--earn-points", "2"],
])
def test_owner_only_commands_without_staff_and_pin_exit_1_saying_so(catalogue, cli, db_path, monkeypatch,
                                                                    args) -> None:
    catalogue.customers.sign_up("(415) 555-0132")
    catalogue.customers.sign_up("(415) 555-0133")
    before = fingerprint(catalogue)
    _one_line_error(cli(*args), "needs the owner", "LOYALTY_STAFF")
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    _one_line_error(cli(*args), "needs the owner's PIN", "LOYALTY_PIN")  # stdin is not a terminal
    monkeypatch.setenv("LOYALTY_PIN", "9999")
    _one_line_error(cli(*args), "wrong name or PIN")
    monkeypatch.setenv("LOYALTY_STAFF", "sam")
    monkeypatch.setenv("LOYALTY_PIN", "1111")
    _one_line_error(cli(*args), "sam is signed in as a cashier")
    assert _state(db_path)["customers_rows"] == before["customers_rows"]
    assert _state(db_path)["products"] == before["products"]


# -- outputs as the issue states them -------------------------------------------------------------------------

def test_customer_add_and_list_json(shop, cli) -> None:
    r = cli("customer", "add", "--phone", "(415) 555-0132", "--phone", "+1 415 555 0133", "--name", "Zoë Martín",
            "--email", "zoe@example.com", "--email-consent", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert {"id", "name", "phones", "cards", "email", "email_consent", "points_balance"} <= set(data)
    assert (data["name"], data["phones"], data["cards"], data["email"], data["email_consent"],
            data["points_balance"]) == ("Zoë Martín", ["+14155550132", "+14155550133"], [], "zoe@example.com",
                                        True, 0)
    cli("customer", "add", "--phone", "415.555.0134")
    r = cli("customer", "list", "--limit", "1", "--json")
    assert r.code == 0 and [c["id"] for c in r.json()] == [data["id"]]
    assert set(r.json()[0]) >= {"id", "name", "phones", "cards", "email", "email_consent", "points_balance"}
    assert len(cli("customer", "list", "--json").json()) == 2


def test_product_add_and_list_json(shop, cli, as_owner) -> None:
    r = cli("product", "add", "--sku", "BAS250", "--name", "Basil olive oil 250 ml", "--price", "14.50",
            "--family", "Basil olive oil", "--size", "250 ml", "--category", "Infused oils", "--tags", "basil,infused",
            "--refill-days", "45", "--barcode", "4006381333931", "--json")
    assert r.code == 0, r.err
    [row] = cli("product", "list", "--json").json()
    assert {k: row[k] for k in ("sku", "name", "family", "size", "category", "tags", "price_cents", "refill_days",
                                "active")} == {
        "sku": "BAS250", "name": "Basil olive oil 250 ml", "family": "Basil olive oil", "size": "250 ml",
        "category": "Infused oils", "tags": ["basil", "infused"], "price_cents": 1450, "refill_days": 45,
        "active": True}
    before = cli("product", "list", "--json").json()
    _one_line_error(cli("product", "add", "--sku", "X", "--name", "X", "--price", "twelve"), "not an amount")
    _one_line_error(cli("product", "add", "--sku", "X", "--name", "X", "--price", "12.345"), "more decimals")
    _one_line_error(cli("product", "add", "--sku", "X", "--name", "X", "--price", "-1.00"), "zero or more")
    assert cli("product", "list", "--json").json() == before
    assert cli("product", "edit", "BAS250", "--price", "15.5", "--json").json()["price_cents"] == 1550


def test_lookup_sale_return_and_points_history_json(catalogue, cli, monkeypatch) -> None:
    catalogue.customers.sign_up("+14155550132", name="Ada Lovelace")
    monkeypatch.setenv("LOYALTY_STAFF", "sam")  # cashier-level commands record who, with no PIN
    first = cli("sale", "--customer", "(415) 555-0132", "--item", "BAS500:8", "--at", "2026-10-01T10:00:00",
                "--json")
    assert first.code == 0, first.err
    assert first.json()["points_earned"] == 200
    sale = cli("sale", "--customer", "ADA LOV", "--item", "BAS250:2", "--item", "WB250", "--redeem", "100",
               "--store", "Harbour", "--json")
    assert sale.code == 0, sale.err
    s = sale.json()
    assert {k: s[k] for k in ("purchase_id", "total_cents", "points_earned", "points_redeemed",
                              "points_balance")} == {"purchase_id": 2, "total_cents": 4100 - 500,
                                                     "points_earned": 36, "points_redeemed": 100,
                                                     "points_balance": 136}
    profile = cli("lookup", "415.555.0132", "--json").json()
    assert (profile["name"], profile["phones"], profile["cards"], profile["points_balance"]) == (
        "Ada Lovelace", ["+14155550132"], [], 136)
    assert profile["last_visit"] == profile["history"][0]["occurred_at"] > "2026-10-01T17:00:00Z"
    assert [h["purchase_id"] for h in profile["history"]] == [2, 1]  # newest first
    assert profile["history"][0]["occurred_at"] > profile["history"][1]["occurred_at"]
    assert [(ln["sku"], ln["name"], ln["qty"]) for ln in profile["history"][0]["lines"]] == [
        ("BAS250", "Basil olive oil 250 ml", 2), ("WB250", "White balsamic 250 ml", 1)]
    # 100 points redeemed split 71/29 over the lines by their value; one of two basil oils gives back 35.
    r = cli("return", "--purchase", "2", "--item", "BAS250:1", "--json")
    assert r.code == 0, r.err
    assert {k: r.json()[k] for k in ("points_reversed", "points_restored", "points_balance")} == {
        "points_reversed": 12, "points_restored": 35, "points_balance": 136 - 12 + 35}
    history = cli("points", "history", "Ada", "--json").json()
    assert [(e["kind"], e["delta"], e["purchase_id"]) for e in history] == [
        ("earn", 200, 1), ("redeem", -100, 2), ("earn", 36, 2), ("reverse", -12, 2), ("reverse", 35, 2)]
    assert all(set(e) >= {"kind", "delta", "purchase_id", "reason", "staff", "at"} for e in history)
    assert {e["staff"] for e in history} == {"sam"}


def test_points_adjust_takes_negative_deltas(catalogue, cli, as_owner) -> None:
    catalogue.customers.sign_up("+14155550132", name="Ada")
    r = cli("points", "adjust", "--customer", "Ada", "--delta", "50", "--reason", "birthday", "--json")
    assert r.code == 0 and r.json()["points_balance"] == 50
    r = cli("points", "adjust", "--customer", "Ada", "--delta", "-20", "--reason", "typo", "--json")
    assert r.code == 0, r.err
    assert r.json()["points_balance"] == 30
    entry = cli("points", "history", "Ada", "--json").json()[-1]
    assert (entry["kind"], entry["delta"], entry["reason"], entry["staff"]) == ("adjust", -20, "typo", "owner")


# -- bad input: one line, exit 1, nothing changed ---------------------------------------------------------

@pytest.fixture
def member(catalogue):
    from loyalty_app.sales import SaleItem

    c = catalogue.customers.sign_up("+14155550132", name="Ada Lovelace")
    catalogue.sales.record_sale(c.id, [SaleItem("BAS500", 8)])
    catalogue.ctx.db.conn.commit()
    return c


BAD = [
    (["customer", "add", "--phone", "555-01"], "too short"),
    (["customer", "add", "--phone", "415-555-CALL"], "only digits"),
    (["customer", "add", "--phone", "+1 555 555 5555"], "not a number issued"),
    (["customer", "add", "--phone", "(415) 555-0199", "--email", "ada.example.com"], "not an email address"),
    (["customer", "add", "--phone", "(415) 555-0199", "--card", "2900000000017"], "check digit"),
    (["customer", "add", "--phone", "(415) 555-0132"], "already belongs"),
    (["customer", "edit", "Ada", "--name", "Ada Byron", "--add-phone", "12"], "too short"),
    (["lookup", "2900000000017"], "check digit"),
    (["sale", "--customer", "Ada", "--item", "NOPE"], "unknown product 'NOPE'"),
    (["sale", "--customer", "Ada", "--item", "BAS250:0"], "from 1 to 100,000"),
    (["sale", "--customer", "Ada", "--item", "BAS250:-2"], "from 1 to 100,000"),
    (["sale", "--customer", "Ada", "--item", "BAS250:two"], "whole number"),
    (["sale", "--customer", "Ada", "--item", "BAS500:20", "--redeem", "500"], "the balance is 200"),
    (["sale", "--customer", "Ada", "--item", "BAS500:20", "--redeem", "40"], "the minimum is 100"),
    (["sale", "--customer", "Ada", "--item", "BAS250", "--at", "last tuesday"], "not a date and time"),
    (["sale", "--customer", "Nobody", "--item", "BAS250"], "no customer matches"),
    (["return", "--purchase", "999"], "no purchase #999"),
    (["return", "--purchase", "1", "--item", "BAS500:9"], "cannot return 9"),
    (["return", "--purchase", "1", "--item", "LEM250"], "not on this purchase"),
    (["sale", "--item"], "expected one argument"),
    (["sale", "--customer", "Ada"], "required: --item"),
    (["customer", "frobnicate"], "invalid choice"),
    (["points", "adjust", "--customer", "Ada", "--delta", "lots", "--reason", "x"], "invalid int value"),
]


@pytest.mark.parametrize(("args", "needle"), BAD, ids=[" ".join(a)[:40] for a, _ in BAD])
def test_bad_input_is_one_line_exit_1_and_changes_nothing(member, cli, db_path, args, needle) -> None:
    before = _state(db_path)
    _one_line_error(cli(*args), needle)
    assert _state(db_path) == before


def test_customer_edit_cards_and_lost_cards(member, cli, db_path) -> None:
    other = cli("customer", "add", "--phone", "(415) 555-0140", "--json").json()
    r = cli("customer", "edit", "(415) 555-0140", "--add-card", "--json")
    assert r.code == 0, r.err
    [card] = r.json()["cards"]
    before = _state(db_path)
    _one_line_error(cli("customer", "edit", "Ada", "--name", "Ada B", "--card-lost", card),
                    "not one of this customer's cards")
    assert _state(db_path) == before
    r = cli("customer", "edit", card, "--card-lost", card, "--json")  # found by the card being reported
    assert r.code == 0 and r.json()["cards"] == [] and r.json()["id"] == other["id"]
    _one_line_error(cli("lookup", card), "reported lost", "by phone")


def test_a_line_cannot_be_returned_twice_from_the_command_line(member, cli, db_path) -> None:
    assert cli("return", "--purchase", "1").code == 0
    before = _state(db_path)
    _one_line_error(cli("return", "--purchase", "1"), "already been returned")
    assert _state(db_path) == before


def test_not_a_database_and_newer_version(cli, tmp_path, shop, db_path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    _one_line_error(cli("lookup", "ada", db=text), "not a Loyalty Desk database")
    assert text.read_text() == "hello"
    shop.ctx.db.conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                             "VALUES ('loyalty_desk', '0999_future', 'x')")
    shop.ctx.db.conn.commit()
    _one_line_error(cli("check", "--json"), "newer version")


# -- through a real process --------------------------------------------------------------------------------

def _run(db: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "HOME": str(db.parent),
                **env}
    return subprocess.run([sys.executable, "-m", "loyalty_app.cli", "--db", str(db), *args], capture_output=True,
                          text=True, env=full_env, cwd=ROOT, timeout=120)


def test_a_real_process_exit_codes_and_one_line_errors(tmp_path) -> None:
    db = tmp_path / "shop.sqlite"
    r = _run(db, "init", "--owner-pin", "1234")
    assert r.returncode == 0 and "Created shop" in r.stdout, r.stderr
    r = _run(db, "product", "add", "--sku", "X1", "--name", "X", "--price", "2.50")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "LOYALTY_STAFF" in r.stderr
    assert "Traceback" not in r.stderr
    r = _run(db, "product", "add", "--sku", "X1", "--name", "X", "--price", "2.50", **OWNER)
    assert r.returncode == 0, r.stderr
    r = _run(db, "customer", "add", "--phone", "(415) 555-01")
    assert r.returncode == 1 and r.stdout == "" and r.stderr.startswith("loyalty: ") and "too short" in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    r = _run(db, "sale", "--item")
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    r = _run(tmp_path / "missing" / "x.sqlite", "lookup", "x")
    assert r.returncode == 1 and "run 'loyalty init'" in r.stderr


def test_the_database_comes_from_loyalty_db_when_no_db_is_given(tmp_path) -> None:
    db = tmp_path / "env.sqlite"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "LOYALTY_DB": str(db),
           "HOME": str(tmp_path)}
    r = subprocess.run([sys.executable, "-m", "loyalty_app.cli", "init", "--json"], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert db.exists()


# -- the README promise ----------------------------------------------------------------------------------

def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield " ".join(prefix)
    for action in subs:
        for name, sub in action.choices.items():
            yield from _commands(sub, (*prefix, name))


def _readme_commands() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The `loyalty` command line"):]
    section = section[:section.index("\n## ", 10)]
    found: set[str] = set()
    for code in re.findall(r"^\| `loyalty ([^`]*)`", section, flags=re.MULTILINE):
        words = []
        for token in code.split():
            if not re.fullmatch(r"[a-z][a-z\\|-]*", token):
                break
            words.append(token.split("\\|"))
        found.update(" ".join(combo) for combo in itertools.product(*words))
    return found


def test_every_command_is_in_the_readme_cli_table() -> None:
    documented = _readme_commands()
    missing = [c for c in _commands(build_parser()) if c not in documented]
    assert missing == []


# -- "Done when", end to end -----------------------------------------------------------------------------

def test_done_when_flow(cli, monkeypatch) -> None:
    assert cli("init", "--shop-name", "Olio", "--owner-pin", "1234").code == 0
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    for sku, name, price in (("BAS250", "Basil olive oil 250 ml", "14.50"), ("WB250", "White balsamic", "12.00")):
        r = cli("product", "add", "--sku", sku, "--name", name, "--price", price, "--size", "250 ml")
        assert r.code == 0, r.err
    monkeypatch.delenv("LOYALTY_PIN")
    r = cli("customer", "add", "--phone", "+1 415 555 0132", "--name", "Ada Lovelace", "--json")
    assert r.code == 0, r.err
    assert cli("sale", "--customer", "(415) 555-0132", "--item", "BAS250:10", "--json").json()["points_balance"] == 145
    before = cli("lookup", "(415) 555-0132", "--json").json()["points_balance"]
    sale = cli("sale", "--customer", "(415) 555-0132", "--item", "BAS250:2", "--item", "WB250", "--redeem", "100",
               "--json").json()
    assert sale["points_redeemed"] == 100 and sale["points_balance"] == before - 100 + sale["points_earned"]
    back = cli("return", "--purchase", str(sale["purchase_id"]), "--json").json()
    assert back["points_balance"] == before
    profile = cli("lookup", "(415) 555-0132", "--json").json()
    assert profile["points_balance"] == before and len(profile["history"]) == 2
    r = cli("check")
    assert r.code == 0 and r.out.strip() == "All checks passed."


def test_done_when_on_the_demo_shop(demo_template, demo_shop_path, cli) -> None:
    """A demo customer found by a bracketed phone; a sale with a redemption and its return leave the balance
    exactly where it was; check is clean."""
    stats = demo_template[1]
    profile = cli("lookup", stats["sample_phone"], "--json", db=demo_shop_path).json()
    assert profile["history"] and profile["name"] == stats["sample_name"]
    products = [p for p in cli("product", "list", "--json", db=demo_shop_path).json() if p["active"]]
    dear = max(products, key=lambda p: p["price_cents"])
    phone = stats["sample_phone"]
    if profile["points_balance"] < 100:  # earn enough to redeem first
        qty = 20_000 // dear["price_cents"] + 1
        assert cli("sale", "--customer", phone, "--item", f"{dear['sku']}:{qty}", db=demo_shop_path).code == 0
    before = cli("lookup", phone, "--json", db=demo_shop_path).json()["points_balance"]
    assert before >= 100
    sale = cli("sale", "--customer", phone, "--item", f"{dear['sku']}:{1000 // dear['price_cents'] + 1}",
               "--redeem", "100", "--json", db=demo_shop_path)
    assert sale.code == 0, sale.err
    assert sale.json()["points_redeemed"] == 100
    back = cli("return", "--purchase", str(sale.json()["purchase_id"]), "--json", db=demo_shop_path)
    assert back.code == 0 and back.json()["points_balance"] == before
    r = cli("check", db=demo_shop_path)
    assert r.code == 0, r.out


def test_customer_edit_and_merge(member, cli, monkeypatch) -> None:
    dup = cli("customer", "add", "--phone", "(415) 555-0141", "--email", "ada@example.com", "--json").json()
    r = cli("customer", "edit", "ada@example.com", "--email-consent", "yes", "--add-phone", "415.555.0142",
            "--notes", "likes basil", "--json")
    assert r.code == 0, r.err
    assert r.json()["email_consent"] is True and r.json()["phones"] == ["+14155550141", "+14155550142"]
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    r = cli("customer", "merge", "(415) 555-0132", "(415) 555-0141", "--json")
    assert r.code == 0, r.err
    merged = r.json()
    assert merged["id"] == member.id and merged["points_balance"] == 200
    assert merged["phones"] == ["+14155550132", "+14155550141", "+14155550142"]
    assert merged["email"] == "ada@example.com" and merged["email_consent"] is True
    assert cli("lookup", "(415) 555-0142", "--json").json()["id"] == member.id
    assert [c["id"] for c in cli("customer", "list", "--json").json()] == [member.id]
    assert dup["id"] != member.id
    _one_line_error(cli("customer", "merge", "(415) 555-0132", "(415) 555-0141"), "themselves")


def test_a_file_name_with_a_nul_character_is_one_line(catalogue, cli, monkeypatch) -> None:
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    _one_line_error(cli("report", "popular", "--csv", "out\0.csv"), "cannot contain a NUL character")
