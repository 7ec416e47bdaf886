"""Absurd input refused in the services (so the counter, the command line and imports all refuse it): one clear
line, nothing saved. Also: one answer for a wrong name and a wrong PIN, a full disk said as "the disk is full",
no "balance None" for anonymous sales, and no control characters in saved names."""

from __future__ import annotations

import errno
import sqlite3
import subprocess
import sys
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import db as dbpkg
from loyalty_app import backups
from loyalty_app.clean_text import one_line
from loyalty_app.disk_full import DISK_FULL
from loyalty_app.errors import NotFound, PermissionDenied, ShopUnavailable, StaffLocked, ValidationError
from loyalty_app.importers import values
from loyalty_app.importers.generic import parse_mapping
from loyalty_app.importers.options import ImportOptions
from loyalty_app.limits import MAX_QUANTITY
from loyalty_app.points_rules import PointsProgram
from loyalty_app.sales import SaleItem
from loyalty_app.shop import open_shop
from tests.conftest import NOW
from tests.core_helpers import fingerprint
from tests.paths import ROOT

HUGE = 10**20  # past SQLite's 64-bit integers: must be refused in words, never an OverflowError
OWNER = {"LOYALTY_STAFF": "owner", "LOYALTY_PIN": "1234"}


@pytest.fixture
def member(catalogue):
    """Ada with 200 points from one sale (purchase #1: 8 x BAS500)."""
    c = catalogue.customers.sign_up("+14155550132", name="Ada Lovelace")
    catalogue.sales.record_sale(c.id, [SaleItem("BAS500", 8)])
    return c


def _refused(shop, call, *words: str, error: type[Exception] = ValidationError) -> str:
    """``call`` is refused with one line holding ``words``, and nothing is saved."""
    before = fingerprint(shop)
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert "\n" not in message and all(w in message for w in words), message
    assert fingerprint(shop) == before
    return message


def _state(db_path: Path) -> dict:
    shop = open_shop(db_path)
    try:
        return fingerprint(shop)
    finally:
        shop.close()


def _one_line_error(r, *words: str) -> None:
    assert r.code == 1, (r.code, r.out, r.err)
    assert r.out == "" and r.err.count("\n") == 1 and r.err.startswith("loyalty: "), r.err
    assert "Traceback" not in r.err and "OverflowError" not in r.err
    for w in words:
        assert w in r.err, r.err


# -- quantities, amounts and points ------------------------------------------------------------------------

@pytest.mark.parametrize("qty", [0, -2, MAX_QUANTITY + 1, HUGE])
def test_a_sale_line_quantity_outside_one_to_a_hundred_thousand_is_refused(member, catalogue, qty) -> None:
    _refused(catalogue, lambda: catalogue.sales.record_sale(member.id, [SaleItem("BAS250", qty)]),
             f"the quantity of BAS250 must be a whole number from 1 to 100,000, not {qty}")


def test_the_importers_and_the_counter_share_the_quantity_limit(catalogue) -> None:
    assert values.quantity(str(MAX_QUANTITY)) == MAX_QUANTITY
    with pytest.raises(ValidationError, match="is not plausible for one line"):
        values.quantity(str(MAX_QUANTITY + 1))
    r = catalogue.sales.record_sale(None, [SaleItem("WB250", MAX_QUANTITY)])
    assert r.total_cents == 1200 * MAX_QUANTITY


@pytest.mark.parametrize(("item", "words"), [
    (SaleItem("BAS250", 1, unit_price_cents=HUGE), "the price of BAS250 is more than $10,000,000,000.00"),
    (SaleItem("BAS250", 1, discount_cents=HUGE), "the discount of BAS250 is more than $10,000,000,000.00"),
    (SaleItem("BAS250", 1, tax_cents=HUGE), "the tax of BAS250 is more than $10,000,000,000.00"),
    (SaleItem("BAS250", MAX_QUANTITY, unit_price_cents=10**9),
     "the line of BAS250 comes to more than $10,000,000,000.00"),
])
def test_amounts_that_could_overflow_are_refused(member, catalogue, item, words) -> None:
    _refused(catalogue, lambda: catalogue.sales.record_sale(member.id, [item]), words)


