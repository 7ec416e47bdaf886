"""Refill rhythm: when a customer will need a product (or family) again, learnt robustly from their own history,
shrunk towards the product's refill interval and other buyers' rhythm, and scaled by the size they bought."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter

from loyalty_app.suggestions.catalogue import Catalogue, Line

MERGE_GAP_DAYS = 2  # purchases this close are one stock-up (a forgotten item, a second trip), not a rhythm
SPREAD_DEFAULT = 0.4  # how much customers' rhythms differ (log scale) when other buyers cannot tell
MIN_OTHER_BUYERS = 3  # fewer repeat buyers than this say nothing about "other buyers"
SD_FLOOR = 0.08
ELASTICITY_PRIOR = 4.0  # in squared log-amount units: little evidence leaves the size scaling at "proportional"  # even a clockwork customer varies a little
OUTLIER_FACTOR = 3.0  # an interval beyond 3x (or under 1/3 of) the median is capped there
SIGMA_PRIOR = 0.5  # spread of log intervals when a customer's own history cannot tell
CHURN = 0.25  # chance a rhythm has stopped for good (moved away, buys elsewhere)

_CAP = math.log(OUTLIER_FACTOR)
Event = tuple[int, float, int]  # (day, amount bought, product_id of the last line that day)


@dataclass(frozen=True)
class Prior:
    days_per_amount: float
    basis: str  # "product interval" | "other buyers"
    spread: float = SPREAD_DEFAULT


@dataclass(frozen=True)
class Rhythm:
    """One customer's rhythm for one unit; ``days_per_amount`` is how long one ml (g, item) lasts them."""

    unit: str
    product_id: int  # what they bought last time in this unit
    last_day: int
    last_amount: float
    typical_amount: float
    days_per_amount: float
    intervals: int
    sigma: float
    basis: str  # "own rhythm" | "product interval" | "other buyers"

    @property
    def expected_gap(self) -> float:
        return max(1.0, self.days_per_amount * self.last_amount)

    @property
    def due_day(self) -> int:
        return self.last_day + int(round(self.expected_gap))

    @property
    def interval_days(self) -> int:
        return max(1, int(round(self.days_per_amount * self.typical_amount)))

    def expected_next(self, today: int) -> int:
        """The predicted next purchase day: the due day, or once it has passed unbought, the median of the
        remaining time given that it has not happened yet."""
        if today <= self.due_day:
            return self.due_day
        elapsed = today - self.last_day
        f0 = _lognormal_cdf(elapsed, self.expected_gap, self.sigma)
        target = min(f0 + (1 - f0) / 2, 0.999)
        z = statistics.NormalDist().inv_cdf(target)
        return self.last_day + int(round(math.exp(math.log(self.expected_gap) + self.sigma * z)))

    def median_within(self, today: int, horizon: int) -> int:
        """The predicted purchase day given that they buy within ``horizon`` days of ``today`` (the median of
        the rhythm's timing distribution cut to that window): what a 'when will they come back' check asks."""
        elapsed = max(0, today - self.last_day)
        f0 = _lognormal_cdf(elapsed, self.expected_gap, self.sigma)
        f1 = _lognormal_cdf(elapsed + horizon, self.expected_gap, self.sigma)
        if f1 - f0 < 1e-9:
            return today + horizon if self.due_day > today else today
        target = min(max(f0 + (f1 - f0) / 2, 1e-9), 1 - 1e-9)
        z = statistics.NormalDist().inv_cdf(target)
        return self.last_day + int(round(math.exp(math.log(self.expected_gap) + self.sigma * z)))

    def p_buy(self, today: int, horizon: int, churn: float = CHURN) -> float:
        """Chance of buying again within ``horizon`` days from ``today``, given no purchase since the last one."""
        elapsed = max(0, today - self.last_day)
        f0 = _lognormal_cdf(elapsed, self.expected_gap, self.sigma)
        f1 = _lognormal_cdf(elapsed + horizon, self.expected_gap, self.sigma)
        denom = (1 - churn) * (1 - f0) + churn
        return (1 - churn) * (f1 - f0) / denom if denom > 0 else 0.0


