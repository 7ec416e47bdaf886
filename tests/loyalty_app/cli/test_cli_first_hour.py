"""A new shop owner's first hour with the command line (issue 21): a German shop counts in euros, a name that
matches many says how many, the history shows what it says, returned units are marked, a slip can be printed
again, a mail preview before set-up says why its addresses are empty, and `scripts/dev` says what it does."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from tests.core_helpers import fingerprint
from tests.paths import ROOT

NBSP = "\u00a0"


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(NBSP, " ").replace("\u202f", " ")


@pytest.mark.parametrize(("args", "expected"), [
    (["--region", "DE"], ("DE", "EUR", "Europe/Berlin")),
    (["--region", "fr"], ("FR", "EUR", "Europe/Paris")),
    (["--region", "BR"], ("BR", "BRL", "UTC")),
    ([], ("US", "USD", "America/Los_Angeles")),
    (["--region", "DE", "--currency", "CHF", "--time-zone", "Europe/Zurich"], ("DE", "CHF", "Europe/Zurich")),
])
def test_init_takes_the_currency_and_time_zone_of_the_country(cli, db_path, args, expected) -> None:
    r = cli("init", "--shop-name", "Teehaus", "--owner-pin", "4321", *args)
    assert (r.code, r.err) == (0, "")
    assert r.out == f"Created shop 'Teehaus' in {db_path} ({', '.join(expected)})\n"
    shop = open_shop(db_path)
    try:
        assert (shop.ctx.region, shop.ctx.currency, shop.settings["time_zone"]) == expected
    finally:
        shop.close()


def test_a_name_that_matches_many_says_how_many(cli, catalogue) -> None:
    for i in range(25):
        catalogue.customers.sign_up(f"+1415555{100 + i:04d}", name=f"Nora Costa {i}")
    catalogue.close()
    r = cli("lookup", "costa")
    assert (r.code, r.out) == (1, "")
    assert r.err == ("loyalty: 'costa' matches 25 customers (#1 Nora Costa 0, #2 Nora Costa 1, #3 Nora Costa 2, "
                     "#4 Nora Costa 3, #5 Nora Costa 4); be more precise\n")


def test_the_history_lists_what_it_says_and_marks_returned_units(cli, catalogue, clock) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada")
    start = clock.now() - timedelta(days=120)
    ids = [catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 2)], occurred_at=start + timedelta(days=10 * i))
           .purchase_id for i in range(12)]
    catalogue.sales.return_items(ids[-1], [("BAS250", 1)])
    catalogue.close()
    out = cli("lookup", "#1").out.splitlines()
    assert "  last time: Basil olive oil 250 ml ×2 (1 returned)" in out
    at = out.index("  purchases: 12 (the latest 10 below; --history N lists N)")
    listed = out[at + 1:]
    assert len(listed) == 10 and listed[0].startswith(f"    #{ids[-1]} ")
    assert listed[0].endswith("$29.00: Basil olive oil 250 ml ×2 (1 returned)")
    assert listed[1].endswith("$29.00: Basil olive oil 250 ml ×2")
    out = cli("lookup", "#1", "--history", "12").out.splitlines()
    at = out.index("  purchases: the latest 12")
    assert [line.split()[0] for line in out[at + 1:]] == [f"#{i}" for i in reversed(ids)]


def test_a_sale_s_slip_as_pdf_now_or_again_in_the_shop_s_language(cli, catalogue, db_path, tmp_path,
                                                                    monkeypatch) -> None:
    catalogue.customers.sign_up("+14155550132", name="Ada")
    catalogue.close()
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    assert cli("settings", "--language", "de").code == 0
    first = tmp_path / "slip.pdf"
    r = cli("sale", "--customer", "4155550132", "--item", "BAS250:2", "--slip", str(first))
    assert (r.code, r.err) == (0, "")
    assert r.out.replace(NBSP, " ") == f"Purchase #1: 29,00 $; +29 −0 points; balance 29\nslip written to {first}\n"
    text = _pdf_text(first)
    for words in ("2 × Basil olive oil 250 ml", "29,00 $", "Zwischensumme", "Neuer Punktestand", "Ada"):
        assert words in text, text
    again = tmp_path / "again.pdf"
    r = cli("slip", "1", "--pdf", str(again), "--paper", "A4")
    assert (r.code, r.out) == (0, f"slip of purchase #1 (A4) written to {again}\n")
    assert "2 × Basil olive oil 250 ml" in _pdf_text(again)
    r = cli("slip", "7", "--pdf", str(tmp_path / "none.pdf"))
    assert (r.code, r.out, r.err) == (1, "", "loyalty: no purchase #7\n")
    assert not (tmp_path / "none.pdf").exists()


def test_a_slip_that_cannot_be_written_is_refused_before_the_sale(cli, catalogue, db_path, tmp_path) -> None:
    before = fingerprint(catalogue)
    catalogue.close()
    missing = tmp_path / "no-such-folder" / "slip.pdf"
    r = cli("sale", "--item", "BAS250", "--slip", str(missing))
    assert (r.code, r.out) == (1, "")
    assert r.err == f"loyalty: cannot write the slip to {missing}: no such folder, or not writable; nothing was saved\n"
    shop = open_shop(db_path)
    try:
        assert fingerprint(shop) == before
    finally:
        shop.close()


def test_a_mail_preview_before_set_up_says_why_it_has_no_addresses(cli, catalogue, owner, monkeypatch) -> None:
    today = datetime.now(UTC).date().isoformat()  # the command line's clock is the real one
    catalogue.products.add(sku="BAS1000", name="Basil olive oil 1 l", price_cents=4200, family="Basil olive oil",
                           size="1000 ml", launched_on=today, actor=owner)
    for i in range(6):
        c = catalogue.customers.sign_up(f"+1415555{150 + i:04d}", name=f"Ada {i}", email=f"ada{i}@example.com",
                                        email_consent=True)
        catalogue.sales.record_sale(c.id, [SaleItem("BAS250", 1)])
    catalogue.close()
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", "1234")
    r = cli("announce", "BAS1000", "--preview")
    assert r.code == 0, r.err
    assert r.err == ("loyalty: sending is not set up yet, so the preview has no address to unsubscribe to or no "
                     "postal address: loyalty mail setup --from ADDRESS --postal-address \"street; town\"\n")
    assert "email  with the subject" in r.out  # what the note explains
    assert cli("mail", "setup", "--host", "127.0.0.1", "--port", "2525", "--from", "shop@example.com",
               "--postal-address", "1 Harbour St; Sausalito").code == 0
    r = cli("announce", "BAS1000", "--preview")
    assert (r.code, r.err) == (0, "")
    assert "email shop@example.com with the subject" in r.out


def _fake_tools(tmp_path: Path, apt_fails: bool) -> tuple[Path, dict[str, str]]:
    """A copy of scripts/dev in a fake checkout whose venv is ready, on a Debian whose apt-get talks on stderr."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    (root / "scripts" / "dev").write_bytes((ROOT / "scripts" / "dev").read_bytes())
    (root / "pyproject.toml").write_text("[project]\n")
    venv_bin = root / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    tools = tmp_path / "bin"
    tools.mkdir()
    scripts = {
        venv_bin / "python": "#!/bin/sh\nexit 0\n",
        venv_bin / "loyalty-desk": "#!/bin/sh\necho \"desk $*\"\n",
        tools / "dpkg-query": "#!/bin/sh\nexit 1\n",  # nothing installed yet
        tools / "id": "#!/bin/sh\necho 0\n",  # as root
        tools / "apt-get": ("#!/bin/sh\necho 'debconf: delaying package configuration, since apt-utils is not "
                            "installed' >&2\n" + ("echo 'E: Unable to locate package libgl1' >&2\nexit 100\n"
                                                  if apt_fails else "exit 0\n")),
    }
    for path, body in scripts.items():
        path.write_text(body)
        path.chmod(0o755)
    os.utime(root / "pyproject.toml", (1, 1))
    (root / ".venv" / ".installed-stamp").touch()
    env = {"PATH": f"{tools}:/usr/bin:/bin", "HOME": str(tmp_path)}
    return root, env


