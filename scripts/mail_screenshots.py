"""Render the Email tab of a small sample shop to PNG files: composing an announcement in the owner's words with
its live preview, and the campaign results with the revenue lift and its 95% interval (for docs and review).

    QT_QPA_PLATFORM=offscreen python scripts/mail_screenshots.py OUT_DIR

The sample shop sends its emails to an aiosmtpd server on loopback (the tests' mail server), never outside.
"""

from __future__ import annotations

import io
import os
import random
import socket
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from aiosmtpd.controller import Controller  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from loyalty_app.clock import FixedClock  # noqa: E402
from loyalty_app.mail import settings as mail_settings  # noqa: E402
from loyalty_app.mail.drafts import Wording  # noqa: E402
from loyalty_app.sales import SaleItem  # noqa: E402
from loyalty_app.shop import Shop, open_shop  # noqa: E402

NOW = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
NAMES = ["Ada Moreau", "Bea Silva", "Carl Okafor", "Dina Novak", "Eli Larsen", "Fay Rossi", "Gus Tanaka", "Hana Weber",
         "Ivo Costa", "June Byrne"]
MESSAGE = ("Our basil olive oil from this year's harvest has just arrived: pressed on 3 October, bright and peppery.\n"
           "It is lovely on tomatoes & warm bread.\n\nCome by for a taste this weekend — the first bottle is on the "
           "tasting bar.")


class Sink:
    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        return "250 OK"


def wait_for(signal: object, seconds: int = 60) -> None:
    """Run the event loop until ``signal`` fires (no processEvents() busy loop: see backoffice_screenshots)."""
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(seconds * 1000, loop.quit)
    loop.exec()


def bottle_picture() -> bytes:
    img = Image.new("RGB", (360, 220), (246, 243, 232))
    d = ImageDraw.Draw(img)
    d.rectangle((150, 70, 210, 200), fill=(85, 107, 47))
    d.rectangle((168, 30, 192, 70), fill=(85, 107, 47))
    d.rectangle((160, 110, 200, 160), fill=(236, 228, 200))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def build(path: Path, port: int) -> Shop:
    clock = FixedClock(NOW - timedelta(days=60))
    shop = open_shop(path, clock=clock)
    shop.initialise(shop_name="Olive & Vine", owner_pin="1234", default_store="Main Street")
    owner = shop.staff.verify_owner("1234")
    for sku, name, size, price in [("BAS250", "Basil olive oil 250 ml", "250 ml", 1450),
                                   ("BAS500", "Basil olive oil 500 ml", "500 ml", 2500)]:
        shop.products.add(sku=sku, name=name, price_cents=price, family="Basil olive oil", size=size,
                          category="Infused oils", tags="basil,infused", refill_days=45, actor=owner)
    rnd = random.Random(7)
    ids = []
    for i in range(120):
        name = f"{NAMES[i % 10].split()[0]} {NAMES[(i * 3) % 10].split()[1]}"
        c = shop.customers.sign_up(f"+1415555{3000 + i:04d}", name=name, email=f"customer{i}@example.com",
                                   email_consent=True)
        shop.sales.record_sale(c.id, [SaleItem(rnd.choice(["BAS250", "BAS500"]))],
                               occurred_at=NOW - timedelta(days=70 + rnd.random() * 200))
        ids.append(c.id)
    mail_settings.save(shop.ctx, owner, host="127.0.0.1", port=port, security="plain",
                       from_address="hello@olive-vine.example", postal_address="12 Harbour Street; Sausalito, CA 94965",
                       control_percent=30)
    shop.products.add(sku="BASN26", name="Basil olive oil — 2026 harvest", price_cents=1800, family="Basil olive oil",
                      size="250 ml", category="Infused oils", tags="basil,infused", actor=owner)
    shop.mail.announce("BASN26", owner, wording=Wording("Just in: this year's basil olive oil", MESSAGE,
                                                        subject_b="Taste the 2026 basil harvest"))
    shop.mail.deliver()
    clock.advance(days=5)
    control = {r[0] for r in shop.ctx.db.conn.execute("SELECT customer_id FROM mail_decisions WHERE grp = 'control'")}
    for cid in ids:
        if rnd.random() < (0.18 if cid in control else 0.34):
            shop.sales.record_sale(cid, [SaleItem("BASN26", rnd.choice([1, 1, 2]))])
    shop.products.add(sku="LEMN26", name="Meyer lemon olive oil — 2026 harvest", price_cents=1900,
                      family="Basil olive oil", size="500 ml", category="Infused oils", tags="basil", actor=owner)
    clock.set(NOW)
    return shop


def main(out: Path) -> None:
    from ui.mail.mail_tab import MailTab
    from ui.task_runner import TaskRunner

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        shop = build(Path(tmp) / "shop.sqlite", port)
        tasks = TaskRunner()
        tab = MailTab(shop, tasks)
        tab.resize(1440, 900)
        tab.show()
        compose = tab.compose
        compose.choose_product("LEMN26")
        compose.editor.subject_input.setText("New: Meyer lemon olive oil, fresh from the mill")
        compose.editor.message_input.setPlainText(MESSAGE.replace("basil", "Meyer lemon"))
        assert compose.editor.choose_picture_bytes("lemon-oil.png", bottle_picture())
        compose.propose()
        wait_for(compose.sig_proposed)
        tab.grab().save(str(out / "email-compose.png"))
        tab.tabs.setCurrentWidget(tab.campaigns)
        tab.campaigns.refresh()
        tab.grab().save(str(out / "email-results.png"))
        tab.close()
        tasks.shutdown()
        shop.close()
    controller.stop()
    del app
    print(f"wrote {out / 'email-compose.png'} and {out / 'email-results.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
