"""`loyalty import` on the command line: summary keys, dry run, no points, presets, watch folder."""

from __future__ import annotations

import shutil

from loyalty_app import jobs
from tests.paths import FIXTURES, ROOT

POS = FIXTURES / "pos"
KEYS = {"lines_imported", "duplicates", "rejected", "customers_created", "customers_linked", "products_created"}


def _counts(shop):
    return shop.ctx.db.conn.execute("SELECT (SELECT count(*) FROM purchases), (SELECT count(*) FROM customers), "
                                    "(SELECT count(*) FROM products), (SELECT count(*) FROM points_ledger)"
                                    ).fetchone()


def test_import_prints_the_summary_as_json(cli, catalogue, tmp_path):
    r = cli("import", str(POS / "square_items.csv"), "--report", str(tmp_path / "r.csv"), "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data.keys() >= KEYS
    assert (data["lines_imported"], data["rejected"], data["customers_created"], data["products_created"]) == (
        5, 2, 2, 2)
    assert (tmp_path / "r.csv").exists()


def test_dry_run_changes_nothing_and_says_what_would_happen(cli, catalogue, tmp_path):
    before = _counts(catalogue)
    r = cli("import", str(POS / "shopify_orders.csv"), "--dry-run", "--report", str(tmp_path / "r.csv"), "--json")
    assert r.code == 0, r.err
    assert (r.json()["lines_imported"], r.json()["status"]) == (6, "dry-run")
    assert _counts(catalogue) == before
    real = cli("import", str(POS / "shopify_orders.csv"), "--report", str(tmp_path / "r.csv"), "--json").json()
    assert real["lines_imported"] == 6


def test_no_points_for_old_history(cli, catalogue, tmp_path):
    r = cli("import", str(POS / "loyverse_items.csv"), "--no-points", "--report", str(tmp_path / "r.csv"), "--json")
    assert r.code == 0 and r.json()["points_awarded"] == 0
    eve = catalogue.lookup.find_one("eve@example.com")
    assert catalogue.customers.get(eve.id).points_balance == 0
    assert catalogue.check() == {k: [] for k in catalogue.check()}


def test_generic_map_and_preset_on_the_command_line(cli, catalogue, tmp_path):
    m = "receipt=Ticket,time=Sold at,phone=Tel,name=Article,sku=Ref,qty=Qty,amount=Line total"
    r = cli("import", str(POS / "generic_till.tsv"), "--map", m, "--save-preset", "till", "--dry-run",
            "--report", str(tmp_path / "r.csv"), "--json")
    assert r.code == 0, r.err
    r = cli("import", str(POS / "generic_till.tsv"), "--preset", "till", "--report", str(tmp_path / "r.csv"),
            "--json")
    assert r.code == 0 and r.json()["format"] == "generic" and r.json()["lines_imported"] == 4


def test_errors_are_one_line(cli, catalogue, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("Foo,Bar\n1,2\n")
    r = cli("import", str(bad))
    assert r.code == 1 and r.err.startswith("loyalty: ") and "--map" in r.err
    assert cli("import", str(tmp_path / "missing.csv")).err.startswith("loyalty: ")


def test_watch_folder_moves_files_with_their_reports(cli, catalogue, db_path, tmp_path, clock):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(POS / "square_items.csv", inbox)
    (inbox / "mystery.csv").write_text("Foo,Bar\n1,2\n")
    r = cli("import", "--watch", str(inbox), "--once", "--json")
    assert r.code == 1  # one file failed
    by_name = {x["file"]: x for x in r.json()}
    assert by_name["square_items.csv"]["status"] == "done" and by_name["mystery.csv"]["status"] == "failed"
    assert (inbox / "imported" / "square_items.csv").exists()
    assert (inbox / "imported" / "square_items-report.csv").exists()
    assert (inbox / "failed" / "mystery.csv").exists() and (inbox / "failed" / "mystery-report.csv").exists()
    assert not list(inbox.glob("*.csv"))
    shutil.copy(POS / "square_items.csv", inbox)  # dropped again: imported again, nothing added
    again = jobs.watch_folder_pass(db_path, inbox, clock=clock)
    assert again[0].lines_imported == 0 and again[0].duplicates == 5
    assert (inbox / "imported" / "square_items-1.csv").exists()


def test_readme_documents_the_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "loyalty import" in readme and "--watch" in readme and "quantit" in readme


def test_watch_folder_setting_for_the_app(cli, shop, tmp_path):
    r = cli("import", "--set-watch-folder", str(tmp_path), "--json")
    assert r.code == 0 and r.json()["watch_folder"] == str(tmp_path.resolve())
    assert cli("import", "--set-watch-folder", str(tmp_path / "nope")).code == 1
