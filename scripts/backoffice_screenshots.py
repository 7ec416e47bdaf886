"""Render the back-office screens and report PDFs of a small sample shop to PNG files (for docs and review).

    QT_QPA_PLATFORM=offscreen python scripts/backoffice_screenshots.py OUT_DIR [SHOP_DB]
    QT_QPA_PLATFORM=offscreen python scripts/backoffice_screenshots.py OUT_DIR --till

With SHOP_DB (e.g. the demo shop) its data is shown instead (owner PIN 1234); the period is last month.
The sample shop is also shown beside the till: connected to a Square served on loopback by the tests' fake
(pytest-httpserver), the counter and the POS connection dialog; ``--till`` renders only those.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from loyalty_app.clock import FixedClock  # noqa: E402
from loyalty_app.points_rules import PointsProgram  # noqa: E402
from loyalty_app.reports.export import sheet_pdf  # noqa: E402
from loyalty_app.sales import SaleItem  # noqa: E402
from loyalty_app.shop import Shop, open_shop  # noqa: E402

NOW = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
PRODUCTS = [
    ("BAS", "Basil olive oil", "Infused oils", 45), ("LEM", "Lemon olive oil", "Infused oils", 45),
    ("GAR", "Garlic olive oil", "Infused oils", 50), ("KOR", "Koroneiki extra virgin", "Extra virgin", 40),
    ("ARB", "Arbequina extra virgin", "Extra virgin", 40), ("WBA", "White balsamic", "Balsamic", 60),
    ("FIG", "Fig dark balsamic", "Balsamic", 60), ("POM", "Pomegranate balsamic", "Balsamic", 70),
    ("TRU", "Black truffle oil", "Specialty", 90), ("SES", "Toasted sesame oil", "Specialty", 75),
]
SIZES = [("250", "250 ml", 100), ("500", "500 ml", 170)]
FIRST = ["Ada", "Bea", "Carl", "Dina", "Eli", "Fay", "Gus", "Hana", "Ivo", "June", "Kai", "Lena", "Milo", "Nora",
         "Otto", "Pia", "Quinn", "Rosa", "Sam", "Tess"]
LAST = ["Moreau", "Silva", "Okafor", "Novak", "Larsen", "Rossi", "Tanaka", "Weber", "Costa", "Byrne"]


def build(path: Path) -> Shop:
    clock = FixedClock(NOW - timedelta(days=400))
    shop = open_shop(path, clock=clock)
    shop.initialise(shop_name="Olive & Vine", owner_pin="1234", default_store="Main Street")
    owner = shop.staff.verify_owner("1234")
    shop.staff.add("sam", "cashier", "1111", actor=owner)
    shop.staff.add("rosa", "cashier", "2222", actor=owner)
    for code, name, cat, refill in PRODUCTS:
        for suffix, size, factor in SIZES:
            shop.products.add(sku=f"{code}{suffix}", name=f"{name} {size}", family=name, size=size, category=cat,
                              price_cents=(1200 + 150 * len(name) % 900) * factor // 100 // 50 * 50,
                              refill_days=refill, launched_on="2025-01-15", actor=owner)
    rnd = random.Random(3)
    customers = []
    for i in range(160):
        c = shop.customers.sign_up(f"+1415555{2000 + i:04d}", name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}")
        customers.append((c.id, rnd.choice([14, 21, 30, 45, 60, 90]), rnd.random()))
    skus = [f"{c}{s}" for c, *_ in PRODUCTS for s, *_ in SIZES]
    weights = [10 - i // 2 for i in range(len(skus))]
    start = NOW - timedelta(days=380)
    for cid, interval, loyalty in customers:
        t = start + timedelta(days=rnd.random() * 200)
        lapse = NOW - timedelta(days=rnd.random() * 200) if loyalty < 0.25 else NOW
        while t < min(NOW, lapse):
            items = [SaleItem(s, rnd.choice([1, 1, 2])) for s in sorted(set(rnd.choices(skus, weights, k=rnd.randint(1, 3))))]
            store = "Harbour" if rnd.random() < 0.3 else "Main Street"
            basket = sum(shop.products.find(i.code).price_cents * i.qty for i in items)
            balance = shop.points.balance(cid)
            redeem = shop.points.program().max_redeemable(balance, basket) if rnd.random() < 0.3 else 0
            redeem = redeem if redeem >= 100 else 0
            clock.set(t)
            shop.sales.record_sale(cid, items, occurred_at=t, store=store, redeem_points=redeem)
            t += timedelta(days=max(3, rnd.gauss(interval, interval / 4)), hours=rnd.random() * 5)
    clock.set(NOW - timedelta(days=30))
    shop.points.set_program(PointsProgram(expiry_mode="after_earning", expiry_months=12, welcome_bonus=50),
                            actor=owner)
    clock.set(NOW)
    return shop


def wait_for(signal: object, seconds: int = 120) -> None:
    """Run the event loop until ``signal`` fires. (Not a processEvents() busy loop: PySide6 6.x on Python 3.11
    drops a reference to None on every processEvents() call, and a few ten thousand calls crash the interpreter.)"""
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(seconds * 1000, loop.quit)
    loop.exec()


def till_screens(app: QApplication, shop: Shop, out: Path) -> None:
    """The counter beside a connected Square (a sale refused, points held for the till) and the POS dialog."""
    from pytest_httpserver import HTTPServer

    from tests.pos_servers import FakeSquare
    from ui.main_window import MainWindow

    server = HTTPServer()
    server.start()
    try:
        fake = FakeSquare(server)
        fake.skus.update({"V-BAS250": "BAS250", "V-WBA250": "WBA250", "V-KOR500": "KOR500"})
        for n, (var, name, qty, unit) in enumerate([("V-BAS250", "Basil olive oil (250 ml)", 1, 1450),
                                                    ("V-WBA250", "White balsamic (250 ml)", 2, 1200),
                                                    ("V-KOR500", "Koroneiki extra virgin (500 ml)", 1, 2400)]):
            fake.sale(f"SQ-{n + 1}", f"2026-11-20T{16 + n}:05:00.000Z", [(var, name, qty, unit)])
        # The token is read from the environment, so no keyring is written by a screenshot.
        os.environ["SCREENSHOT_SQUARE_TOKEN"] = fake.token
        owner = shop.staff.verify_owner("1234")
        shop.pos.connect("square", "Main Street till", token_env="SCREENSHOT_SQUARE_TOKEN", api_base=fake.base,
                         since="2026-11-19", actor=owner)
        w = MainWindow(shop)
        w.resize(1280, 820)
        w.show()
        wait_for(w.pos_puller.sig_status)
        regular = max(shop.customers.list(limit=200), key=lambda c: c.points_balance)
        w.counter.open_customer(regular.id)
        panel = w.counter.sale_panel
        for sku in ("BAS500", "FIG250"):
            panel.item_input.setText(sku)
            panel.item_input.returnPressed.emit()
        panel.finish()  # refused: the sale is rung at the till
        app.processEvents()
        w.grab().save(str(out / "counter-beside-till.png"))
        panel.redeem_spin.setValue(100)
        panel.finish()  # the points are held, the discount to key into the till is said
        app.processEvents()
        w.grab().save(str(out / "counter-till-redeem.png"))
        dialog = w.pos_connections()
        dialog.resize(980, 560)
        dialog.pull_now()
        wait_for(w.pos_puller.sig_status)
        app.processEvents()
        dialog.grab().save(str(out / "pos-connection.png"))
        dialog.close()
        w.close()
    finally:
        server.clear()
        server.stop()


def main(out: Path, existing: Path | None = None, *, till_only: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        shop = open_shop(existing) if existing and not till_only else build(Path(tmp) / "shop.sqlite")
        if till_only:
            till_screens(app, shop, out)
            shop.close()
            return
        last = shop.reports.today().replace(day=1) - timedelta(days=1)
        first = last.replace(day=1)
        from ui.main_window import MainWindow

        w = MainWindow(shop)
        w.resize(1280, 820)
        w.show()
        w.tabs.setCurrentWidget(w.backoffice)
        app.processEvents()
        w.grab().save(str(out / "backoffice-locked.png"))
        w.backoffice.unlock("1234")
        bo = w.backoffice
        assert bo.tabs is not None
        for kind, view in bo.reports.views.items():
            bo.tabs.setCurrentWidget(bo.reports)
            bo.reports.tabs.setCurrentWidget(view)
            if kind != "points":  # points keep their default: the last twelve months
                view.set_period(first, last)
            view.refresh()
            wait_for(view.sig_loaded)
            app.processEvents()
            w.grab().save(str(out / f"report-{kind}.png"))
            pdf = out / f"report-{kind}.pdf"
            assert view.sheet is not None
            pdf.write_bytes(sheet_pdf(view.sheet, "Letter"))
            subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(out / f"report-{kind}-pdf")], check=True)
        for name, screen in (("products", bo.products), ("program", bo.program), ("staff", bo.staff),
                             ("cards", bo.cards)):
            bo.tabs.setCurrentWidget(screen)
            if name == "program":
                screen.redeem_value.setText("4.00")
                screen.save()
                wait_for(screen.sig_reviewed)
            if name == "cards":
                query = (shop.customers.list(limit=1)[0].name or "a").split()[-1]
                screen.search.setText(query)
                screen.find(query)
            app.processEvents()
            w.grab().save(str(out / f"{name}.png"))
        w.close()
        if existing is None:  # never connect a POS to a real shop for a picture
            till_screens(app, shop, out)
        shop.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--till"]
    main(Path(args[0] if args else "screens"), Path(args[1]) if len(args) > 1 else None,
         till_only="--till" in sys.argv)
