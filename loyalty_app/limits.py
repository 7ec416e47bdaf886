"""The largest values the shop accepts, in one place: far above any real shop's, far below SQLite's 64-bit
integers (about 9.2 × 10^18), so an absurd number, typed or imported, is refused in one line and never overflows."""

from __future__ import annotations

from loyalty_app.errors import ValidationError

MAX_QUANTITY = 100_000  # units on one line: of a sale, a return or an imported row
MAX_CENTS = 10**12  # any amount in minor units ($10 billion): a price, discount, tax, line or sale total
MAX_POINTS = 10**12  # any number of points: earned on one sale, redeemed, adjusted, a program's rate or bonus
MAX_REFILL_DAYS = 3650  # a refill interval: ten years (the product dialog's limit too)
MAX_EXPIRY_MONTHS = 120  # points that expire do so within ten years (the program screen's limit too)
MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer: a number typed as an id beyond it names no row
FUTURE_DAYS = 1  # a sale may be dated at most this far ahead of the shop's clock (a till a little fast)
PAST_YEARS = 10  # ... and at most this far before the shop's first recorded day (history brought in)


def check_quantity(qty: object, what: str) -> int:
    """``qty`` as a whole number from 1 to MAX_QUANTITY, or ValidationError naming ``what``."""
    if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= MAX_QUANTITY:
        raise ValidationError(f"{what} must be a whole number from 1 to {MAX_QUANTITY:,}, not {qty}")
    return qty


def check_points(points: object, what: str, *, negative: bool = False) -> int:
    """``points`` as a whole number up to MAX_POINTS (and as low as -MAX_POINTS when ``negative``)."""
    if isinstance(points, bool) or not isinstance(points, int):
        raise ValidationError(f"{what} must be a whole number of points, not {points}")
    if points < 0 and not negative:
        raise ValidationError(f"{what} cannot be negative")
    if abs(points) > MAX_POINTS:
        either = " either way" if negative else ""
        raise ValidationError(f"{what} must be at most {MAX_POINTS:,} points{either}, not {points}")
    return points


def check_whole(value: object, what: str, low: int, high: int, unit: str) -> int:
    """A setting counted in whole ``unit``s (days, months) from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"{what} must be from {low:,} to {high:,} {unit}, not {value}")
    return value
