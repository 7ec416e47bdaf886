"""Every kind of email in the shop's language, delivered through a real SMTP server: no English left but the word
"unsubscribe", dates the shop's way, its type's link and the stop-all link with their campaign's tokens, the
one-click headers, the picture inline only when given, the owner's words escaped."""

from __future__ import annotations

import io
import re
from email.message import EmailMessage

import pytest
from PIL import Image

from loyalty_app.consent_types import KIND_TYPE
from loyalty_app.mail import drafts
from loyalty_app.mail.compose import TEMPLATES
from loyalty_app.mail.drafts import Wording
from loyalty_app.sales import SaleItem
from tests.conftest import OWNER_PIN
from tests.mail_support import SHOP_FROM, add_new_basil, at, configure_mail, customer, html_part, text_part

WEB = "https://olive.example/u/{token}"
MESSAGE = "Frisch gepresst & <script>alert('x')</script>\nzweite Zeile\n\nNeuer Absatz"
# The shop's date of Ada's last white balsamic (1 August 2026), as each language writes it.
LAST_BALSAMIC = {"de": "01.08.2026", "fr": "1 août 2026"}


def _template_english() -> list[str]:
    """The English words of the email templates: each _("...") they hold, cut at its {placeholders}."""
    out = {"Hello", "new products", "refill reminders", "news (welcome"}  # the greeting and types, from the code
    for path in TEMPLATES.glob("*.j2"):
        for msgid in re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', path.read_text(encoding="utf-8")):
            for piece in re.split(r"\{[a-z_]+\}", msgid.replace('\\"', '"').replace('"unsubscribe"', "")):
                piece = piece.strip(" .,:;()—-\"")
                if re.search(r"[A-Za-z]{3}", piece):
                    out.add(piece)
    return sorted(out)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (85, 107, 47)).save(out, format="PNG")
    return out.getvalue()


def _ada_everywhere(shop, owner, smtp, language: str) -> int:
    """Ada: due for a refill, overdue for a visit, just signed up, a basil buyer; every email switched on."""
    configure_mail(shop, owner, smtp.port, welcome="on", winback="on", winback_min_days=30, cap_days=0,
                   unsubscribe_url=WEB)
    shop.set_language(language, actor=owner)
    ada = customer(shop, 501, "Ada", "ada@example.com", buys=("BAS250",), when=at(2026, 7, 15))
    for sku, when in (("BAS250", at(2026, 9, 1)), ("WB250", at(2026, 6, 1)), ("WB250", at(2026, 8, 1))):
        shop.sales.record_sale(ada, [SaleItem(sku)], occurred_at=when)
    add_new_basil(shop, owner)
    return ada


