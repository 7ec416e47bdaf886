"""Rows become baskets: consecutive rows sharing a key are one sale or one refund, as every POS writes them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

from loyalty_app.clock import from_iso
from loyalty_app.importers.records import Basket, Line, Person, Problem

# A basket's head is a Basket, or for speed the tuple (kind, key, occurred_at, person, store, row, cells, sale_key)
# from which one is made only when a new basket starts.
Head = tuple[str, str, str, Person | None, str | None, int, list[str], str | None]
SAME_SALE = timedelta(hours=6)  # the lines of one sale are never this far apart
RowResult = tuple[Basket | Head, Line] | Problem | list[Problem]


def group_rows(results: Iterator[RowResult]) -> Iterator[Basket | Problem]:
    """Merge each (basket head, line) into the open basket with the same kind and key, yielding closed ones.

    A basket stays open while its rows come one after another, unless a row is hours away from it (a till that
    starts its receipt numbers again each day, exported without the other days' receipts in between); a key seen
    again later becomes a new basket with the same key, which the writer then counts as already imported, files
    as another sale with that number, or rejects, never doubles.
    """
    current: Basket | None = None
    for res in results:
        if isinstance(res, Problem):
            yield res
            continue
        if isinstance(res, list):
            yield from res
            continue
        head, line = res
        if isinstance(head, tuple):
            kind, key = head[0], head[1]
            if current is not None and current.key == key and current.kind == kind and (
                    current.occurred_at == head[2] or not hours_apart(current.occurred_at, head[2])):
                current.lines.append(line)
                current.rows.append((head[5], head[6]))
                continue
            if current is not None:
                yield current
            current = Basket(kind, key, head[2], head[3], head[4], [line], [(head[5], head[6])], sale_key=head[7])
            continue
        if current is not None and current.key == head.key and current.kind == head.kind and (
                current.occurred_at == head.occurred_at or not hours_apart(current.occurred_at, head.occurred_at)):
            current.lines.append(line)
            current.rows.extend(head.rows)
            continue
        if current is not None:
            yield current
        head.lines.append(line)
        current = head
    if current is not None:
        yield current


def hours_apart(a: str, b: str) -> bool:
    """Two rows of one receipt number too far apart in time to be lines of one sale."""
    return abs(from_iso(a) - from_iso(b)) >= SAME_SALE


def first_nonblank(*values: str) -> str:
    for v in values:
        if v and v.strip():
            return v.strip()
    return ""


Getter = Callable[[list[str]], str]