def _lognormal_cdf(t: float, median: float, sigma: float) -> float:
    if t <= 0:
        return 0.0
    return 0.5 * (1 + math.erf((math.log(t) - math.log(median)) / (sigma * math.sqrt(2))))


def unit_events(lines: Iterable[Line], catalogue: Catalogue, beta: float = 1.0) -> dict[str, list[Event]]:
    """One customer's purchases per unit, oldest first, same-day and next-day top-ups merged into one event.
    Amounts are raised to ``beta``, how strongly this shop's gaps follow what was bought (see amount_elasticity)."""
    return merge_events(_bought(lines, catalogue), beta)


def _bought(lines: Iterable[Line], catalogue: Catalogue) -> dict[str, list[Event]]:
    """Each unit's purchases in the order of ``lines``, amounts as bought (merge_events' input)."""
    raw: dict[str, list[Event]] = defaultdict(list)
    unit_of, per_item = catalogue.unit, catalogue.per_item  # catalogue.amount, inlined: this runs for every line
    for _pid, _cid, day, product_id, qty in lines:
        unit = unit_of.get(product_id)
        if unit is not None and qty > 0:
            raw[unit].append((day, qty * per_item[product_id], product_id))
    return raw


def merge_events(raw: Mapping[str, list[Event]], beta: float = 1.0, in_order: bool = False
                 ) -> dict[str, list[Event]]:
    """unit_events from each unit's events in the order bought (day, amount as bought, product id); with
    ``in_order`` the caller knows they are already in day order (sorting would leave them as they are)."""
    out: dict[str, list[Event]] = {}
    for unit, events in raw.items():
        if len(events) == 1:  # most units of a history are bought once: nothing to order or merge
            out[unit] = events if beta == 1.0 else [(d, a ** beta, p) for d, a, p in events]
            continue
        if not in_order:
            events.sort(key=itemgetter(0))
        merged: list[Event] = []
        d0, a0, p0 = events[0]  # the event being merged: its first day, the amount so far, the last product
        for i in range(1, len(events)):
            day, amount, product_id = events[i]
            if day - d0 <= MERGE_GAP_DAYS:
                a0, p0 = a0 + amount, product_id
            else:
                merged.append((d0, a0, p0))
                d0, a0, p0 = day, amount, product_id
        merged.append((d0, a0, p0))
        out[unit] = merged if beta == 1.0 else [(d, a ** beta, p) for d, a, p in merged]
    return out


def amount_elasticity(per_customer_events: Iterable[dict[str, list[Event]]]) -> float:
    """How much longer a bigger purchase lasts in this shop: the slope of log gap on log amount within each
    customer's own rhythm (1: twice the amount, twice the time; 0: people come back on their rhythm whatever they
    bought), shrunk towards 1 when amounts rarely vary, clipped to 0..1."""
    sxy = sxx = 0.0
    for units in per_customer_events:
        for events in units.values():
            if len(events) < 3:
                continue
            xs = [math.log(e[1]) for e in events[:-1] if e[1] > 0]
            ys = [math.log(b[0] - a[0]) for a, b in zip(events, events[1:], strict=False)]
            if len(xs) != len(ys):
                continue
            mx, my = sum(xs) / len(xs), _median(ys)
            lo, hi = my - _CAP, my + _CAP
            ys = [lo if y < lo else hi if y > hi else y for y in ys]
            my = sum(ys) / len(ys)
            sxy += sum([(x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)])
            sxx += sum([(x - mx) ** 2 for x in xs])
    slope = sxy / sxx if sxx > 0 else 1.0
    return min(1.0, max(0.0, (sxx * slope + ELASTICITY_PRIOR) / (sxx + ELASTICITY_PRIOR)))


def _median(xs: list[float]) -> float:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def _sd(xs: list[float]) -> float:
    """Population standard deviation (statistics.pstdev is exact but far too slow for 50,000 customers)."""
    m = sum(xs) / len(xs)
    return math.sqrt(sum([(x - m) ** 2 for x in xs]) / len(xs))


