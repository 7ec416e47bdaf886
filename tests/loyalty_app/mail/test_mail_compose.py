"""The owner's words reach the customer: subject and message, escaped in HTML with line breaks kept, an inline
picture stored once, an A/B split recorded per recipient, drafts kept, and plain refusals."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from db import mail_draft_queries as dq
from loyalty_app.errors import LoyaltyError, ValidationError
from loyalty_app.mail import drafts
from loyalty_app.mail.drafts import Wording
from tests.mail_support import add_new_basil, configure_mail, customer, html_part, text_part


def png(width: int = 8, height: int = 6) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (85, 107, 47)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def basil_buyers(catalogue, owner, smtp, memory_keyring):
    shop = catalogue
    configure_mail(shop, owner, smtp.port)
    ids = [customer(shop, 201 + n, name, f"{name.lower()}@example.com", buys=("BAS250",))
           for n, name in enumerate(["Ada", "Ben", "Cleo", "Dan", "Edda", "Finn", "Gia", "Hal"])]
    add_new_basil(shop, owner)
    return shop, ids


MESSAGE = "Our basil oil from this year's harvest is in.\nPressed on 3 October & bottled fresh.\n\n" \
          "<script>alert('hi')</script> Come taste it!"


def test_the_customer_gets_the_owners_subject_and_message_escaped_with_its_line_breaks(basil_buyers, owner, smtp):
    shop, ids = basil_buyers
    shop.mail.announce("BASNEW", owner, wording=Wording("Fresh basil oil & more <today>", MESSAGE))
    assert shop.mail.deliver().sent == 8
    [msg] = smtp.handler.to("ada@example.com")
    assert msg["Subject"] == "Fresh basil oil & more <today>"
    text, html = text_part(msg).replace("\r\n", "\n"), html_part(msg).replace("\r\n", "\n")
    assert text.startswith("Hello Ada,\n\nOur basil oil from this year's harvest is in.\n"
                           "Pressed on 3 October & bottled fresh.\n\n<script>alert('hi')</script> Come taste it!\n\n"
                           "Basil olive oil — 2026 harvest — $18.00\n")
    assert "<p>Our basil oil from this year&#39;s harvest is in.<br>\nPressed on 3 October &amp; bottled fresh.</p>" \
        in html
    assert "<p>&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; Come taste it!</p>" in html
    assert "<script>" not in html and "<title>Fresh basil oil &amp; more &lt;today&gt;</title>" in html
    assert "12 Harbour Street" in text  # the footer and unsubscribe line stay
    assert "unsubscribe" in text.lower()


def test_the_picture_is_inline_in_each_email_and_stored_once(basil_buyers, owner, smtp, tmp_path):
    shop, ids = basil_buyers
    picture = tmp_path / "basil.png"
    picture.write_bytes(png())
    words = Wording("New basil oil", "Have a look.", picture=drafts.read_picture(picture))
    shop.mail.announce("BASNEW", owner, wording=words)
    assert shop.mail.deliver().sent == 8
    [msg] = smtp.handler.to("ben@example.com")
    html = html_part(msg).replace("\r\n", "\n")
    assert '<img src="cid:product-picture" alt="Basil olive oil — 2026 harvest"' in html
    [image] = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<product-picture>" and image.get_content_disposition() == "inline"
    assert image.get_content() == picture.read_bytes()
    related = next(p for p in msg.walk() if p.get_content_type() == "multipart/related")
    assert [p.get_content_type() for p in related.iter_parts()] == ["text/html", "image/png"]
    db = shop.ctx.db
    assert db.conn.execute("SELECT COUNT(*) FROM mail_pictures").fetchone()[0] == 1
    stored = [r[0] for r in db.conn.execute("SELECT message FROM mail_outbox")]
    assert len(stored) == 8 and all("product picture goes here" in m and len(m) < 12_000 for m in stored)


def test_a_non_image_or_a_huge_file_is_refused_in_one_line(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    with pytest.raises(ValidationError) as bad:
        drafts.read_picture(text)
    assert str(bad.value) == "notes.txt is not a picture (PNG, JPEG, GIF or WebP); nothing was changed"
    huge = tmp_path / "huge.png"
    huge.write_bytes(png() + b"\0" * (3 * 1024 * 1024))
    with pytest.raises(ValidationError) as big:
        drafts.read_picture(huge)
    assert str(big.value) == ("huge.png is 3.0 MB; a picture in an email can be at most 512 KB "
                              "(save it smaller, e.g. 1200 px wide as JPEG)")
    with pytest.raises(ValidationError) as missing:
        drafts.read_picture(tmp_path / "gone.jpg")
    assert str(missing.value) == "cannot read the picture gone.jpg: No such file or directory"


def test_subject_checks_and_nothing_is_queued_when_refused(basil_buyers, owner, smtp):
    shop, _ = basil_buyers
    for words, message in [
        (Wording("   ", "hi"), "the subject is empty: write one (at most 120 characters)"),
        (Wording("x" * 121), "the subject is 121 characters long; keep it to 120 or fewer"),
        (Wording("Same", "hi", subject_b="Same"), "variant B says the same as variant A: change its subject or "
                                                  "its message"),
    ]:
        with pytest.raises(LoyaltyError) as refused:
            shop.mail.announce("BASNEW", owner, wording=words)
        assert str(refused.value) == message
    assert shop.mail.outbox() == [] and shop.mail.campaign_results() == []


def test_an_ab_split_sends_each_recipient_one_variant_recorded_per_recipient(basil_buyers, owner, smtp):
    shop, ids = basil_buyers
    shop.mail.announce("BASNEW", owner, wording=Wording("Basil is back", "Plain words.",
                                                        subject_b="Taste the new basil oil"))
    shop.mail.deliver()
    got = {str(m["To"]).split("<")[1].rstrip(">"): str(m["Subject"]) for m in smtp.handler.messages}
    rows = shop.ctx.db.conn.execute(
        "SELECT c.email, d.variant FROM mail_decisions d JOIN customers c ON c.id = d.customer_id").fetchall()
    recorded = dict(rows)
    assert len(recorded) == 8 and sorted(recorded.values()) == ["A"] * 4 + ["B"] * 4  # two even halves, not coins
    for address, variant in recorded.items():
        assert got[address] == ("Basil is back" if variant == "A" else "Taste the new basil oil")
    [result] = shop.mail.campaign_results()
    assert [(v.variant, v.subject, v.recipients) for v in result.variants] == [
        ("A", "Basil is back", sum(v == "A" for v in recorded.values())),
        ("B", "Taste the new basil oil", sum(v == "B" for v in recorded.values()))]


def test_drafts_are_kept_per_product_and_for_the_refill_reminder(basil_buyers, owner, db_path, clock, tmp_path):
    from loyalty_app.shop import open_shop

    shop, _ = basil_buyers
    pic = drafts.picture_from_bytes("basil.png", png())
    shop.mail.save_draft("announce", "BASNEW", Wording("Draft subject", "Line one\nLine two", "", "B text", pic))
    shop.mail.save_draft("refill", None, Wording("Refill time", "Your bottles are due."))
    shop.close()
    again = open_shop(db_path, clock=clock)
    try:
        kept = again.mail.draft("announce", "BASNEW")
        assert kept is not None and kept.wording == Wording("Draft subject", "Line one\nLine two", "", "B text", pic)
        refill = again.mail.draft("refill")
        assert refill is not None and refill.wording.subject == "Refill time"
        assert again.mail.draft("announce", "BAS500") is None
        assert dq.get_draft(again.ctx.db, "announce", None) is None
    finally:
        again.close()
