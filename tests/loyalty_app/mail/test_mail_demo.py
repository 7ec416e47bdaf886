"""On the demo shop: the new basil oil reaches the consenting basil buyers and nobody else; the refill run emails
each due customer once and a second run sends nothing new; the results show recipients vs. control."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from loyalty_app.clock import FixedClock
from loyalty_app.demo import build_demo
from loyalty_app.mail import settings as mail_settings
from loyalty_app.shop import open_shop

BASIL_BUYERS = """
    SELECT DISTINCT p.customer_id FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id
    JOIN products pr ON pr.id = l.product_id
    WHERE (',' || pr.tags || ',') LIKE '%,basil,%' AND pr.sku != 'BAS-SDT-250' AND l.returned_qty < l.qty"""


def test_demo_shop_announcement_and_refill_run(tmp_path, smtp, memory_keyring):
    path = tmp_path / "demo.sqlite"
    build_demo(path, seed=1, customers=300, years=1, today=date(2026, 11, 22))
    shop = open_shop(path, clock=FixedClock(datetime(2026, 11, 23, 3, 0, tzinfo=UTC)))
    try:
        owner = shop.staff.verify_owner("1234")
        mail_settings.save(shop.ctx, owner, host="127.0.0.1", port=smtp.port, security="plain",
                           from_address="hello@olive-vine.example", postal_address="1 Main Street; Springfield")
        basil = {r[0] for r in shop.ctx.db.conn.execute(BASIL_BUYERS)} & set(shop.mail.contactable())
        assert len(basil) > 10
        queued = shop.mail.announce("BAS-SDT-250", owner)
        shop.mail.deliver()
        emails = {c.email.lower(): cid for cid, c in shop.mail.contactable().items()}
        reached = {emails[str(m["To"]).split("<")[-1].rstrip(">").lower()] for m in smtp.handler.messages}
        assert reached | set(queued.control) == basil and not reached & set(queued.control)

        before = len(smtp.handler.messages)
        first = shop.mail.send_refill(owner)
        shop.mail.deliver()
        per_customer = Counter(str(m["To"]) for m in smtp.handler.messages[before:])
        assert len(first.queued) > 0 and set(per_customer.values()) == {1}
        assert set(first.capped) <= reached  # just emailed about the basil oil: the shared cap holds them back
        second = shop.mail.send_refill(owner)
        assert second.queued == [] and len(smtp.handler.messages) == before + len(first.queued)

        rows = {r.kind: r for r in shop.mail.campaign_results()}
        assert rows["announce"].recipients == len(reached) and rows["announce"].control == len(queued.control)
        assert rows["refill"].recipients == len(first.queued)
    finally:
        shop.close()
