"""Killed mid-write, two counters at once: nothing reported as saved is lost, nothing is half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.crash_harness import ROOT, Outcome, mail_problems, mail_server, run, verify
from tests.crash_setup import make_shop


def test_thirty_kills_lose_nothing_that_was_reported_saved(tmp_path: Path) -> None:
    with mail_server() as (port, received):
        db = make_shop(tmp_path / "shop.sqlite", mail_port=port)
        out = run(db, kills=30, seed=3, received=received)
    assert out.kills == 30 and len(out.sales) > 30 and out.count("import") >= 1 and out.count("mail") >= 1
    assert out.emails_received >= 1
    assert out.problems == []


def test_two_counters_redeeming_at_once_never_redeem_twice(tmp_path: Path) -> None:
    db = make_shop(tmp_path / "shop.sqlite")  # each regular has 500 points
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "loyalty_app.cli", "--db", str(db), "sale", "--customer", "+14155550140",
           "--item", "BAS500:10", "--redeem", "400", "--json"]
    counters = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
                for _ in range(2)]
    results = [(c.wait(60), *c.communicate()) for c in counters]
    assert sorted(code for code, _, _ in results) == [0, 1]
    refused = next(err for code, _, err in results if code == 1)
    assert "cannot redeem 400 points" in refused and "Traceback" not in refused
    check = subprocess.run([sys.executable, "-m", "loyalty_app.cli", "--db", str(db), "lookup", "+14155550140",
                            "--json"], capture_output=True, text=True, env=env, cwd=ROOT)
    import json

    assert json.loads(check.stdout)["points_balance"] == 500 - 400 + 230


def test_the_harness_notices_a_lost_or_torn_sale(tmp_path: Path) -> None:
    db = make_shop(tmp_path / "shop.sqlite")
    lost = Outcome(saved=[["sale", "999", "1450", "no-such-uuid"], ["import", "W1-1-1"]])
    problems = verify(db, lost)
    assert any("sale 999" in p for p in problems) and any("W1-1-1" in p for p in problems)


def test_the_harness_notices_an_email_sent_again(tmp_path: Path) -> None:
    db = make_shop(tmp_path / "shop.sqlite")
    out = Outcome(mail_marks=[(1, frozenset({"ada@example.com"}))])
    assert mail_problems(db, out, ["ada@example.com"]) == []  # accepted once, before it was marked
    assert mail_problems(db, out, ["ada@example.com", "ada@example.com"]) == [
        "email to ada@example.com was sent again after it was marked sent"]