def test_a_sale_whose_total_passes_the_cap_is_refused(member, catalogue) -> None:
    lines = [SaleItem("BAS250", 1, unit_price_cents=6 * 10**11), SaleItem("WB250", 1, unit_price_cents=6 * 10**11)]
    _refused(catalogue, lambda: catalogue.sales.record_sale(member.id, lines),
             "this sale comes to more than $10,000,000,000.00")


def test_redeeming_absurd_points_is_refused(member, catalogue) -> None:
    _refused(catalogue, lambda: catalogue.sales.record_sale(member.id, [SaleItem("BAS500")], redeem_points=HUGE),
             "points to redeem must be at most 1,000,000,000,000 points")


@pytest.mark.parametrize("delta", [HUGE, -HUGE])
def test_an_absurd_manual_points_change_is_refused(member, catalogue, owner, delta) -> None:
    _refused(catalogue, lambda: catalogue.points.adjust(member.id, delta, "typo", actor=owner),
             "a manual points change must be at most 1,000,000,000,000 points either way")


def test_a_program_that_could_overflow_is_refused(catalogue, owner) -> None:
    for changes, words in [({"welcome_bonus": HUGE}, "the welcome bonus must be at most"),
                           ({"earn_points": HUGE}, "the points earned must be at most"),
                           ({"redeem_cents": HUGE}, "the value of a redemption is more than"),
                           ({"expiry_mode": "inactivity", "expiry_months": HUGE}, "from 0 to 120 months")]:
        _refused(catalogue, lambda c=changes: catalogue.points.set_program(PointsProgram(**c), actor=owner), words)


def test_absurd_product_prices_and_refill_intervals_are_refused(catalogue, owner) -> None:
    _refused(catalogue, lambda: catalogue.products.add(sku="X1", name="X", price_cents=HUGE, actor=owner),
             "the price of X1 is more than $10,000,000,000.00")
    _refused(catalogue, lambda: catalogue.products.edit("BAS250", price_cents=HUGE, actor=owner),
             "the price of BAS250 is more than")
    _refused(catalogue, lambda: catalogue.products.edit("BAS250", refill_days=HUGE, actor=owner),
             "a refill interval must be from 1 to 3,650 days")


@pytest.mark.parametrize("qty", [0, HUGE])
def test_returning_an_absurd_quantity_is_refused(member, catalogue, qty) -> None:
    words = f"the quantity to return of BAS500 must be a whole number from 1 to 100,000, not {qty}"
    _refused(catalogue, lambda: catalogue.sales.return_items(1, [("BAS500", qty)]), words)
    _refused(catalogue, lambda: catalogue.sales.preview_return(1, [("BAS500", qty)]), words)


def test_a_purchase_number_no_row_can_have_is_not_found(member, catalogue) -> None:
    _refused(catalogue, lambda: catalogue.sales.return_items(HUGE), f"no purchase #{HUGE}", error=NotFound)


# -- sale times ---------------------------------------------------------------------------------------------

def test_a_sale_more_than_a_day_ahead_of_the_clock_is_refused(member, catalogue) -> None:
    sale = catalogue.sales.record_sale
    _refused(catalogue, lambda: sale(member.id, [SaleItem("BAS250")], occurred_at=NOW + timedelta(days=1, minutes=1)),
             "the sale's time 2026-11-03 10:31 is more than a day ahead of the shop's clock (2026-11-02 10:30)")
    assert sale(member.id, [SaleItem("BAS250")], occurred_at=NOW + timedelta(hours=23)).purchase_id


def test_a_sale_before_the_first_recorded_day_minus_ten_years_is_refused(member, catalogue) -> None:
    """The shop was set up (and sold first) on 2026-11-02 (Los Angeles): nothing before 2016-11-02."""
    sale = catalogue.sales.record_sale
    _refused(catalogue, lambda: sale(member.id, [SaleItem("BAS250")], occurred_at=NOW.replace(year=2016, day=1)),
             "is more than 10 years before the shop's first recorded day (2026-11-02)")
    old = sale(member.id, [SaleItem("BAS250")], occurred_at=NOW.replace(year=2016, day=3))
    # History brought in moves the first recorded day back; the window follows it.
    assert sale(member.id, [SaleItem("BAS250")], occurred_at=NOW.replace(year=2007)).purchase_id > old.purchase_id


def test_a_return_dated_ahead_of_the_clock_is_refused(member, catalogue) -> None:
    _refused(catalogue, lambda: catalogue.sales.return_items(1, occurred_at=NOW + timedelta(days=2)),
             "the return's time", "is more than a day ahead of the shop's clock")


