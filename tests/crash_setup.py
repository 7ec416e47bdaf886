"""A small shop for the crash tests: four products, five customers with points to redeem; with a mail server,
also forty customers with consent and an announcement queued for them, for the sender to be killed mid-batch."""

from __future__ import annotations

from pathlib import Path

from loyalty_app.context import Staff
from loyalty_app.sales import SaleItem
from loyalty_app.shop import Shop, open_shop

MAIL_CUSTOMERS = 40


def make_shop(path: Path, mail_port: int | None = None) -> Path:
    shop = open_shop(path)
    try:
        shop.initialise(shop_name="Crash Test Olive Co", owner_pin="1234")
        owner = shop.staff.verify_owner("1234")
        for sku, price in (("BAS250", 1450), ("BAS500", 2500), ("WB250", 1200), ("LEM250", 1500)):
            shop.products.add(sku=sku, name=sku, price_cents=price, actor=owner,
                              family="Basil olive oil" if sku.startswith("BAS") else None)
        for i in range(5):
            c = shop.customers.sign_up(f"+1415555014{i}", name=f"Regular {i}")
            shop.points.adjust(c.id, 500, "opening balance", actor=owner)
        if mail_port is not None:
            _queue_mail(shop, owner, mail_port)
    finally:
        shop.close()
    return path


def _queue_mail(shop: Shop, owner: Staff, port: int) -> None:
    from loyalty_app.mail import settings as mail_settings

    mail_settings.save(shop.ctx, owner, host="127.0.0.1", port=port, security="plain",
                       from_address="hello@olive.example", postal_address="12 Harbour Street; Sausalito, CA",
                       control_percent=0)
    for n in range(MAIL_CUSTOMERS):
        c = shop.customers.sign_up(f"+1415555{200 + n:04d}", name=f"Reader {n}",
                                   email=f"reader{n}@example.com", email_consent=True)
        shop.sales.record_sale(c.id, [SaleItem("BAS250")])
    shop.products.add(sku="BASNEW", name="Basil olive oil, new harvest", price_cents=1800,
                      family="Basil olive oil", actor=owner)
    shop.mail.announce("BASNEW", owner)