def test_dev_demo_keeps_apt_s_chatter_unless_the_install_fails(tmp_path) -> None:
    root, env = _fake_tools(tmp_path, apt_fails=False)
    r = subprocess.run(["bash", str(root / "scripts" / "dev"), "demo"], capture_output=True, text=True, env=env,
                       timeout=60)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.splitlines()[0].startswith("Installing system packages: libglib2.0-0 ")
    assert r.stdout.splitlines()[1:] == ["desk --demo"]
    root, env = _fake_tools(tmp_path / "failing", apt_fails=True)
    r = subprocess.run(["bash", str(root / "scripts" / "dev"), "demo"], capture_output=True, text=True, env=env,
                       timeout=60)
    assert r.returncode == 1 and "desk" not in r.stdout
    assert "E: Unable to locate package libgl1" in r.stderr


def test_dev_with_an_unknown_command_says_so_and_fails() -> None:
    r = subprocess.run(["bash", str(ROOT / "scripts" / "dev"), "tests"], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("scripts/dev: unknown command 'tests'; one of demo, test, bench, soak, smoke, loyalty "
                        "(scripts/dev help)\n")


class _Terminal:
    """stdin as a terminal, for the prompts `init` shows only there."""

    @staticmethod
    def isatty() -> bool:
        return True


def test_init_on_a_terminal_asks_for_the_owner_s_pin_twice(cli, db_path, monkeypatch) -> None:
    answers = iter(["2468", "2468"])
    prompts: list[str] = []
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(answers))
    r = cli("init", "--shop-name", "Teehaus", "--region", "DE", "--json")
    assert (r.code, r.err, r.json()["owner"]) == (0, "", "owner")
    assert prompts == ["PIN for the owner 'owner' (4-12 digits): ", "The same PIN again: "]
    shop = open_shop(db_path)
    try:
        assert shop.staff.sign_in("owner", "2468").is_owner
    finally:
        shop.close()


