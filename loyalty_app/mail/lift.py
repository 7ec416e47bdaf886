"""The lift of a campaign with its 95% interval: Welch's t interval for the difference in mean revenue per
customer between recipients and the control group (unequal variances, Welch–Satterthwaite degrees of freedom).
Money stays in integer cents in and out; only the spread is computed in floating point."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from loyalty_app.i18n import N_, _
from loyalty_app.money import format_money

TOO_FEW = N_("too few to tell")
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Lift:
    """Revenue per recipient vs. per control customer and the difference with its 95% interval (cents).
    ``low_cents``/``high_cents`` are None when a group has fewer than two members."""

    recipients: int
    control: int
    revenue_per_recipient_cents: int | None
    revenue_per_control_cents: int | None
    lift_cents: int | None
    low_cents: int | None
    high_cents: int | None
    verdict: str  # "more revenue" | "less revenue" | "too few to tell"
    method: str = "Welch's t, 95%"


def _mean_cents(values: Sequence[int]) -> int | None:
    if not values:
        return None
    n, total = len(values), sum(values)
    return (2 * total + n) // (2 * n)  # rounded half up, in integers


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                    -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t value below which ``p`` of the distribution lies (bisection on the CDF; p > 0.5)."""
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _step in range(200):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


def _variance(values: Sequence[int]) -> float:
    n = len(values)
    mean = sum(values) / n
    return sum((v - mean) ** 2 for v in values) / (n - 1)


def welch(recipients: Sequence[int], control: Sequence[int]) -> Lift:
    """The lift of revenue per customer (cents each) of recipients over control, with Welch's 95% interval."""
    n1, n2 = len(recipients), len(control)
    m1, m2 = _mean_cents(recipients), _mean_cents(control)
    if m1 is None or m2 is None:
        return Lift(n1, n2, m1, m2, None, None, None, TOO_FEW)
    diff = sum(recipients) / n1 - sum(control) / n2
    lift = round(diff)
    if n1 < 2 or n2 < 2:
        return Lift(n1, n2, m1, m2, lift, None, None, TOO_FEW)
    a, b = _variance(recipients) / n1, _variance(control) / n2
    se = math.sqrt(a + b)
    if se == 0.0:
        half = 0.0
    else:
        df = (a + b) ** 2 / ((a * a) / (n1 - 1) + (b * b) / (n2 - 1))
        half = t_quantile(1.0 - (1.0 - CONFIDENCE) / 2.0, df) * se
    low, high = math.floor(diff - half), math.ceil(diff + half)
    verdict = TOO_FEW if low <= 0 <= high else N_("more revenue") if low > 0 else N_("less revenue")
    return Lift(n1, n2, m1, m2, lift, low, high, verdict)


def _signed(cents: int, currency: str) -> str:
    return ("+" if cents > 0 else "") + format_money(cents, currency)


def interval_text(lift: Lift, currency: str) -> str:
    """'+$3.10 (95%: -$0.50 to +$6.70)' or '—' before both groups have members."""
    if lift.lift_cents is None:
        return "—"
    if lift.low_cents is None or lift.high_cents is None:
        return _signed(lift.lift_cents, currency)
    return _("{lift} (95%: {low} to {high})").format(lift=_signed(lift.lift_cents, currency),
                                                      low=_signed(lift.low_cents, currency),
                                                      high=_signed(lift.high_cents, currency))


def describe(lift: Lift, currency: str) -> str:
    """One line: revenue per recipient vs. control, the lift with its interval and the verdict."""
    if lift.revenue_per_recipient_cents is None or lift.revenue_per_control_cents is None:
        return "revenue: too few to tell (no control group or no recipients yet)"
    return (f"revenue per recipient {format_money(lift.revenue_per_recipient_cents, currency)} vs. control "
            f"{format_money(lift.revenue_per_control_cents, currency)}: lift {interval_text(lift, currency)}, "
            f"{lift.verdict}")