def robust_log_rate(rates: list[float]) -> tuple[float, float]:
    """(mean log rate after capping outliers around the median, standard deviation of the capped logs)."""
    logs = [math.log(r) for r in rates if r > 0]
    if not logs:
        return 0.0, SIGMA_PRIOR
    med = _median(logs)
    lo, hi = med - _CAP, med + _CAP
    capped = [lo if x < lo else hi if x > hi else x for x in logs]  # min(max(x, lo), hi), without the calls
    mean = sum(capped) / len(capped)
    sd = _sd(capped) if len(capped) > 1 else SIGMA_PRIOR
    return mean, sd


def unit_prior(unit: str, catalogue: Catalogue, rhythms: Mapping[str, tuple[int, float, float]],
               beta: float = 1.0) -> Prior | None:
    """The prior for a unit: other buyers' median rhythm, the catalogue's refill interval, or both blended."""
    by_refill = [p.refill_days / catalogue.amount(pid, 1) ** beta for pid in catalogue.members.get(unit, [])
                 if (p := catalogue.products[pid]).refill_days]
    other = rhythms.get(unit)
    if other is not None and other[0] < MIN_OTHER_BUYERS:
        other = None
    if not by_refill and not other:
        return None
    if not other or other[1] <= 0:
        return Prior(statistics.median(by_refill), "product interval")
    buyers, dpa, spread = other
    spread = spread if buyers >= 5 else SPREAD_DEFAULT
    if not by_refill:
        return Prior(dpa, "other buyers", spread)
    w = buyers / (buyers + 10.0)
    blended = math.exp(w * math.log(dpa) + (1 - w) * math.log(statistics.median(by_refill)))
    return Prior(blended, "other buyers" if w >= 0.5 else "product interval", spread)


@dataclass(frozen=True)
class Population:
    """What the shop's other customers say about rhythms: per-unit priors, size elasticity, within-customer noise."""

    rhythms: Mapping[str, tuple[int, float, float]]
    beta: float = 1.0
    sigma: float = SIGMA_PRIOR  # spread of one customer's log intervals around their own rhythm


def rhythm_from(unit: str, n: int, robust: tuple[float, float], last: Event, typical: float, prior: Prior | None,
                noise: float) -> Rhythm:
    """One unit's rhythm from what it reads of the unit's events: ``n`` intervals, robust_log_rate of their days per
    amount, the last event and the median amount; ``prior`` and the shop's ``noise`` temper a short history."""
    own, sd = robust
    # The customer's own spread, pooled with the shop's (a pseudo-interval's worth) so that two equal gaps by
    # chance do not look like clockwork.
    sd = math.sqrt(((n - 1) * sd * sd + noise * noise) / n) if n > 1 else noise
    if prior is not None and prior.days_per_amount > 0:
        # Precision weighting: a steady customer's own rhythm wins quickly, an erratic one leans on the prior.
        own_var = max(sd, SD_FLOOR) ** 2 / n
        prior_var = prior.spread ** 2
        w = prior_var / (prior_var + own_var)
        log_rate = w * own + (1 - w) * math.log(prior.days_per_amount)
        basis = "own rhythm" if w >= 0.5 else prior.basis
    else:
        log_rate, basis = own, "own rhythm"
    sigma = sd
    last_day, last_amount, product_id = last
    return Rhythm(unit, product_id, last_day, last_amount, typical, math.exp(log_rate), n, max(sigma, 0.15), basis)


def customer_rhythms(lines: Iterable[Line], catalogue: Catalogue, population: Population,
                     priors: dict[str, Prior | None] | None = None) -> list[Rhythm]:
    """Every unit the customer rebuys (two purchases or more of it), as a Rhythm; ``priors`` memoises unit priors
    across many customers. The same way as the rebuild reads everyone (each unit summarised once, a single repeat
    without lists): reminders and the tuning call it for thousands of customers."""
    units = summarise(merge_events(_bought(lines, catalogue)), population.beta, {})
    return summary_rhythms(units, catalogue, population, priors if priors is not None else {})


def status_of(days_overdue: int, interval: int) -> str:
    tolerance = max(3, round(0.15 * interval))
    if days_overdue > tolerance:
        return "overdue"
    if days_overdue >= 0:
        return "due"
    if days_overdue >= -max(7, tolerance):
        return "soon"
    return "later"


