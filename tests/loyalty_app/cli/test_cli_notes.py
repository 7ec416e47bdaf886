"""The command line's notes, tags and last-four lookup, and the rough edges of a first hour with it (issue 21):
the demo shop used when there is no other, `#id` as printed, shop time, overdue refills, cards in the list, a
reader that leaves early. Through the real entry point; the exact lines a user sees and the exit codes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime

import pytest

from loyalty_app.sales import SaleItem
from loyalty_app.shop import default_demo_path, open_shop
from tests.paths import ROOT


@pytest.fixture
def ada(catalogue):
    c = catalogue.customers.sign_up("+14155550132", name="Ada Lovelace")
    catalogue.close()  # the command line opens the file itself
    return c


def test_edit_sets_notes_and_tags_and_lookup_json_carries_them(cli, db_path, ada) -> None:
    r = cli("customer", "edit", "4155550132", "--notes", "prefers the unfiltered oil", "--add-tag", " VIP ",
            "--add-tag", "nut allergy", "--add-tag", "vip")
    assert (r.code, r.out, r.err) == (0, f"Updated #{ada.id}\n", "")
    profile = cli("lookup", "4155550132", "--json").json()
    assert (profile["notes"], profile["tags"]) == ("prefers the unfiltered oil", ["nut allergy", "VIP"])
    text = cli("lookup", "4155550132").out.splitlines()
    assert "  tags: nut allergy, VIP" in text and "  notes: prefers the unfiltered oil" in text
    r = cli("customer", "edit", "4155550132", "--remove-tag", "Nut Allergy", "--notes", "")
    assert r.code == 0, r.err
    assert cli("lookup", "4155550132", "--json").json()["tags"] == ["VIP"]
    assert cli("lookup", "4155550132", "--json").json()["notes"] is None


def test_a_refused_tag_saves_nothing_of_the_command(cli, db_path, ada) -> None:
    r = cli("customer", "edit", "4155550132", "--name", "Ada King", "--notes", "new", "--add-tag", "x" * 31)
    assert (r.code, r.out) == (1, "")
    assert r.err == "loyalty: the tag '" + "x" * 30 + "…' is too long: at most 30 characters; nothing was saved\n"
    r = cli("customer", "edit", "4155550132", "--remove-tag", "gold")
    assert r.err == f"loyalty: customer #{ada.id} has no tag 'gold'; nothing was changed\n" and r.code == 1
    profile = cli("lookup", "4155550132", "--json").json()
    assert (profile["name"], profile["notes"], profile["tags"]) == ("Ada Lovelace", None, [])


def test_tag_changes_are_audited_with_the_staff_named(cli, db_path, ada, monkeypatch) -> None:
    monkeypatch.setenv("LOYALTY_STAFF", "sam")
    assert cli("customer", "edit", "4155550132", "--add-tag", "VIP").code == 0
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    lines = cli("audit").out.splitlines()
    assert [ln.split()[2:5] for ln in lines if "customer.tag_add" in ln] == [["sam", "customer.tag_add", str(ada.id)]]


def test_list_filters_by_tag_and_shows_cards(cli, db_path, catalogue) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    bob = catalogue.customers.sign_up("+14155550133", name="Bob")
    card = catalogue.customers.attach_card(ada.id)
    catalogue.notes.add_tag(bob.id, "Wholesale")
    catalogue.close()
    out = cli("customer", "list").out.splitlines()
    assert out == [f"#{ada.id:<6} {'Ada':<28} {'+14155550132':<30} {card:<15} {0:>6} pts",
                   f"#{bob.id:<6} {'Bob':<28} {'+14155550133':<30} {'no card':<15} {0:>6} pts  [Wholesale]"]
    r = cli("customer", "list", "--tag", "WHOLESALE", "--json")
    assert [c["id"] for c in r.json()] == [bob.id]
    r = cli("customer", "list", "--tag", "gold")
    assert (r.code, r.out) == (0, "No customer has the tag 'gold'.\n")


def test_lookup_by_last_four_lists_the_matches_masked_and_one_match_opens(cli, db_path, catalogue) -> None:
    ada = catalogue.customers.sign_up("+14155554567", name="Ada")
    bob = catalogue.customers.sign_up("+12125554567", name="Bob")
    catalogue.customers.sign_up("+12125550999", name="Cy")
    catalogue.sales.record_sale(bob.id, [SaleItem("WB250", 1)])  # the latest visitor is listed first
    catalogue.close()
    r = cli("lookup", "4567")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "2 customers have a phone ending in 4567:",
        f"  #{bob.id:<6} {'Bob':<28} {'(•••) •••-4567':<18} last visit 2026-11-02 10:30",
        f"  #{ada.id:<6} {'Ada':<28} {'(•••) •••-4567':<18} last visit never",
        f"Pick one: loyalty lookup \"#{bob.id}\"",
    ]
    assert "212" not in r.out and "415" not in r.out
    assert [m["phone"] for m in cli("lookup", "4567", "--json").json()] == ["(•••) •••-4567"] * 2
    assert cli("lookup", "0999").out.startswith("Cy  #3\n")
    r = cli("lookup", "1111")
    assert (r.code, r.err) == (1, "loyalty: no customer matches '1111'\n")


def test_the_number_the_cli_prints_finds_the_customer(cli, db_path, shop) -> None:
    shop.close()
    r = cli("customer", "add", "--phone", "(415) 555-0132", "--name", "Ada")
    assert r.out.startswith("Signed up #1 Ada")
    number = r.out.split()[2]
    for typed in (number, "# 1", number + " "):
        assert cli("lookup", typed).out.splitlines()[0] == "Ada  #1", typed
    assert cli("customer", "list").out.split()[0] == number


def test_times_are_the_shop_s_not_utc(cli, db_path, catalogue) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    # 06:30 UTC on 2 November is 22:30 on 1 November in Los Angeles: the window shows 1 November.
    sale = catalogue.sales.record_sale(ada.id, [SaleItem("WB250", 1)],
                                       occurred_at=datetime(2026, 11, 2, 6, 30, tzinfo=UTC))
    catalogue.close()
    out = cli("lookup", "4155550132").out.splitlines()
    assert "last visit: 2026-11-01 22:30" in out[2]
    assert f"    #{sale.purchase_id} 2026-11-01 $12.00: White balsamic 250 ml ×1" in out


def test_an_overdue_refill_is_called_overdue(cli, demo_shop_path) -> None:
    shop = open_shop(demo_shop_path)
    try:
        ids = [c.id for c in shop.customers.list(80)]
    finally:
        shop.close()
    for cid in ids:
        profile = cli("lookup", f"#{cid}", "--json", db=demo_shop_path).json()
        overdue = [r for r in profile["refill_due"][:5] if r["status"] == "overdue" and r["days_overdue"] > 1]
        if overdue:
            break
    else:
        pytest.fail("no demo customer with an overdue refill")
    text = cli("lookup", f"#{cid}", db=demo_shop_path).out.splitlines()
    r = overdue[0]
    assert f"  refill: {r['name']} overdue since {r['due_on']} ({r['days_overdue']} days)" in text


def _main_without_db(*args: str) -> tuple[int, str, str]:
    from loyalty_app.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_after_loyalty_demo_the_commands_use_the_demo_shop(demo_shop_path, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("LOYALTY_DB", raising=False)
    demo = default_demo_path()
    demo.parent.mkdir(parents=True)
    shutil.copyfile(demo_shop_path, demo)
    code, out, err = _main_without_db("lookup", "#1")
    assert code == 0 and out.splitlines()[0].endswith("#1")
    assert err == f"loyalty: no shop of your own yet, so this is the demo shop ({demo})\n"
    code, out, err = _main_without_db("demo")
    assert (code, out) == (1, "")
    assert err == (f"loyalty: the demo shop already exists in {demo}: use it with 'loyalty --db {demo} COMMAND' "
                   "(commands use it anyway while there is no shop of your own), or --force to rebuild it\n")
    missing = tmp_path / "typo.sqlite"
    code, out, err = _main_without_db("--db", str(missing), "lookup", "#1")
    assert (code, err) == (1, f"loyalty: no shop database at {missing}: pass --db {demo} for the demo shop, "
                              "or run 'loyalty init' first\n")


def test_piped_into_head_it_stops_quietly(demo_shop_path) -> None:
    # More than a pipe holds (64 KiB), read one line, then the reader goes away as `head -1` does.
    p = subprocess.Popen([sys.executable, "-m", "loyalty_app.cli", "--db", str(demo_shop_path), "customer", "list",
                          "--limit", "300", "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    assert p.stdout.readline() == b"[\n"
    p.stdout.close()
    err = p.stderr.read().decode()
    assert (p.wait(timeout=60), err) == (0, "")


def test_dev_script_help_is_its_usage_and_nothing_else() -> None:
    out = subprocess.run(["bash", str(ROOT / "scripts" / "dev"), "help"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0].startswith("# Loyalty Desk developer entry point")
    assert all(line.startswith("#   scripts/dev ") for line in out[1:]) and len(out) == 7


def test_pyproject_licence_is_an_spdx_expression() -> None:
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["license"] == "MIT"  # a table is deprecated: setuptools warns ~30 lines per install
    assert json.dumps(meta["build-system"]["requires"]) == '["setuptools>=77"]'
