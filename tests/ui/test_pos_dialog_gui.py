"""The owner connects a POS from the window (token into a test keyring), pulls now, and sees how far it is."""

from __future__ import annotations

import pytest

from tests.pos_servers import FakeSquare

pytestmark = pytest.mark.gui


@pytest.fixture
def memory_keyring():
    """A keyring backend in memory for the test: never the user's real keyring."""
    import keyring
    import keyring.backend

    class Backend(keyring.backend.KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.store = {}

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def get_password(self, service, username):
            return self.store.get((service, username))

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    backend = Backend()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _purchases(shop):
    return shop.ctx.db.conn.execute("SELECT count(*) FROM purchases").fetchone()[0]


def test_owner_connects_square_pulls_and_sees_the_sale(qtbot, catalogue, httpserver, memory_keyring):
    from ui.main_window import MainWindow
    fake = FakeSquare(httpserver)
    fake.skus["V-BAS250"] = "BAS250"
    fake.sale("O1", "2026-11-02T10:00:00.000Z", [("V-BAS250", "Basil olive oil 250 ml", 2, 1450)])
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    [action] = [a for a in window.shop_menu.actions() if a.text() == "POS connection…"]
    dialog = window.pos_connections()
    assert dialog.model.rowCount() == 0 and not dialog.pull_button.isEnabled()

    # A wrong PIN: one line, nothing saved, not even the token.
    dialog.name_input.setText("till")
    dialog.token_input.setText("a-wrong-token")
    dialog.server_input.setText(fake.base)
    dialog.since_input.setText("2026-11-01")
    dialog.pin_input.setText("0000")
    assert not dialog.connect_pos()
    assert dialog.message.text().startswith("Not connected: ") and "\n" not in dialog.message.text()
    assert catalogue.pos.status() == [] and memory_keyring.store == {}

    # A token Square refuses: connected, but the pull says so in one line and takes nothing in.
    dialog.pin_input.setText("1234")
    assert dialog.connect_pos()
    assert memory_keyring.store == {("loyalty-desk", "pos:till"): "a-wrong-token"}
    assert dialog.token_input.text() == "" and dialog.pin_input.text() == ""
    with qtbot.waitSignal(window.pos_puller.sig_status, timeout=20000):
        assert dialog.pull_now()
    line = dialog.message.text()
    assert line.startswith("Square (till): Square refused the access token (HTTP 401); nothing was changed")
    assert "\n" not in line and "Traceback" not in line
    assert _purchases(catalogue) == 0
    row = dialog.model.row(0)
    assert (row.kind, row.name, row.server, row.sales, row.pulled_up_to) == ("Square", "till", fake.base, 0, "never")
    assert row.error.startswith("Square refused the access token")

    # The right token: the same connection, now pulled; the sale is counted in the list.
    dialog.token_input.setText(fake.token)
    dialog.pin_input.setText("1234")
    assert dialog.connect_pos()
    assert memory_keyring.store == {("loyalty-desk", "pos:till"): fake.token}
    with qtbot.waitSignal(window.pos_puller.sig_status, timeout=20000):
        assert dialog.pull_now()
    assert dialog.message.text() == "Square (till): up to 2026-11-02 10:00, 1 new sale, 0 returns"
    row = dialog.model.row(0)
    assert (row.sales, row.pulled_up_to, row.error) == (1, "2026-11-02 10:00", "")
    assert row.last_pull != "never"
    assert _purchases(catalogue) == 1
    assert window.pos_puller.timer.isActive()
    assert window.pos_puller.label.text() == dialog.message.text()
    assert action.isEnabled()
    dialog.close()
    window.close()


def test_a_bad_server_address_is_one_line_and_saves_nothing(qtbot, catalogue, memory_keyring):
    from ui.main_window import MainWindow
    window = MainWindow(catalogue)
    qtbot.addWidget(window)
    dialog = window.pos_connections()
    dialog.kind_input.setCurrentIndex(1)  # Shopify
    assert dialog.domain_input.isEnabled() and not dialog.location_input.isEnabled()
    dialog.name_input.setText("web")
    dialog.token_input.setText("shpat_x")
    dialog.server_input.setText("ftp://example.invalid")
    dialog.pin_input.setText("1234")
    assert not dialog.connect_pos()
    assert dialog.message.text() == "Not connected: 'ftp://example.invalid' is not a web address like https://…"
    dialog.server_input.clear()
    dialog.token_input.setText("shpat_x")
    assert not dialog.connect_pos()
    assert dialog.message.text() == "Not connected: Shopify needs the shop's domain, NAME.myshopify.com"
    dialog.name_input.clear()
    assert not dialog.connect_pos()
    assert dialog.message.text() == "Not connected: give the connection a name, e.g. till"
    assert catalogue.pos.status() == [] and memory_keyring.store == {}
    dialog.close()
    window.close()
