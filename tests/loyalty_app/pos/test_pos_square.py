"""Square connection against a real HTTP server on loopback: pages, 429, 401, returns, edits, failures mid-pull."""

from __future__ import annotations

import socket

import pytest

from loyalty_app.errors import LoyaltyError
from tests.pos_servers import FakeSquare

T1, T2, T3 = "2026-11-02T10:00:00.000Z", "2026-11-02T11:00:00.000Z", "2026-11-02T12:00:00.000Z"


@pytest.fixture
def square(httpserver, shop, owner, monkeypatch):
    fake = FakeSquare(httpserver)
    monkeypatch.setenv("SQUARE_TOKEN", fake.token)
    shop.pos.connect("square", "till", token_env="SQUARE_TOKEN", api_base=fake.base, since="2026-11-01",
                     actor=owner)
    shop.pos.sleep = lambda s: fake.requests.append({"slept": s})
    fake.customers["C-ADA"] = {"given_name": "Ada", "family_name": "Lovelace", "phone_number": "+1 415-555-0132",
                               "email_address": "ada@example.com"}
    fake.skus["V-BAS250"] = "BAS250"
    return fake


def purchases(shop):
    return [tuple(r) for r in shop.ctx.db.conn.execute(
        "SELECT external_id, customer_id, subtotal_cents, points_earned FROM purchases ORDER BY id")]


def balance(shop, phone="+14155550132"):
    return shop.customers.get(shop.lookup.find_one(phone).id).points_balance


def clean(shop):
    assert shop.check() == {k: [] for k in shop.check()}


def test_every_page_followed_customer_fetched_items_filed_by_sku(shop, square):
    square.sale("O1", T1, [("V-BAS250", "Basil oil (250 ml)", 2, 1450)], customer="C-ADA")
    square.sale("O2", T2, [("V-LEM", "Lemon oil", 1, 1500)])
    square.sale("O3", T3, [("V-BAS250", "Basil oil (250 ml)", 1, 1450)], customer="C-ADA")
    [s] = shop.pos.pull()
    assert (s.status, s.pages, s.sales_applied, s.customers_created) == ("done", 2, 3, 1)
    ada = shop.lookup.find_one("(415) 555-0132")
    assert (ada.name, ada.email) == ("Ada Lovelace", "ada@example.com")
    assert purchases(shop) == [("O1", ada.id, 2900, 29), ("O2", None, 1500, 0), ("O3", ada.id, 1450, 14)]
    basil = shop.products.find("BAS250")  # the catalogue's SKU; the size read from the name as imports do
    assert (basil.name, basil.family, basil.size) == ("Basil oil (250 ml)", "Basil oil", "250 ml")
    assert shop.products.find("V-LEM").name == "Lemon oil"  # no SKU in the catalogue: filed by the variation id
    assert balance(shop) == 43
    assert s.watermark == "2026-11-02T12:00:00Z"
    clean(shop)


def test_pull_again_adds_nothing_and_customer_fetched_once(shop, square):
    square.sale("O1", T1, [("V-BAS250", "Basil oil (250 ml)", 2, 1450)], customer="C-ADA")
    shop.pos.pull()
    [again] = shop.pos.pull()
    assert (again.sales_applied, again.unchanged, again.orders_seen) == (0, 0, 1)  # read again, skipped by version
    assert purchases(shop) == [("O1", shop.lookup.find_one("ada@example.com").id, 2900, 29)]
    assert balance(shop) == 29


def test_429_waited_out_per_retry_after(shop, square):
    square.sale("O1", T1, [("V-LEM", "Lemon oil", 1, 1500)])
    square.fail_next = [(429, {"Retry-After": "7"}, "{}")]
    [s] = shop.pos.pull()
    assert s.status == "done" and s.sales_applied == 1
    assert {"slept": 7.0} in square.requests


def test_401_one_line_and_nothing_changed(shop, square, cli, monkeypatch):
    square.sale("O1", T1, [("V-LEM", "Lemon oil", 1, 1500)])
    monkeypatch.setenv("SQUARE_TOKEN", "revoked")
    shop.close()
    r = cli("pos", "pull")
    assert r.code == 1
    assert r.err.strip().splitlines() == [
        "loyalty: till: Square refused the access token (HTTP 401); nothing was changed: make a new access token "
        "in the Square Developer Dashboard and run 'loyalty pos connect square' again"]
    assert "Traceback" not in r.err
    from loyalty_app.shop import open_shop
    again = open_shop(shop.path)
    try:
        assert purchases(again) == []
        assert again.pos.status()[0].last_error.startswith("Square refused the access token")
    finally:
        again.close()


