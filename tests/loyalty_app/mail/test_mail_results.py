"""Campaign results: a stable random control group, and recipients vs. control who bought within N days."""

from __future__ import annotations

from loyalty_app.sales import SaleItem
from tests.mail_support import add_new_basil, configure_mail, customer


def test_control_group_is_stable_and_the_lift_is_measured(catalogue, owner, smtp, clock, memory_keyring):
    shop = catalogue
    configure_mail(shop, owner, smtp.port, control_percent=25)
    ids = [customer(shop, 130 + n, f"B{n}", f"b{n}@example.com", buys=("BAS250",)) for n in range(40)]
    add_new_basil(shop, owner)
    plan = shop.mail.plan_announcement("BASNEW")
    control = {r.customer_id for r in plan.rows if r.status == "control"}
    assert 2 <= len(control) <= 20  # about a quarter, drawn from the customers' uuids
    queued = shop.mail.announce("BASNEW", owner)
    assert set(queued.control) == control and len(queued.queued) == 40 - len(control)
    shop.mail.deliver()
    assert {str(m["To"]).split("<")[1][:-1] for m in smtp.handler.messages}.isdisjoint(
        {f"b{ids.index(c)}@example.com" for c in control})
    assert shop.mail.announce("BASNEW", owner).queued == []  # control stays control
    # every recipient and nobody in control buys the new oil within the window
    clock.advance(days=3)
    for cid in ids:
        if cid not in control:
            shop.sales.record_sale(cid, [SaleItem("BASNEW")])
    [r] = shop.mail.campaign_results(window_days=30)
    assert (r.recipients, r.recipients_converted) == (40 - len(control), 40 - len(control))
    assert (r.control, r.control_converted) == (len(control), 0)
    assert r.recipient_rate == 100.0 and r.control_rate == 0.0 and r.lift_points == 100.0
    # a purchase after the window does not count for the email
    clock.advance(days=40)
    shop.sales.record_sale(next(iter(control)), [SaleItem("BASNEW")])
    [late] = shop.mail.campaign_results(window_days=30)
    assert late.control_converted == 0
    assert shop.mail.campaign_results(window_days=60)[0].control_converted == 1