def _links(shop, msg: EmailMessage) -> tuple[str, str, int]:
    """(this type's token, the stop-all token, the campaign) as the shop recorded them for this email."""
    campaign = shop.ctx.db.conn.execute("SELECT campaign_id FROM mail_outbox WHERE message_id = ?",
                                        (str(msg["Message-ID"]),)).fetchone()[0]
    rows = dict(shop.ctx.db.conn.execute(
        "SELECT consent_type, token FROM mail_unsubscribe_links WHERE campaign_id = ?", (campaign,)).fetchall())
    return rows.pop(next(t for t in rows if t != "all")), rows["all"], campaign


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("owner_words", [False, True], ids=["template", "owner-words-and-picture"])
def test_every_kind_of_email_speaks_the_shops_language_with_both_unsubscribe_links(
        catalogue, owner, smtp, memory_keyring, clock, tmp_path, language, owner_words):
    shop = catalogue
    _ada_everywhere(shop, owner, smtp, language)
    picture = tmp_path / "basil.png"
    picture.write_bytes(_png())
    words = Wording("Basilikum & <mehr>", MESSAGE, picture=drafts.read_picture(picture)) if owner_words else None
    shop.mail.announce("BASNEW", owner, wording=words)
    shop.mail.send_refill(owner, wording=words)
    shop.mail.run_automations(owner)
    assert shop.mail.deliver().sent == 4
    got = {shop.ctx.db.conn.execute("SELECT kind FROM mail_outbox WHERE message_id = ?",
                                    (str(m["Message-ID"]),)).fetchone()[0]: m for m in smtp.handler.messages}
    assert sorted(got) == ["announce", "refill", "welcome", "winback"]
    titles = {r.kind: r.title for r in shop.mail.campaign_results()}  # as the Email tab and the report name them
    assert titles == {"de": {"announce": "Basil olive oil — 2026 harvest", "refill": "Nachfüll-Erinnerungen",
                             "welcome": "Willkommens-E-Mails", "winback": "Wir vermissen Sie"},
                      "fr": {"announce": "Basil olive oil — 2026 harvest", "refill": "Rappels de réassort",
                             "welcome": "E-mails de bienvenue", "winback": "Vous nous manquez"}}[language]
    english = _template_english()
    for kind, msg in got.items():
        subject, text, html = str(msg["Subject"]), text_part(msg).replace("\r\n", "\n"), html_part(msg)
        token, all_token, campaign = _links(shop, msg)
        assert shop.ctx.db.conn.execute("SELECT consent_type FROM mail_unsubscribe_links WHERE token = ?",
                                        (token,)).fetchone()[0] == KIND_TYPE[kind]
        web = WEB.format(token=token)
        assert "))" not in text and "))" not in html  # the type's own brackets are not wrapped in more
        assert str(msg["List-Unsubscribe"]) == f"<{web}>, <mailto:{SHOP_FROM}?subject=unsubscribe%20{token}>"
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"unsubscribe {token}" in text and web in text and f"unsubscribe {all_token}" in text
        assert f'href="{web}"' in html and f'href="mailto:{SHOP_FROM}?subject=unsubscribe%20{all_token}"' in html
        assert f'<html lang="{language}">' in html
        left = [e for e in english if e in subject or e in text or e in html]
        assert left == [], f"English left in the {language} {kind} email"
        with_picture = owner_words and kind in ("announce", "refill")
        images = [p for p in msg.walk() if p.get_content_maintype() == "image"]
        assert [(p["Content-ID"], p.get_content_disposition()) for p in images] == (
            [("<product-picture>", "inline")] if with_picture else [])
        assert ('src="cid:product-picture"' in html) == with_picture
    if owner_words:
        for kind in ("announce", "refill"):
            html = html_part(got[kind])
            assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
            assert "Frisch gepresst &amp; " in html and "<title>Basilikum &amp; &lt;mehr&gt;</title>" in html
            assert str(got[kind]["Subject"]) == "Basilikum & <mehr>"
            assert "Frisch gepresst & <script>alert('x')</script>\nzweite Zeile\n\nNeuer Absatz" in text_part(
                got[kind]).replace("\r\n", "\n")
    for part in (text_part(got["refill"]), html_part(got["refill"])):
        assert LAST_BALSAMIC[language] in part and "2026-08-01" not in part


def test_without_a_subject_the_command_line_gives_the_standard_one_in_the_shops_language(
        cli, catalogue, owner, smtp, memory_keyring, monkeypatch):
    shop = catalogue
    _ada_everywhere(shop, owner, smtp, "de")
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)
    preview = cli("announce", "BASNEW", "--message", "Frisch gepresst.", "--preview", "--json")
    assert preview.code == 0, preview.err
    [shown] = preview.json()["preview"]
    assert shown["subject"] == "Neu bei Test Olive Co: Basil olive oil — 2026 harvest"
    sent = cli("announce", "BASNEW", "--message", "Frisch gepresst.", "--send")
    assert sent.code == 0, sent.err
    refill = cli("reminders", "refill", "--message", "Bringen Sie die Flasche mit!", "--send")
    assert refill.code == 0, refill.err
    announced, reminded = smtp.handler.to("ada@example.com")
    assert str(announced["Subject"]) == shown["subject"]
    assert (text_part(announced), html_part(announced)) == tuple(
        shown[k].replace("\n", "\r\n") for k in ("text", "html"))
    assert str(reminded["Subject"]) == "Zeit zum Nachfüllen bei Test Olive Co?"
    assert "Bringen Sie die Flasche mit!" in text_part(reminded)