# -- the shop's rhythm statistics and everyone's rhythms, from one summary of each customer's units -----------
# One customer's unit as the rhythms read it: (median days per amount of its intervals, intervals,
# robust_log_rate of their days per amount, the last event, the median amount), amounts raised to the shop's size
# elasticity (refill.amount_elasticity). A unit bought once has none.
Summary = tuple[float, int, tuple[float, float], Event, float]


def summarise(units: Mapping[str, list[Event]], beta: float, powers: dict[float, float]) -> dict[str, Summary]:
    """The summary of each unit bought more than once, from its events (refill.unit_events, amounts as bought);
    ``powers`` memoises amount ** beta across customers (a shop sells a few sizes)."""
    out: dict[str, Summary] = {}
    for unit, events in units.items():
        n = len(events)
        if n < 2:
            continue
        if n == 2:  # one interval (the usual repeat): what the general case below computes, without its lists
            (d0, a0, _p0), (d1, a1, p1) = events
            x0, x1 = a0, a1
            if beta != 1.0:
                p0 = powers.get(a0)
                if p0 is None:
                    p0 = powers[a0] = a0 ** beta
                q1 = powers.get(a1)
                if q1 is None:
                    q1 = powers[a1] = a1 ** beta
                x0, x1 = p0, q1
            if x0 > 0:
                rate = (d1 - d0) / x0
                robust = (math.log(rate), SIGMA_PRIOR) if rate > 0 else (0.0, SIGMA_PRIOR)
                out[unit] = (rate, 1, robust, (d1, x1, p1), (x0 + x1) / 2)
            continue
        if beta == 1.0:
            amounts = [e[1] for e in events]
        else:
            amounts = []
            for e in events:
                x = powers.get(e[1])
                if x is None:
                    x = powers[e[1]] = e[1] ** beta
                amounts.append(x)
        # each interval's days per amount: the gap after a purchase divided by what that purchase bought
        rates = [(b[0] - a[0]) / x for a, b, x in zip(events, events[1:], amounts, strict=False) if x > 0]
        if rates:
            last = events[-1]
            out[unit] = (_median(rates), len(rates), robust_log_rate(rates), (last[0], amounts[-1], last[2]),
                         _median(amounts))
    return out


def other_buyer_rhythms(summaries: Iterable[Mapping[str, Summary]]) -> dict[str, tuple[int, float, float]]:
    """Per unit: (customers with a repeat purchase, median of their own median days per amount, log spread)."""
    medians: dict[str, list[float]] = defaultdict(list)
    for units in summaries:
        for unit, s in units.items():
            medians[unit].append(s[0])
    out = {}
    for u, v in medians.items():
        logs = [math.log(x) for x in v if x > 0]
        if logs:
            spread = _sd(logs) if len(logs) >= 5 else SPREAD_DEFAULT
            out[u] = (len(logs), math.exp(_median(logs)), min(max(spread, 0.15), 1.0))
    return out


def pooled_noise(summaries: Iterable[Mapping[str, Summary]]) -> float:
    """The typical spread of a regular's log intervals around their own mean (capped like the estimate)."""
    ss, dof = 0.0, 0
    for units in summaries:
        for s in units.values():
            n = s[1]
            if n < 2:
                continue
            sd = s[2][1]
            ss += sd * sd * n
            dof += n - 1
    if dof < 20:
        return SIGMA_PRIOR
    return min(max(math.sqrt(ss / dof), 0.1), 1.2)


def summary_rhythms(units: Mapping[str, Summary], catalogue: Catalogue, population: Population,
            priors: dict[str, Prior | None]) -> list[Rhythm]:
    """refill.customer_rhythms from the customer's summaries (made with the population's size elasticity)."""
    out = []
    for unit, (_median_rate, n, robust, last, typical) in units.items():
        if unit not in priors:
            priors[unit] = unit_prior(unit, catalogue, population.rhythms, population.beta)
        out.append(rhythm_from(unit, n, robust, last, typical, priors[unit], population.sigma))
    return out
