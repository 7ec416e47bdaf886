"""A small shop for the crash tests: four products, five customers with points to redeem."""

from __future__ import annotations

from pathlib import Path

from loyalty_app.shop import open_shop


def make_shop(path: Path) -> Path:
    shop = open_shop(path)
    try:
        shop.initialise(shop_name="Crash Test Olive Co", owner_pin="1234")
        owner = shop.staff.verify_owner("1234")
        for sku, price in (("BAS250", 1450), ("BAS500", 2500), ("WB250", 1200), ("LEM250", 1500)):
            shop.products.add(sku=sku, name=sku, price_cents=price, actor=owner)
        for i in range(5):
            c = shop.customers.sign_up(f"+1415555014{i}", name=f"Regular {i}")
            shop.points.adjust(c.id, 500, "opening balance", actor=owner)
    finally:
        shop.close()
    return path