def test_return_reverses_exactly_what_its_lines_earned(shop, square):
    square.sale("O1", T1, [("V-BAS250", "Basil oil (250 ml)", 2, 1450), ("V-LEM", "Lemon oil", 1, 1500)],
                customer="C-ADA")
    shop.pos.pull()
    assert balance(shop) == 44
    square.return_order("R1", T2, "O1", [("V-BAS250", "Basil oil (250 ml)", 1, 1450)])
    [s] = shop.pos.pull()
    assert (s.returns_applied, s.points_reversed) == (1, 14)
    assert balance(shop) == 30
    rows = [tuple(r) for r in shop.ctx.db.conn.execute("SELECT source, external_id, points_reversed FROM returns")]
    assert rows == [("square", "O1:R1", 14)]
    [again] = shop.pos.pull()
    assert again.returns_applied == 0 and balance(shop) == 30
    clean(shop)


def test_edited_order_applied_once_with_points_adjusted_exactly(shop, square):
    square.sale("O1", T1, [("V-BAS250", "Basil oil (250 ml)", 1, 1450)], customer="C-ADA")
    shop.pos.pull()
    assert balance(shop) == 14
    square.sale("O1", T1, [("V-BAS250", "Basil oil (250 ml)", 3, 1450)], customer="C-ADA", version=2, updated=T3)
    [s] = shop.pos.pull()
    assert (s.sales_reapplied, s.points_reversed, s.points_awarded) == (1, 14, 43)
    assert balance(shop) == 43
    [again] = shop.pos.pull()
    assert (again.sales_reapplied, again.points_awarded) == (0, 0) and balance(shop) == 43
    # A version bump that changes nothing (a payment note, a fulfilment) leaves the sale as it is.
    square.orders["O1"]["version"] = 3
    square.orders["O1"]["updated_at"] = "2026-11-02T13:00:00.000Z"
    [bump] = shop.pos.pull()
    assert (bump.sales_reapplied, bump.unchanged) == (0, 1) and balance(shop) == 43
    clean(shop)


def test_server_fails_on_page_two_applied_stays_once_rest_comes_next_pull(shop, square):
    for i, t in enumerate((T1, T2, T3, "2026-11-02T13:00:00.000Z"), 1):
        square.sale(f"O{i}", t, [("V-BAS250", "Basil oil (250 ml)", 1, 1450)], customer="C-ADA")
    square.fail_on_page = {2: 500}
    [s] = shop.pos.pull()
    assert s.status == "failed" and "HTTP 500" in s.error and "nothing was lost" in s.error
    assert [p[0] for p in purchases(shop)] == ["O1", "O2"]
    assert shop.pos.status()[0].resuming is True
    [s2] = shop.pos.pull()
    assert (s2.status, s2.sales_applied) == ("done", 2)
    assert [p[0] for p in purchases(shop)] == ["O1", "O2", "O3", "O4"]
    assert balance(shop) == 4 * 14
    clean(shop)


def test_server_gone_nothing_lost(shop, square, owner):
    square.sale("O1", T1, [("V-LEM", "Lemon oil", 1, 1500)])
    with socket.socket() as closed:  # a port that was just free: nothing listens there
        closed.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{closed.getsockname()[1]}"
    shop.pos.connect("square", "till", token_env="SQUARE_TOKEN", api_base=gone, actor=owner)
    [s] = shop.pos.pull()
    assert s.status == "failed" and "could not be reached" in s.error
    assert purchases(shop) == []
    shop.pos.connect("square", "till", token_env="SQUARE_TOKEN", api_base=square.base, actor=owner)
    [s2] = shop.pos.pull()
    assert s2.sales_applied == 1


def test_attach_anonymous_recent_order(shop, square, owner):
    square.sale("O2", T2, [("V-LEM", "Lemon oil", 2, 1500)])
    shop.pos.pull()
    bea = shop.customers.sign_up("+14155550133", name="Bea")
    r = shop.pos.attach("O2", bea.id)
    assert (r.points_earned, r.points_balance) == (30, 30)
    with pytest.raises(LoyaltyError, match="already on customer"):
        shop.pos.attach("O2", bea.id)
    # A later pull of the same order (still anonymous at the POS) keeps it on Bea, counted once.
    square.orders["O2"]["version"] = 2
    square.orders["O2"]["updated_at"] = T3
    shop.pos.pull()
    assert shop.customers.get(bea.id).points_balance == 30
    clean(shop)


ITEMS_HEADER = ("Date,Time,Time Zone,Category,Item,Qty,Price Point Name,SKU,Net Sales,Tax,Transaction ID,Payment ID,"
                "Event Type,Location,Customer ID,Customer Name\n")


def _row(txn, pay, event, qty, amount, when="2026-11-02,02:00:00"):
    return (f"{when},Pacific Time (US & Canada),Infused oils,Basil oil,{qty},250 ml,BAS250,{amount},$0.00,{txn},"
            f"{pay},{event},Downtown,C-ADA,Ada Lovelace\n")


