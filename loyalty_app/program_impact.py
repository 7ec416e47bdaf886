"""What a change to the points program does to points customers already hold, said plainly before saving."""

from __future__ import annotations

from dataclasses import dataclass

from db import report_queries as rq
from loyalty_app.clock import add_months, to_iso
from loyalty_app.context import ShopContext
from loyalty_app.money import format_money
from loyalty_app.points_rules import PointsProgram


@dataclass(frozen=True)
class Impact:
    """One effect on points already earned: what happens, to how many points and customers."""

    message: str
    points: int
    customers: int


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def assess_change(ctx: ShopContext, old: PointsProgram, new: PointsProgram) -> list[Impact]:
    """The effects of replacing the program ``old`` with ``new`` on points already earned (empty: none)."""
    db = ctx.db
    money = lambda cents: format_money(cents, ctx.currency)  # noqa: E731
    out: list[Impact] = []
    held = rq.get_points_outstanding(db)
    pts, cust = int(held["points"]), int(held["customers"])
    # Value per point compared exactly: a/b < c/d  <=>  a*d < c*b.
    if pts and new.redeem_cents * old.redeem_points < old.redeem_cents * new.redeem_points:
        out.append(Impact(
            f"Points already earned will be worth less: {_n(pts, 'point')} held by {_n(cust, 'customer')} go "
            f"from {money(old.value_of(pts))} to {money(new.value_of(pts))}.", pts, cust))
    if new.min_redeem_points > old.min_redeem_points:
        below = rq.get_balances_below(db, new.min_redeem_points)
        now_ok = rq.get_balances_below(db, old.min_redeem_points)
        n_pts, n_cust = int(below["points"]) - int(now_ok["points"]), int(below["customers"]) - int(now_ok["customers"])
        if n_cust:
            out.append(Impact(
                f"{_n(n_cust, 'customer')} who can redeem today will not reach the new minimum of "
                f"{new.min_redeem_points} points ({_n(n_pts, 'point')} in all).", n_pts, n_cust))
    if new.expiry_mode != "never" and (old.expiry_mode != new.expiry_mode
                                       or new.expiry_months < old.expiry_months):
        cutoff = to_iso(add_months(ctx.now(), -new.expiry_months))
        if new.expiry_mode == "after_earning":
            [(held_pts, held_cust)] = rq.list_held_earned_before(db, [cutoff])
            r = {"points": held_pts, "customers": held_cust}
            why = f"were earned more than {new.expiry_months} months ago"
        else:
            r = dict(rq.get_balances_inactive_since(db, cutoff))
            why = f"belong to customers who have not visited for {new.expiry_months} months"
        e_pts, e_cust = int(r["points"]), int(r["customers"])
        if e_pts:
            out.append(Impact(
                f"{_n(e_pts, 'point')} of {_n(e_cust, 'customer')} {why} and will expire at the "
                f"next expiry run (worth {money(new.value_of(e_pts))}).", e_pts, e_cust))
        elif old.expiry_mode == "never" and pts:
            out.append(Impact(f"Points will start to expire: the {_n(pts, 'point')} held by "
                              f"{_n(cust, 'customer')} now can expire later.", pts, cust))
    if new.max_redeem_percent < old.max_redeem_percent and pts:
        out.append(Impact(f"Points may pay at most {new.max_redeem_percent}% of a basket instead of "
                          f"{old.max_redeem_percent}%.", pts, cust))
    return out