def test_init_with_two_different_pins_creates_nothing(cli, db_path, monkeypatch) -> None:
    answers = iter(["2468", "2469"])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    r = cli("init")
    assert (r.code, r.out, r.err) == (1, "", "loyalty: the two PINs differ; nothing was created\n")
    assert cli("lookup", "#1").err.endswith("has no shop yet: run 'loyalty init' first\n")


def test_a_report_without_the_owner_says_what_needs_the_owner(cli, shop) -> None:
    shop.close()
    r = cli("report", "popular")
    assert (r.code, r.out) == (1, "")
    assert r.err == ("loyalty: reading the owner reports needs the owner: set LOYALTY_STAFF (and LOYALTY_PIN) to "
                     "the owner's name\n")


def test_a_new_product_s_audience_names_each_customer(cli, catalogue) -> None:
    ada = catalogue.customers.sign_up("+14155550132", name="Ada Lovelace")
    anon = catalogue.customers.sign_up("+14155550133")
    catalogue.sales.record_sale(ada.id, [SaleItem("BAS250", 1)])
    catalogue.sales.record_sale(anon.id, [SaleItem("BAS250", 1)])
    catalogue.close()
    lines = cli("suggest", "audience", "BAS500").out.splitlines()
    assert lines[0] == "2 customers suit Basil olive oil 500 ml"
    assert {line.split()[0]: line[12:40].rstrip() for line in lines[1:]} == {
        f"#{ada.id}": "Ada Lovelace", f"#{anon.id}": "(no name)"}
    assert all(line.endswith("buys Basil olive oil (family)") for line in lines[1:])
