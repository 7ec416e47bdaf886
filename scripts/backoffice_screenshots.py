"""Render the back-office screens and report PDFs of a small sample shop to PNG files (for docs and review).

    QT_QPA_PLATFORM=offscreen python scripts/backoffice_screenshots.py OUT_DIR [SHOP_DB]

With SHOP_DB (e.g. the demo shop) its data is shown instead (owner PIN 1234); the period is last month.
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


def main(out: Path, existing: Path | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        shop = open_shop(existing) if existing else build(Path(tmp) / "shop.sqlite")
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
        shop.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screens"), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
