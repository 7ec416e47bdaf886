"""`loyalty pos connect|pull|attach|status` through the real entry point, against Square on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import OWNER_PIN
from tests.pos_servers import FakeSquare

# The command line runs on the real clock: orders of an hour ago, so they are recent enough to attach.
NOW = datetime.now(UTC).replace(microsecond=0)
T1, T2 = (NOW - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z"), (NOW - timedelta(hours=1)).strftime(
    "%Y-%m-%dT%H:%M:%S.000Z")
SINCE = (NOW - timedelta(days=2)).strftime("%Y-%m-%d")


@pytest.fixture
def square(httpserver, shop, monkeypatch):
    fake = FakeSquare(httpserver, page_size=10)
    fake.customers["C-ADA"] = {"given_name": "Ada", "phone_number": "+14155550132"}
    fake.sale("O1", T1, [("V-LEM", "Lemon oil", 2, 1500)], customer="C-ADA")
    fake.sale("O2", T2, [("V-LEM", "Lemon oil", 1, 1500)])
    monkeypatch.setenv("SQUARE_TOKEN", fake.token)
    shop.close()  # the CLI opens the same file
    return fake


def connect(cli, monkeypatch, square, *extra):
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)
    r = cli("pos", "connect", "square", "--name", "till", "--token-env", "SQUARE_TOKEN", "--api-base", square.base,
            "--since", SINCE, *extra)
    monkeypatch.delenv("LOYALTY_PIN")
    return r


def test_connect_pull_attach_status(cli, monkeypatch, square):
    r = connect(cli, monkeypatch, square, "--location", "L1")
    assert r.code == 0, r.err
    assert r.out.strip() == (f"Connected square as 'till' ({square.base}); the first pull starts at "
                             f"{SINCE}T00:00:00Z.")
    r = cli("pos", "pull", "--json")
    assert r.code == 0, r.err
    [s] = r.json()
    assert (s["connection"], s["sales_applied"], s["customers_created"], s["points_awarded"]) == ("till", 2, 1, 30)
    r = cli("pos", "status")
    assert r.code == 0
    assert "till (square" in r.out and "2 sales, 0 returns, 0 rejected" in r.out
    shop_time = f"{datetime.fromisoformat(T2).astimezone(ZoneInfo('America/Los_Angeles')):%Y-%m-%d %H:%M}"
    assert f"  O2  {shop_time}  $15.00" in r.out  # the anonymous order, ready to attach, in the shop's time
    cli("customer", "add", "--phone", "415 555 0199", "--name", "Bea")
    r = cli("pos", "attach", "--order", "O2", "--customer", "Bea")
    assert (r.code, r.out.strip()) == (0, "POS order O2 is now Bea's: +15 points, balance 15.")
    r = cli("pos", "attach", "--order", "O2", "--customer", "Bea")
    assert r.code == 1 and r.err.startswith("loyalty: POS order 'O2' is already on customer #")
    r = cli("pos", "status", "--json")
    assert r.json()["recent_anonymous"] == []
    assert cli("check").code == 0


def test_connect_needs_the_owner_and_a_token(cli, monkeypatch, square):
    r = cli("pos", "connect", "square", "--name", "till", "--token-env", "SQUARE_TOKEN")
    assert (r.code, r.err.strip()) == (1, "loyalty: connecting a POS needs the owner: set LOYALTY_STAFF (and "
                                          "LOYALTY_PIN) to the owner's name")
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)
    r = cli("pos", "connect", "square", "--name", "till")
    assert (r.code, r.err.strip()) == (1, "loyalty: give the access token with --token-env VAR (no terminal to ask "
                                          "on)")
    r = cli("pos", "connect", "shopify", "--name", "web", "--token-env", "T")
    assert (r.code, r.err.strip()) == (1, "loyalty: Shopify needs the shop's domain: --shop NAME.myshopify.com")
    assert cli("pos", "status", "--json").json()["connections"] == []


def test_pull_without_a_connection_or_with_the_token_unset(cli, monkeypatch, square):
    r = cli("pos", "pull")
    assert (r.code, r.err.strip()) == (1, "loyalty: no POS is connected yet: run 'loyalty pos connect "
                                          "square|shopify|loyverse' first")
    connect(cli, monkeypatch, square)
    monkeypatch.delenv("SQUARE_TOKEN")
    r = cli("pos", "pull", "--name", "till")
    assert r.code == 1
    assert r.err.strip() == ("loyalty: till: the access token for 'till' is read from $SQUARE_TOKEN, which is not "
                             "set: set it, or run 'loyalty pos connect' again")
    assert cli("pos", "pull", "--name", "nope").err.strip() == (
        "loyalty: no POS connection named 'nope': see 'loyalty pos status'")