def test_imports_refuse_what_the_counter_refuses_row_by_row(catalogue, tmp_path) -> None:
    f = tmp_path / "till.csv"
    f.write_text("Date,Ref,Article,Qty,Unit,Total,Tel\n"
                 "2026-10-01,BAS250,Basil olive oil 250 ml,1,,14.50,4155550160\n"
                 "2026-11-05,BAS250,Basil olive oil 250 ml,1,,14.50,4155550160\n"
                 "2015-01-01,BAS250,Basil olive oil 250 ml,1,,14.50,4155550160\n"
                 "2026-10-02,BAS250,Basil olive oil 250 ml,100001,,14.50,4155550160\n"
                 f"2026-10-03,BAS250,Basil olive oil 250 ml,1,,{HUGE},4155550160\n"
                 "2026-10-04,BAS250,Basil olive oil 250 ml,100000,9999999999.00,,4155550160\n", encoding="utf-8")
    before = fingerprint(catalogue)
    s = catalogue.imports.import_file(f, ImportOptions(mapping=parse_mapping(
        "date=Date,sku=Ref,name=Article,qty=Qty,unit_price=Unit,amount=Total,phone=Tel"), report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.rejected) == (1, 5)
    report = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    for words in ("is more than a day ahead of the shop's clock", "is more than 10 years before the shop's first",
                  "is not plausible for one line", "too large to be an amount of money",
                  "the line of BAS250 comes to more than $10,000,000,000.00"):
        assert words in report, report
    c = catalogue.lookup.find_one("(415) 555-0160")
    assert [e.delta for e in catalogue.points.history(c.id)] == [14]  # the one good sale, nothing else
    assert fingerprint(catalogue)["purchases"] == before["purchases"] + 1


# -- the command line, for real ---------------------------------------------------------------------------

CLI_BAD = [
    (["sale", "--customer", "Ada", "--item", f"BAS250:{HUGE}"], "from 1 to 100,000"),
    (["sale", "--customer", "Ada", "--item", "BAS250", "--redeem", str(HUGE)], "at most 1,000,000,000,000 points"),
    (["sale", "--item", "BAS250", "--at", "2100-01-01"], "more than a day ahead of the shop's clock"),
    (["sale", "--item", "BAS250", "--at", "1900-01-01"], "more than 10 years before the shop's first recorded day"),
    (["sale", "--item", "BAS250", "--at", "9999-12-31T23:59"], "not a date and time the shop can record"),
    (["return", "--purchase", "1", "--item", f"BAS500:{HUGE}"], "from 1 to 100,000"),
    (["return", "--purchase", str(HUGE)], f"no purchase #{HUGE}"),
    (["points", "adjust", "--customer", "Ada", "--delta", str(HUGE), "--reason", "x"], "either way"),
    (["points", "adjust", "--customer", "Ada", "--delta", str(-HUGE), "--reason", "x"], "either way"),
    (["points", "program", "--welcome-bonus", str(HUGE)], "the welcome bonus must be at most"),
    (["product", "add", "--sku", "X1", "--name", "X", "--price", str(HUGE)], "too large to be an amount of money"),
    (["product", "edit", "BAS250", "--refill-days", str(HUGE)], "from 1 to 3,650 days"),
    (["customer", "list", "--limit", str(HUGE)], "is too large"),
    (["suggest", "due", "--within", str(HUGE)], "is too large (at most 36,500 days)"),
]


@pytest.mark.parametrize(("args", "words"), CLI_BAD, ids=[" ".join(a)[:50] for a, _ in CLI_BAD])
def test_absurd_values_on_the_command_line_are_one_line_exit_1_and_save_nothing(member, cli, db_path, monkeypatch,
                                                                                args, words) -> None:
    for key, value in OWNER.items():
        monkeypatch.setenv(key, value)
    before = _state(db_path)
    _one_line_error(cli(*args), words)
    assert _state(db_path) == before


def test_the_installed_command_refuses_ten_to_the_twenty_without_a_traceback(member, db_path) -> None:
    r = subprocess.run([sys.executable, "-m", "loyalty_app.cli", "--db", str(db_path), "sale", "--customer", "Ada",
                        "--item", f"BAS250:{HUGE}"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == f"loyalty: the quantity of BAS250 must be a whole number from 1 to 100,000, not {HUGE}\n"


def test_anonymous_sales_and_returns_print_no_balance_none(member, cli) -> None:
    r = cli("sale", "--item", "BAS250")
    assert (r.code, r.out) == (0, "Purchase #2: $14.50; anonymous: no points\n"), r.err
    r = cli("return", "--purchase", "2")
    assert (r.code, r.out) == (0, "Returned on #2: refund $14.50; anonymous sale: no points\n"), r.err
    r = cli("sale", "--customer", "Ada", "--item", "BAS250")
    assert r.out == "Purchase #3: $14.50; +14 −0 points; balance 214\n"


# -- PINs -----------------------------------------------------------------------------------------------------

def test_an_unknown_name_and_a_wrong_pin_get_the_same_answer(shop, owner) -> None:
    shop.staff.add("eve", "cashier", "2222", actor=owner)
    shop.staff.set_active("eve", False, actor=owner)
    answers = set()
    for name, pin in [("nobody", "1111"), ("sam", "9999"), ("eve", "2222"), ("", "1111")]:
        with pytest.raises(PermissionDenied) as info:
            shop.staff.sign_in(name, pin)
        assert not isinstance(info.value, StaffLocked)
        answers.add(str(info.value))
    assert answers == {"wrong name or PIN"}


def test_the_lockout_still_holds_and_is_told_apart_by_its_type(shop, clock) -> None:
    for _ in range(5):
        with pytest.raises(PermissionDenied, match="^that is not an owner's PIN$"):
            shop.staff.verify_owner("9999")
    with pytest.raises(StaffLocked, match="too many wrong PINs for owner: try again in a minute"):
        shop.staff.verify_owner("1234")  # even the right PIN waits; the owner is told, not sent guessing
    clock.advance(seconds=61)
    assert shop.staff.verify_owner("1234").is_owner
    with pytest.raises(PermissionDenied, match="^that is not an owner's PIN$"):
        shop.staff.verify_owner("1111")  # sam's PIN: right for sam, not an owner's


def test_the_command_line_gives_one_answer_for_a_wrong_name_or_pin(member, cli, db_path, monkeypatch) -> None:
    args = ("points", "adjust", "--customer", "Ada", "--delta", "5", "--reason", "gift")
    errors = set()
    before = _state(db_path)
    for name, pin in [("nobody", "1234"), ("owner", "9999")]:
        monkeypatch.setenv("LOYALTY_STAFF", name)
        monkeypatch.setenv("LOYALTY_PIN", pin)
        r = cli(*args)
        _one_line_error(r)
        errors.add(r.err)
    assert errors == {"loyalty: wrong name or PIN\n"}
    assert _state(db_path) == before


# -- a full disk --------------------------------------------------------------------------------------------

def _sqlite_full_error() -> sqlite3.OperationalError:
    """A real SQLITE_FULL, as SQLite raises it when the disk fills (a page limit stands in for the disk)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    try:
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100)
    except sqlite3.OperationalError as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("the page limit did not fill")


def test_a_sale_on_a_full_disk_says_so_and_saves_nothing(member, catalogue) -> None:
    conn = catalogue.ctx.db.conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    for _ in range(5000):
        before = fingerprint(catalogue)
        try:
            catalogue.sales.record_sale(member.id, [SaleItem("BAS250")], register="a" * 2000)
        except ShopUnavailable as exc:
            assert str(exc) == DISK_FULL
            assert fingerprint(catalogue) == before
            return
    raise AssertionError("the disk never filled")


def test_opening_a_shop_on_a_full_disk_says_the_disk_is_full(member, cli, monkeypatch) -> None:
    """SQLite reports a full disk at open as a 'disk I/O error' (the WAL's -shm file cannot grow)."""
    cause = sqlite3.OperationalError("disk I/O error")
    cause.sqlite_errorcode = sqlite3.SQLITE_IOERR_SHMSIZE

    def full(*_args: object, **_kwargs: object) -> None:
        raise dbpkg.DatabaseError("the disk reported an error: nothing was saved.") from cause

    monkeypatch.setattr(dbpkg, "open_database", full)
    r = cli("sale", "--item", "BAS250")
    _one_line_error(r)
    assert r.err == f"loyalty: {DISK_FULL}\n"


def test_sqlite_full_escaping_a_command_is_one_line(member, cli, db_path, monkeypatch) -> None:
    error = _sqlite_full_error()

    def backup_now(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(backups.BackupService, "backup_now", backup_now)
    _one_line_error(cli("backup", str(db_path.parent / "b.sqlite")), "the disk is full")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device that is always full)")
def test_files_written_to_a_full_disk_say_so(member, cli, catalogue, tmp_path, monkeypatch) -> None:
    _one_line_error(cli("card", "print", "--customer", "Ada", "--pdf", "/dev/full"),
                    "cannot write /dev/full: the disk is full")
    f = tmp_path / "till.csv"
    f.write_text("Date,Ref,Qty,Total\n2026-10-01,BAS250,1,14.50\n2026-10-01,BAS250,x,14.50\n", encoding="utf-8")
    with pytest.raises(ShopUnavailable, match="the disk is full: the import's error report /dev/full could not be "
                                              "written. What was imported is kept"):
        catalogue.imports.import_file(f, ImportOptions(mapping=parse_mapping("date=Date,sku=Ref,qty=Qty,amount=Total"),
                                                report=Path("/dev/full")))
    assert fingerprint(catalogue)["purchases"] == 2


def test_a_background_task_on_a_full_disk_says_so(qtbot) -> None:
    from ui.task_runner import Task

    def job(_cancelled: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/media/usb/backup.sqlite")

    task = Task(job, "backup")
    failures: list[str] = []
    task.signals.sig_failed.connect(lambda outcome: failures.append(outcome.error))
    task.run()
    assert failures == [DISK_FULL]


# -- control characters in names and notes -----------------------------------------------------------------

DIRTY = "Ada\x00 Love\x1blace\x7f\u009b\t\r\nthe\u0085second"


@given(st.text())
def test_one_line_leaves_no_control_characters_and_no_ragged_spaces(text: str) -> None:
    clean = one_line(text)
    assert not any(unicodedata.category(ch) == "Cc" for ch in clean)
    assert clean == clean.strip() and "  " not in clean and one_line(clean) == clean


def test_names_and_notes_saved_through_the_services_lose_control_characters(catalogue, owner) -> None:
    shop = catalogue
    c = shop.customers.sign_up("+14155550199", name=DIRTY)
    assert shop.customers.get(c.id).name == "Ada Lovelace the second"
    shop.customers.edit(c.id, name="Grace\x00 Hopper", notes="likes\x00 basil\x1b[31m")
    assert shop.customers.get(c.id).name == "Grace Hopper"
    assert (shop.privacy.export_customer(c.id, actor=owner).customer or {})["notes"] == "likes basil[31m"
    p = shop.products.add(sku="NUL1", name="Fig\x00 balsamic", family="Fig\x1b", category="Bal\x9bsamic",
                          price_cents=900, actor=owner)
    assert (p.name, p.family, p.category) == ("Fig balsamic", "Fig", "Balsamic")
    assert shop.products.edit("NUL1", name="Fig\x00\x00 vinegar", actor=owner).name == "Fig vinegar"
    shop.staff.add("Eve\x00\x1b", "cashier", "2222", actor=owner)
    assert "Eve" in [s.name for s in shop.staff.list()] and shop.staff.sign_in("Eve", "2222").name == "Eve"


def test_imported_names_lose_control_characters(catalogue, owner, tmp_path) -> None:
    f = tmp_path / "customers.csv"
    f.write_text("First Name,Last Name,Email,Accepts Email Marketing\nAda\x00,Love\x1blace,ada@example.com,yes\n",
                 encoding="utf-8")
    catalogue.imports.import_file(f, ImportOptions(report=tmp_path / "r.csv"))
    assert catalogue.lookup.find_one("ada@example.com").name == "Ada Lovelace"
    summary = catalogue.product_import.import_products("sku,name,price\nOLV1,Olive\x00 oil\x1b,9.00\n", actor=owner)
    assert summary.added == ["OLV1"] and catalogue.products.find("OLV1").name == "Olive oil"
    sales = tmp_path / "till.csv"
    sales.write_text("Date,Article,Qty,Total\n2026-10-01,Chili\x00 oil\x7f,1,7.00\n", encoding="utf-8")
    catalogue.imports.import_file(sales, ImportOptions(mapping=parse_mapping("date=Date,name=Article,qty=Qty,amount=Total"),
                                                report=tmp_path / "r2.csv"))
    assert [p.name for p in catalogue.products.list() if p.needs_review] == ["Chili oil"]
