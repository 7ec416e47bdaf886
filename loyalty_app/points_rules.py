"""The points program's arithmetic, as pure functions on integers: earning, redeeming, returns pro rata."""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd
from typing import Any

from loyalty_app.errors import ValidationError
from loyalty_app.i18n import _, format_percent, ngettext
from loyalty_app.limits import MAX_EXPIRY_MONTHS, check_points, check_whole
from loyalty_app.money import check_amount


@dataclass(frozen=True)
class PointsProgram:
    """One program: ``earn_points`` per ``earn_per_cents`` paid; ``redeem_points`` buy ``redeem_cents`` off."""

    earn_points: int = 1
    earn_per_cents: int = 100
    redeem_points: int = 100
    redeem_cents: int = 500
    min_redeem_points: int = 100
    max_redeem_percent: int = 50
    expiry_mode: str = "never"  # never | after_earning | inactivity
    expiry_months: int = 0
    welcome_bonus: int = 0

    def validate(self) -> None:
        if self.earn_points < 0 or self.earn_per_cents <= 0:
            raise ValidationError("the earn rate must be zero or more points per a positive amount")
        if self.redeem_points <= 0 or self.redeem_cents <= 0:
            raise ValidationError("the redemption value must be a positive number of points for a positive amount")
        if not 0 <= self.max_redeem_percent <= 100:
            raise ValidationError("the most of a basket points may pay is a percentage from 0 to 100")
        if self.min_redeem_points < 0 or self.welcome_bonus < 0:
            raise ValidationError("the minimum redemption and the welcome bonus cannot be negative")
        if self.expiry_mode not in ("never", "after_earning", "inactivity"):
            raise ValidationError("expiry is 'never', 'after_earning' or 'inactivity'")
        if self.expiry_mode != "never" and self.expiry_months <= 0:
            raise ValidationError("points that expire need a number of months")
        for value, what in ((self.earn_points, "the points earned"), (self.redeem_points, "the points redeemed"),
                            (self.min_redeem_points, "the minimum redemption"),
                            (self.welcome_bonus, "the welcome bonus")):
            check_points(value, what)
        for cents, what in ((self.earn_per_cents, "the amount that earns points"),
                            (self.redeem_cents, "the value of a redemption")):
            check_amount(cents, what)
        check_whole(self.expiry_months, "the months before points expire", 0, MAX_EXPIRY_MONTHS, "months")

    @property
    def redeem_step(self) -> int:
        """The smallest number of points that buys a whole number of cents."""
        return self.redeem_points // gcd(self.redeem_points, self.redeem_cents)

    def points_for(self, paid_cents: int) -> int:
        """Points earned on an amount paid (rounded down; nothing on a negative amount)."""
        return max(0, paid_cents) * self.earn_points // self.earn_per_cents

    def value_of(self, points: int) -> int:
        """What ``points`` are worth in cents (exact for multiples of redeem_step, rounded down otherwise)."""
        return points * self.redeem_cents // self.redeem_points

    def max_redeemable(self, balance: int, basket_cents: int) -> int:
        """The most points this basket may take: within balance, the basket share, and whole steps."""
        cap_cents = basket_cents * self.max_redeem_percent // 100
        by_basket = cap_cents * self.redeem_points // self.redeem_cents
        most = min(max(balance, 0), by_basket)
        return most - most % self.redeem_step

    def check_redemption(self, points: int, balance: int, basket_cents: int) -> int:
        """Validate a redemption and return its value in cents, or raise ValidationError saying why."""
        if points < 0:
            raise ValidationError("points to redeem cannot be negative")
        if points == 0:
            return 0
        if balance < 0:
            raise ValidationError(f"cannot redeem {points} points: the balance is {balance} (below zero after a "
                                  "return of points already spent; later purchases repay it)")
        if points > balance:
            raise ValidationError(f"cannot redeem {points} points: the balance is {balance}")
        if points < self.min_redeem_points:
            raise ValidationError(f"cannot redeem {points} points: the minimum is {self.min_redeem_points}")
        if points % self.redeem_step:
            raise ValidationError(f"points are redeemed in steps of {self.redeem_step}")
        most = self.max_redeemable(balance, basket_cents)
        if points > most:
            raise ValidationError(
                f"cannot redeem {points} points on this basket: at most {most} "
                f"({self.max_redeem_percent}% of the basket)"
            )
        return self.value_of(points)

    def summary(self, format_money: Any) -> str:
        """'1 point per $1.00; 100 points = $5.00 off (from 100 points, up to 50% of a basket)'."""
        earn = ngettext("{points} point per {amount}", "{points} points per {amount}", self.earn_points).format(
            points=self.earn_points, amount=format_money(self.earn_per_cents))
        redeem = _("{points} points = {amount} off").format(points=self.redeem_points,
                                                           amount=format_money(self.redeem_cents))
        limits = _("from {points} points, up to {share} of a basket").format(
            points=self.min_redeem_points, share=format_percent(self.max_redeem_percent))
        expiry = {
            "never": _("points never expire"),
            "after_earning": _("points expire {months} months after they are earned"),
            "inactivity": _("points expire after {months} months without a visit"),
        }[self.expiry_mode].format(months=self.expiry_months)
        bonus = ("; " + _("{points} points welcome bonus").format(points=self.welcome_bonus)
                 if self.welcome_bonus else "")
        return f"{earn}; {redeem} ({limits}); {expiry}{bonus}"


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split an integer ``total`` across ``weights`` in proportion, exactly (largest remainder).

    The parts sum to ``total``; zero weights get zero unless every weight is zero (then all goes first).
    """
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero total over no weights")
        return []
    if len(weights) == 1:  # the common one-line sale (the general case gives the same)
        return [total]
    if total == 0:  # nothing to split, as with most redemptions (the general case gives the same)
        return [0] * len(weights)
    wsum = sum(max(w, 0) for w in weights)
    if wsum == 0:
        return [total] + [0] * (len(weights) - 1)
    parts = [total * max(w, 0) // wsum for w in weights]
    remainders = [(total * max(w, 0) % wsum, -i) for i, w in enumerate(weights)]
    short = total - sum(parts)
    for _remainder, neg_i in sorted(remainders, reverse=True)[:short]:
        parts[-neg_i] += 1
    return parts


def pro_rata(amount: int, qty: int, returned_before: int, returning: int) -> int:
    """The share of ``amount`` (spread over ``qty`` units) that belongs to ``returning`` more units.

    Cumulative, so the partial returns of a line always add up to exactly ``amount``.
    """
    if returning <= 0 or returned_before + returning > qty:
        raise ValueError("returned quantity out of range")
    return amount * (returned_before + returning) // qty - amount * returned_before // qty
