"""The shop's rhythm statistics (other buyers' rhythms, the pooled noise) and every customer's rhythms, from one
summary of each customer's units: each interval's days per amount is computed once, after the shop's size
elasticity, and read by all three alike."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

from loyalty_app.suggestions.catalogue import Catalogue
from loyalty_app.suggestions.refill import (
    SIGMA_PRIOR,
    SPREAD_DEFAULT,
    Event,
    Population,
    Prior,
    Rhythm,
    _median,
    _sd,
    rhythm_from,
    robust_log_rate,
    unit_prior,
)

# One customer's unit as the rhythms read it: (median days per amount of its intervals, intervals,
# robust_log_rate of their days per amount, the last event, the median amount), amounts raised to the shop's size
# elasticity (refill.amount_elasticity). A unit bought once has none.
Summary = tuple[float, int, tuple[float, float], Event, float]


def summarise(units: Mapping[str, list[Event]], beta: float, powers: dict[float, float]) -> dict[str, Summary]:
    """The summary of each unit bought more than once, from its events (refill.unit_events, amounts as bought);
    ``powers`` memoises amount ** beta across customers (a shop sells a few sizes)."""
    out: dict[str, Summary] = {}
    for unit, events in units.items():
        if len(events) < 2:
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
        # refill.interval_rates: the gap after a purchase divided by what that purchase bought
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


def rhythms(units: Mapping[str, Summary], catalogue: Catalogue, population: Population,
            priors: dict[str, Prior | None]) -> list[Rhythm]:
    """refill.customer_rhythms from the customer's summaries (made with the population's size elasticity)."""
    out = []
    for unit, (_median_rate, n, robust, last, typical) in units.items():
        if unit not in priors:
            priors[unit] = unit_prior(unit, catalogue, population.rhythms, population.beta)
        out.append(rhythm_from(unit, n, robust, last, typical, priors[unit], population.sigma))
    return out