def test_items_export_after_a_pull_counts_nothing_twice(shop, square, tmp_path):
    from loyalty_app.importers.engine import ImportOptions, import_file
    square.sale("O1", T1, [("V-BAS250", "Basil oil (250 ml)", 2, 1450)], customer="C-ADA")
    square.return_order("R1", T2, "O1", [("V-BAS250", "Basil oil (250 ml)", 1, 1450)])
    shop.pos.pull()
    assert balance(shop) == 29 - 14
    f = tmp_path / "items.csv"
    f.write_text(ITEMS_HEADER + _row("O1", "P1", "Payment", "2.0", "$29.00")
                 + _row("O1", "RF1", "Refund", "-1.0", "-$14.50", "2026-11-02,03:00:00")
                 + _row("O9", "P9", "Payment", "1.0", "$14.50", "2026-10-30,09:00:00"), encoding="utf-8")
    s = import_file(shop, f, ImportOptions(report=tmp_path / "r.csv"))
    assert (s.lines_imported, s.duplicates, s.returns_imported, s.rejected) == (1, 2, 0, 0)
    assert balance(shop) == 29 - 14 + 14
    clean(shop)


def test_pull_after_an_items_export_links_the_sale_and_its_refund(shop, square, tmp_path):
    from loyalty_app.importers.engine import ImportOptions, import_file
    f = tmp_path / "items.csv"
    f.write_text(ITEMS_HEADER + _row("O5", "P5", "Payment", "2.0", "$29.00")
                 + _row("O5", "RF5", "Refund", "-1.0", "-$14.50", "2026-11-02,03:00:00"), encoding="utf-8")
    import_file(shop, f, ImportOptions(report=tmp_path / "r.csv"))
    assert balance(shop, "Ada Lovelace") == 15
    square.sale("O5", T1, [("V-BAS250", "Basil oil (250 ml)", 2, 1450)], customer="C-ADA")
    square.return_order("R5", T2, "O5", [("V-BAS250", "Basil oil (250 ml)", 1, 1450)])
    [s] = shop.pos.pull()
    assert (s.sales_adopted, s.sales_applied, s.returns_applied, s.rejected) == (1, 0, 0, 0)
    assert balance(shop, "Ada Lovelace") == 15
    assert shop.ctx.db.conn.execute("SELECT count(*) FROM returns").fetchone()[0] == 1
    # A second return of the other unit is a new one: applied.
    square.return_order("R6", T3, "O5", [("V-BAS250", "Basil oil (250 ml)", 1, 1450)])
    [s2] = shop.pos.pull()
    assert s2.returns_applied == 1 and balance(shop, "Ada Lovelace") == 0
    clean(shop)


class _MemoryKeyring:
    """The system keyring, as a test stand-in: what was stored, by service and account."""

    def __init__(self):
        import keyring.backend

        class Backend(keyring.backend.KeyringBackend):
            priority = 1
            store: dict = {}

            def set_password(self, service, username, password):
                self.store[(service, username)] = password

            def get_password(self, service, username):
                return self.store.get((service, username))

            def delete_password(self, service, username):
                self.store.pop((service, username), None)

        self.backend = Backend()


def test_token_kept_in_the_system_keyring_never_in_the_database(shop, owner, httpserver, monkeypatch):
    import keyring

    fake = FakeSquare(httpserver)
    fake.sale("O1", T1, [("V-LEM", "Lemon oil", 1, 1500)])
    memory = _MemoryKeyring().backend
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        shop.pos.connect("square", "Till", token=fake.token, api_base=fake.base, since="2026-11-01", actor=owner)
        assert memory.store == {("loyalty-desk", "pos:till"): fake.token}
        [s] = shop.pos.pull()
        assert s.sales_applied == 1
        dump = "\n".join(shop.ctx.db.conn.iterdump())
        assert fake.token not in dump
        assert shop.pos.status()[0].token == "system keyring"
    finally:
        keyring.set_keyring(previous)


def test_an_order_that_cannot_be_filed_is_written_not_at_all(shop, square):
    square.sale("O1", T1, [("V-BAS250", "Basil oil (250 ml)", 1, 1450), ("V-NEW", "New oil", 1, 900)],
                customer="C-ADA")
    square.orders["O1"]["line_items"][1].update({"catalog_object_id": None, "name": "", "variation_name": ""})
    square.sale("O2", T2, [("V-LEM", "Lemon oil", 1, 1500)])
    [s] = shop.pos.pull()
    assert (s.sales_applied, s.rejected) == (1, 1)
    assert s.problems == ["sale O1: the line names no product"]
    assert [p[0] for p in purchases(shop)] == ["O2"]
    # Nothing of O1 stayed behind: not its first line's product, not its customer.
    assert [p.sku for p in shop.products.list()] == ["V-LEM"]
    assert shop.ctx.db.conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0
    assert shop.pos.status()[0].rejected_orders[0]["reason"] == "the line names no product"
    clean(shop)
