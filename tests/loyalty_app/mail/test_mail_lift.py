"""The closed loop with confidence: revenue per recipient vs. control, the lift with Welch's 95% interval, "too few
to tell" when the interval spans zero, each A/B variant's own result, and the interval in `loyalty campaigns`."""

from __future__ import annotations

import pytest

from loyalty_app.mail.drafts import Wording
from loyalty_app.mail.lift import TOO_FEW, t_cdf, t_quantile, welch
from loyalty_app.sales import SaleItem
from tests.conftest import OWNER_PIN
from tests.mail_support import add_new_basil, configure_mail, customer


def test_t_quantiles_match_the_printed_tables():
    assert t_quantile(0.975, 1) == pytest.approx(12.7062, abs=1e-4)
    assert t_quantile(0.975, 10) == pytest.approx(2.2281, abs=1e-4)
    assert t_quantile(0.975, 30) == pytest.approx(2.0423, abs=1e-4)
    assert t_quantile(0.975, 1e7) == pytest.approx(1.9600, abs=1e-4)


def test_welch_on_the_textbook_example():
    # Welch's t-test, example 1 on Wikipedia: t = -2.46, df = 24.9 (24.99 unrounded), p = 0.021.
    a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
    b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]
    lift = welch([round(x * 100) for x in a], [round(x * 100) for x in b])
    assert (lift.revenue_per_recipient_cents, lift.revenue_per_control_cents, lift.lift_cents) == (2082, 2299, -217)
    assert lift.high_cents is not None and lift.high_cents < 0 and lift.verdict == "less revenue"
    assert 2 * t_cdf(-2.4554, 24.99) == pytest.approx(0.0214, abs=2e-4)


def test_welch_interval_on_a_set_with_a_known_answer():
    # 40 recipients spending $0 or $20 in turn, 40 control customers $0 or $10: means $10 and $5, standard
    # errors 1012.7/sqrt(40) and 506.4/sqrt(40), so se = 179.03, Welch df = 57.4, t(0.975) = 2.0025:
    # $5.00 ± $3.585, i.e. $1.41 to $8.59 (bounds rounded outwards to the cent).
    lift = welch([0, 2000] * 20, [0, 1000] * 20)
    assert (lift.revenue_per_recipient_cents, lift.revenue_per_control_cents) == (1000, 500)
    assert (lift.lift_cents, lift.low_cents, lift.high_cents, lift.verdict) == (500, 141, 859, "more revenue")


def test_noise_in_a_small_control_group_is_too_few_to_tell():
    # 34 control customers (groups of 31-36 showed noise as lift): 4 of them happened to spend, a few more
    # recipients did: a lift in the averages, but an interval that spans zero.
    recipients = [1800] * 40 + [0] * 260
    control = [1800] * 4 + [0] * 30
    lift = welch(recipients, control)
    assert lift.lift_cents == 28 and lift.low_cents is not None and lift.low_cents < 0 < (lift.high_cents or 0)
    assert lift.verdict == TOO_FEW
    assert welch([1800], [0, 0]).verdict == TOO_FEW and welch([1800], []).lift_cents is None


@pytest.fixture
def campaign(catalogue, owner, smtp, clock, memory_keyring):
    shop = catalogue
    configure_mail(shop, owner, smtp.port, control_percent=30)
    ids = [customer(shop, 300 + n, f"C{n}", f"c{n}@example.com", buys=("BAS250",)) for n in range(100)]
    add_new_basil(shop, owner)
    shop.mail.announce("BASNEW", owner, wording=Wording("Basil is back", "Come and taste it.",
                                                        subject_b="The new basil oil is in"))
    shop.mail.deliver()
    control = {cid for (cid,) in shop.ctx.db.conn.execute(
        "SELECT customer_id FROM mail_decisions WHERE grp = 'control'")}
    variant = dict(shop.ctx.db.conn.execute("SELECT customer_id, variant FROM mail_decisions WHERE grp = 'mail'"))
    clock.advance(days=2)
    return shop, ids, control, variant


def test_campaign_revenue_per_recipient_and_its_interval(campaign, clock):
    shop, ids, control, variant = campaign
    spent: dict[int, int] = {}
    for n, cid in enumerate(ids):  # every recipient buys one or two bottles; control customers rarely one
        qty = (1 + n % 2) if cid not in control else (1 if n % 7 == 0 else 0)
        if qty:
            shop.sales.record_sale(cid, [SaleItem("BASNEW", qty), SaleItem("BAS500")])  # only the product counts
            spent[cid] = 1800 * qty
    clock.advance(days=40)
    shop.sales.record_sale(ids[0], [SaleItem("BASNEW", 5)])  # after the 30 days: not the email's doing
    [r] = shop.mail.campaign_results(window_days=30)
    mailed = [spent.get(cid, 0) for cid in ids if cid not in control]
    held = [spent.get(cid, 0) for cid in ids if cid in control]
    # A 30% hold-out of 100 drawn at random: outside 10-60 about once in 2.6 million runs (of 60 customers, fewer
    # than 10 were held out about once in 170 runs).
    assert len(held) == r.control == r.revenue.control and 10 <= len(held) <= 60
    assert r.revenue == welch(mailed, held)
    assert r.revenue.revenue_per_recipient_cents == (2 * sum(mailed) + len(mailed)) // (2 * len(mailed))  # half up
    assert r.revenue.verdict == "more revenue" and (r.revenue.low_cents or 0) > 0
    a = [spent.get(cid, 0) for cid, v in variant.items() if v == "A"]
    b = [spent.get(cid, 0) for cid, v in variant.items() if v == "B"]
    assert [(v.variant, v.subject, v.revenue) for v in r.variants] == [
        ("A", "Basil is back", welch(a, held)), ("B", "The new basil oil is in", welch(b, held))]


def test_campaigns_json_carries_the_interval_and_the_text_says_too_few(campaign, cli, monkeypatch):
    shop, ids, control, _ = campaign
    for cid in ids[:3]:  # three customers buy, whichever group they are in: noise
        shop.sales.record_sale(cid, [SaleItem("BASNEW")])
    monkeypatch.setenv("LOYALTY_STAFF", "owner")
    monkeypatch.setenv("LOYALTY_PIN", OWNER_PIN)
    out = cli("campaigns", "--json")
    assert out.code == 0, out.err
    [c] = out.json()
    [r] = shop.mail.campaign_results()
    assert c["revenue"] == {"recipients": r.recipients, "control": r.control,
                            "revenue_per_recipient_cents": r.revenue.revenue_per_recipient_cents,
                            "revenue_per_control_cents": r.revenue.revenue_per_control_cents,
                            "lift_cents": r.revenue.lift_cents, "low_cents": r.revenue.low_cents,
                            "high_cents": r.revenue.high_cents, "verdict": "too few to tell",
                            "method": "Welch's t, 95%"}
    assert [v["variant"] for v in c["variants"]] == ["A", "B"] and "low_cents" in c["variants"][0]["revenue"]
    assert c["lift_points"] == r.lift_points and c["recipient_rate_pct"] == r.recipient_rate
    text = cli("campaigns").out
    assert "revenue per recipient $" in text and "too few to tell" in text and "variant B (The new basil oil is in)" \
        in text
