"""The Email tab in the owner's words: the preview follows every keystroke as the first recipient gets it, the
draft survives a restart, a picture shows inline (a non-image is refused in one line), and the Results show the
revenue lift with its 95% interval."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from loyalty_app.mail.drafts import Wording
from loyalty_app.sales import SaleItem
from tests.loyalty_app.mail.test_mail_compose import png
from tests.mail_support import add_new_basil, configure_mail, customer

pytestmark = pytest.mark.gui


@pytest.fixture
def basil(catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    customer(shop, 501, "Ada Lovelace", "ada@example.com", buys=("BAS250",))
    customer(shop, 502, "Ben", "ben@example.com", buys=("BAS500",))
    add_new_basil(shop, owner)
    return shop


def _tab(qtbot, shop, tasks):
    from ui.mail.mail_tab import MailTab

    tab = MailTab(shop, tasks)
    qtbot.addWidget(tab)
    return tab  # the caller keeps it: its compose screen lives as long as the tab


def test_the_preview_follows_the_owner_typing_as_the_first_recipient_gets_it(qtbot, basil, tasks, smtp, owner):
    tab = _tab(qtbot, basil, tasks)
    compose = tab.compose
    compose.choose_product("BASNEW")
    assert compose.editor.subject_input.text() == "New at Test Olive Co: Basil olive oil — 2026 harvest"
    with qtbot.waitSignal(compose.sig_proposed, timeout=20000) as proposed:
        qtbot.mouseClick(compose.propose_button, Qt.MouseButton.LeftButton)
    assert proposed.args == [2]
    first = compose.preview_combo.itemText(0)
    assert compose.preview_text.toPlainText().startswith(f"Hello {first.split()[0]},")

    compose.editor.subject_input.clear()
    qtbot.keyClicks(compose.editor.subject_input, "Basil & co")
    assert compose.subject_line.text().endswith(": Basil & co")
    qtbot.keyClicks(compose.editor.message_input, "Fresh <b>today</b>")
    qtbot.keyClick(compose.editor.message_input, Qt.Key.Key_Return)
    qtbot.keyClicks(compose.editor.message_input, "Come by!")
    text = compose.preview_text.toPlainText()
    assert "\n\nFresh <b>today</b>\nCome by!\n\nBasil olive oil — 2026 harvest — $18.00" in text
    assert "Fresh <b>today</b>\nCome by!" in compose.preview_html.toPlainText()  # shown literally, not bold
    assert compose.editor.problem_label.text() == ""

    compose.editor.subject_input.setText("Basil & co" + "!" * 120)
    assert compose.editor.problem_label.text() == "the subject is 130 characters long; keep it to 120 or fewer"
    compose.actor = owner
    qtbot.mouseClick(compose.send_button, Qt.MouseButton.LeftButton)
    assert compose.status_label.text() == "the subject is 130 characters long; keep it to 120 or fewer"
    assert compose.task is None and basil.mail.outbox() == []

    compose.editor.subject_input.setText("Basil & co")
    compose.editor.split_box.setChecked(True)
    qtbot.keyClicks(compose.editor.subject_b_input, "Taste the new basil")
    compose.variant_combo.setCurrentIndex(compose.variant_combo.findData("B"))
    assert compose.subject_line.text().endswith(": Taste the new basil")
    with qtbot.waitSignal(compose.sig_sent, timeout=20000) as done:
        qtbot.mouseClick(compose.send_button, Qt.MouseButton.LeftButton)
    assert done.args[0].delivery.sent == 2
    recorded = dict(basil.ctx.db.conn.execute(
        "SELECT c.email, d.variant FROM mail_decisions d JOIN customers c ON c.id = d.customer_id").fetchall())
    assert {str(m["To"]).split("<")[1].rstrip(">"): str(m["Subject"]) for m in smtp.handler.messages} == {
        email: "Basil & co" if v == "A" else "Taste the new basil" for email, v in recorded.items()}


def test_the_draft_survives_a_restart(qtbot, basil, tasks, db_path, clock, tmp_path):
    from loyalty_app.shop import open_shop

    tab = _tab(qtbot, basil, tasks)
    compose = tab.compose
    compose.choose_product("BASNEW")
    compose.editor.subject_input.setText("Harvest basil")
    picture = tmp_path / "basil.png"
    picture.write_bytes(png())
    assert compose.editor.choose_picture(picture)
    with qtbot.waitSignal(compose.sig_draft_saved, timeout=5000):
        qtbot.keyClicks(compose.editor.message_input, "Line one")
    compose.choose_kind("refill")
    compose.editor.subject_input.setText("Refill day")
    with qtbot.waitSignal(compose.sig_draft_saved, timeout=5000):
        pass
    basil.close()

    again = open_shop(db_path, clock=clock)
    try:
        tab2 = _tab(qtbot, again, tasks)
        reopened = tab2.compose
        reopened.choose_product("BASNEW")
        assert reopened.editor.subject_input.text() == "Harvest basil"
        assert reopened.editor.message_input.toPlainText() == "Line one"
        assert reopened.editor.picture_label.text().startswith("basil.png (")
        assert reopened.preview_html.document().resource(QTextDocument.ResourceType.ImageResource,
                                                          QUrl("cid:product-picture")) is not None
        assert '<img src="cid:product-picture"' in again.mail.preview("BASNEW", None).html
        reopened.choose_kind("refill")
        assert reopened.editor.subject_input.text() == "Refill day"
        assert not reopened.product_combo.isEnabled()
    finally:
        again.close()


def test_a_non_image_is_refused_in_one_line_and_the_old_picture_kept(qtbot, basil, tasks, tmp_path):
    tab = _tab(qtbot, basil, tasks)
    compose = tab.compose
    compose.choose_product("BASNEW")
    good, bad = tmp_path / "basil.png", tmp_path / "menu.pdf"
    good.write_bytes(png())
    bad.write_bytes(b"%PDF-1.7 not a picture")
    assert compose.editor.choose_picture(good)
    assert not compose.editor.choose_picture(bad)
    assert compose.editor.problem_label.text() == "menu.pdf is not a picture (PNG, JPEG, GIF or WebP); nothing was " \
                                                  "changed"
    assert compose.editor.wording().picture is not None and compose.editor.wording().picture.name == "basil.png"


def test_results_show_the_revenue_lift_with_its_interval(qtbot, catalogue, owner, smtp, memory_keyring, clock):
    from ui.mail.campaigns_screen import CampaignsScreen
    from ui.mail.campaigns_table_model import CampaignsTableModel as M

    shop = catalogue
    configure_mail(shop, owner, smtp.port, control_percent=30)
    ids = [customer(shop, 520 + n, f"C{n}", f"c{n}@example.com", buys=("BAS250",)) for n in range(30)]
    add_new_basil(shop, owner)
    shop.mail.announce("BASNEW", owner, wording=Wording("Basil", "Hi", subject_b="Basil is back"))
    shop.mail.deliver()
    clock.advance(days=1)
    [(recipient,)] = shop.ctx.db.conn.execute(
        "SELECT customer_id FROM mail_decisions WHERE grp = 'mail' ORDER BY customer_id LIMIT 1").fetchall()
    assert recipient in ids
    shop.sales.record_sale(recipient, [SaleItem("BASNEW")])
    screen = CampaignsScreen(shop)
    qtbot.addWidget(screen)
    [r] = shop.mail.campaign_results()
    model = screen.model
    assert model.rowCount() == 3  # the campaign, then variants A and B
    cell = model.index(0, M.COL_REVENUE_LIFT).data()
    assert cell.startswith("+$") and "(95%: -$" in cell
    assert model.index(0, M.COL_VERDICT).data() == "too few to tell" == r.revenue.verdict
    assert model.index(0, M.COL_REVENUE_CONTROL).data() == "$0.00"
    assert model.index(1, M.COL_CAMPAIGN).data().strip() == "variant A: Basil"
    assert model.index(2, M.COL_CAMPAIGN).data().strip() == "variant B: Basil is back"
    assert "95% interval" in screen.note.text()
