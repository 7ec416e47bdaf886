"""Every customer's refill rhythms, kept as rows by the statistics rebuild, so that "who is due" (the refill
report, reminder emails) reads an index instead of recomputing every history; customers who bought, returned or
were merged since the rebuild are recomputed when read."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from db import suggestion_queries as q
from loyalty_app.suggestions.catalogue import Catalogue, Line
from loyalty_app.suggestions.refill import (
    Population,
    Prior,
    Rhythm,
    Summary,
    customer_rhythms,
    summary_rhythms,
)

DIRTY_MAX = 5_000  # customers changed since the rebuild recomputed on read; beyond that, compute everyone
LAPSE_GRACE_DAYS = 60  # a rhythm overdue by twice its interval plus this has stopped: no reminder, no report


def lapse_day(r: Rhythm) -> int:
    """The last day a rhythm still counts as running (after it, the customer has lapsed for this unit)."""
    return r.due_day + 2 * r.interval_days + LAPSE_GRACE_DAYS


def catalogue_key(cat: Catalogue) -> str:
    """Changes when what rhythms depend on changes: units, sizes and refill intervals (not prices or names)."""
    parts = sorted((pid, cat.unit[pid], cat.amount(pid, 1), p.refill_days or 0) for pid, p in cat.products.items())
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def to_row(customer_id: int, r: Rhythm) -> q.DueRow:
    return (customer_id, r.unit, r.product_id, r.last_day, r.last_amount, r.typical_amount, r.days_per_amount,
            r.intervals, r.sigma, r.basis, r.due_day, lapse_day(r))


def from_row(row: q.DueRow) -> Rhythm:
    _cid, unit, product_id, last_day, last_amount, typical, dpa, intervals, sigma, basis, _due, _lapse = row
    return Rhythm(unit, product_id, last_day, last_amount, typical, dpa, intervals, sigma, basis)


def by_customer(lines: Iterable[Line]) -> Iterator[tuple[int, list[Line]]]:
    """Identified customers' lines, grouped (the input is ordered by customer, as iter_lines_by_customer gives)."""
    chunk: list[Line] = []
    for line in lines:
        if chunk and line[1] != chunk[0][1]:
            if chunk[0][1] is not None:
                yield int(chunk[0][1]), chunk
            chunk = []
        chunk.append(line)
    if chunk and chunk[0][1] is not None:
        yield int(chunk[0][1]), chunk


def all_rows(units: Iterable[tuple[int, Mapping[str, Summary]]], current: set[int], catalogue: Catalogue,
             population: Population, cancel: Callable[[], bool] | None = None) -> list[q.DueRow] | None:
    """Every current customer's rhythms as rows (None when cancelled), from each customer's units as the
    rhythms read them (what build_stats hands out)."""
    priors: dict[str, Prior | None] = {}
    rows: list[q.DueRow] = []
    for n, (cid, summaries) in enumerate(units):
        if cid in current:
            rows.extend(to_row(cid, r) for r in summary_rhythms(summaries, catalogue, population, priors))
        if n % 2_000 == 0 and cancel is not None and cancel():
            return None
    return rows


def cache_meta(catalogue: Catalogue, covered_seq: int, lines: Iterable[Line]) -> dict[str, str]:
    """What tells a reader whether the rows still answer: the catalogue they were computed with, the change
    mark they cover, and the newest day they saw (a clock set before it must recompute)."""
    return {"due_catalogue": catalogue_key(catalogue), "due_seq": str(covered_seq),
            "due_max_day": str(max((ln[2] for ln in lines), default=0))}


def _changed(db: Any, meta: Mapping[str, str], catalogue: Catalogue, today: int) -> tuple[int, list[int]] | None:
    """(the rows' change mark, customers changed since) when the rows can answer; None when they cannot (never
    built, another catalogue, too many changes, or a clock before the history) and everyone must be computed."""
    if "due_seq" not in meta or meta.get("due_catalogue") != catalogue_key(catalogue):
        return None
    if today < int(meta.get("due_max_day", 0)):
        return None
    seq = int(meta["due_seq"])
    changed = q.list_due_changed_customers(db, seq, DIRTY_MAX)
    return None if len(changed) > DIRTY_MAX else (seq, changed)


def _recomputed(db: Any, changed: list[int], catalogue: Catalogue, population: Population, offset_days: float,
                today: int, within_days: int) -> list[q.DueRow]:
    """The due rows of the changed customers that are still current, from their history as it is now."""
    priors: dict[str, Prior | None] = {}
    rows: list[q.DueRow] = []
    for cid in q.list_current_among(db, changed):
        lines = [ln for ln in q.list_all_customer_lines(db, cid, offset_days) if ln[2] <= today]
        rows.extend(due_rows(cid, lines, catalogue, population, priors, today, within_days))
    return rows


def read(db: Any, meta: Mapping[str, str], catalogue: Catalogue, population: Population, offset_days: float,
         today: int, within_days: int) -> list[q.DueRow] | None:
    """Rows of the rhythms due on or before ``today + within_days`` and not lapsed, of current customers: the
    cached ones, and those of the customers changed since recomputed; None when the rows cannot answer."""
    found = _changed(db, meta, catalogue, today)
    if found is None:
        return None
    changed = set(found[1])
    rows = [row for row in q.list_due_rows(db, today + within_days, today) if row[0] not in changed]
    return rows + _recomputed(db, found[1], catalogue, population, offset_days, today, within_days)


Tally = tuple[int, int, int]  # (product_id bought last, due day, customers)


def read_counts(db: Any, meta: Mapping[str, str], catalogue: Catalogue, population: Population, offset_days: float,
                today: int, within_days: int, skip_products: list[int]) -> tuple[list[Tally], int] | None:
    """What ``read`` finds, counted in SQL: customers per (product, due day), and how many customers have a
    rhythm due outside ``skip_products``; None when the rows cannot answer."""
    found = _changed(db, meta, catalogue, today)
    if found is None:
        return None
    seq, changed = found
    tallies = q.count_due_by_day(db, today, today + within_days, seq)
    customers = q.count_due_customers(db, today, today + within_days, seq, skip_products)
    if changed:
        rows = _recomputed(db, changed, catalogue, population, offset_days, today, within_days)
        tallies += [(r[2], r[10], 1) for r in rows]
        skip = set(skip_products)
        customers += len({r[0] for r in rows if r[2] not in skip})
    return tallies, customers


def due_rows(customer_id: int, lines: list[Line], catalogue: Catalogue, population: Population,
             priors: dict[str, Prior | None], today: int, within_days: int) -> Iterator[q.DueRow]:
    """One customer's rows of what is due on or before ``today + within_days`` and not lapsed."""
    for r in customer_rhythms(lines, catalogue, population, priors):
        row = to_row(customer_id, r)
        if row[10] <= today + within_days and row[11] >= today:
            yield row
