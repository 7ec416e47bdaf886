"""Writing baskets in batches: new sales in a few executemany statements with their points; refunds as returns."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from db import import_queries as iq
from db import pos_queries
from loyalty_app.clock import from_iso, to_iso
from loyalty_app.errors import LoyaltyError
from loyalty_app.importers import change_records as cr
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.importers.generic import SOURCE as GENERIC_SOURCE
from loyalty_app.importers.grouping import hours_apart
from loyalty_app.importers.records import Basket, Problem
from loyalty_app.importers.resolver import CustomerResolver, ProductResolver
from loyalty_app.limits import MAX_CENTS
from loyalty_app.money import format_money
from loyalty_app.points_rules import PointsProgram
from loyalty_app.sale_checks import check_line_amount, check_totals, time_window
from loyalty_app.sales import earned_points

_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def _uuid_stream() -> Iterator[str]:
    """Time-ordered UUIDs (version 7: milliseconds, then 74 random bits) made 4096 at a time.

    Globally unique like uuid4, but consecutive ones sort together, so the unique indexes on the uuid columns
    grow at their end instead of being written all over: a large share of a bulk import's disk work.
    """
    while True:
        ts = f"{time.time_ns() // 1_000_000:012x}"
        head = f"{ts[:8]}-{ts[8:]}-7"
        h = os.urandom(10 * 4096).hex()
        yield from [f"{head}{h[i:i + 3]}-{_VARIANT[h[i + 3]]}{h[i + 4:i + 7]}-{h[i + 7:i + 19]}"
                    for i in range(0, len(h), 20)]


@dataclass
class Counts:
    lines_imported: int = 0
    duplicates: int = 0
    returns_imported: int = 0
    points_awarded: int = 0
    points_reversed: int = 0
    problems: list[Problem] = field(default_factory=list)


class BatchWriter:
    """Writes one batch inside the caller's transaction; keys already stored are counted, never written twice."""

    def __init__(self, shop: ImportDeps, source: str, *, award_points: bool) -> None:
        self.shop = shop
        self.ctx = shop.ctx
        self.source = source
        self.award = award_points
        self.program: PointsProgram = shop.points.program()
        self.customers = CustomerResolver(shop, source, batched=True)
        self.products = ProductResolver(shop, batched=True)
        self.stores: dict[str | None, int | None] = {}
        self.staff_id = self.ctx.staff_id()
        self._uuids = _uuid_stream()
        self.default_store = self.ctx.settings.get("default_store")
        self._sku_json: dict[str, str] = {}
        self._named: set[str] = set()  # shared names already warned about
        self._warned_names = False  # a customer named without contacts, warned about once
        # A till's own CSV may start its receipt numbers again; Square, Shopify and Loyverse ids never repeat, and
        # their export and their live pull may write one sale's time or amount a little differently.
        self.numbers_reused = source.split(":", 1)[0] == GENERIC_SOURCE
        self.first_purchase_id = iq.max_purchase_id(self.ctx.db) + 1
        self.first_return_id = iq.max_return_id(self.ctx.db) + 1
        self.window = time_window(self.ctx)
        # Whole seconds inside the window, as text: most sales are compared as strings, the rest checked in full.
        earliest = self.window.earliest.replace(microsecond=0) + timedelta(seconds=1)
        self._window_text = (to_iso(earliest), to_iso(self.window.latest.replace(microsecond=0)))
        iq.tune_for_bulk(self.ctx.db)

    def _store(self, name: str | None) -> int | None:
        if name not in self.stores:
            self.stores[name] = self.shop.sales.store_id(name)
        return self.stores[name]

    def write(self, baskets: list[Basket], counts: Counts) -> None:
        self.products.begin_batch()
        self.customers.begin_batch()
        try:
            self._write(baskets, counts)
        finally:
            self.customers.end_batch()

    def _write(self, baskets: list[Basket], counts: Counts) -> None:
        sales = [b for b in baskets if b.kind == "sale"]
        self._write_sales(self._fresh_sales(sales, counts), counts)
        refunds = [b for b in baskets if b.kind == "refund"]
        if refunds:
            keys = [b.key for b in refunds]
            done = iq.existing_return_keys(self.ctx.db, self.source, keys)
            times = iq.return_times(self.ctx.db, self.source, keys) if self.numbers_reused and done else {}
            for b in refunds:
                if not self._refunded_before(b, done, times, counts):
                    done[b.key] = self.first_return_id
                    self._write_refund(b, counts)

    def _fresh_sales(self, sales: list[Basket], counts: Counts) -> list[Basket]:
        """The sales not stored yet. A till's own CSV may give a stored receipt number to another sale (a till that
        starts its numbers again each day): such a sale is refused with its reason, never counted as the other."""
        stored = iq.existing_purchase_keys(self.ctx.db, self.source, [b.key for b in sales])
        fresh: list[Basket] = []
        for b in sales:
            subtotal = sum(ln.net_cents for ln in b.lines)
            found = stored.get(b.key)
            if found is None:
                stored[b.key] = (self.first_purchase_id, b.occurred_at, subtotal, None)  # again in the batch: below
                fresh.append(b)
                continue
            pid, at, stored_subtotal, stored_customer = found
            same_time = at == b.occurred_at or not self.numbers_reused
            if pid >= self.first_purchase_id and not same_time and not hours_apart(at, b.occurred_at):
                same_time = True  # lines of one sale apart in the file, stamped a little apart
            if not same_time and (pid >= self.first_purchase_id or stored_subtotal != subtotal
                                  or stored_customer != self._known_customer(b)):
                self._reject_reused(b, at, stored_subtotal, counts)
            elif pid >= self.first_purchase_id:
                self._reject_split(b, counts)
            else:
                if not same_time:
                    self._warn_same_amount(b, at, counts)
                counts.duplicates += len(b.lines)
        return fresh

    def _warn_name_only(self, b: Basket, counts: Counts) -> None:
        """Once per run: a row names a customer by name alone, so its sale is anonymous."""
        self._warned_names = True
        row, fields = _first_row(b)
        counts.problems.append(Problem(row, "warning", (
            f"this row names the customer '{b.person.name if b.person else ''}' without a phone, email or POS "
            "customer id: their sales are imported as anonymous, as are those of every row like it (a name alone "
            "cannot tell two people apart). Export the customers' contacts to link them"), fields))

    def _warn_under_a_cent(self, b: Basket, counts: Counts) -> None:
        """A line paid less than a cent a unit: most likely a quantity typed or read wrong (a meter reading)."""
        for ln in b.lines:
            if 0 < ln.net_cents < ln.qty:
                fields = _fields_of(b, ln.row)
                counts.problems.append(Problem(ln.row, "warning", (
                    f"{ln.qty:,} units of {ln.sku or ln.name} for {format_money(ln.net_cents, self.ctx.currency)} "
                    "is less than a cent a unit: imported as written; check the quantity"), fields))

    def _known_customer(self, b: Basket) -> int | None:
        """The stored customer a basket's row names (None: anonymous, or nobody stored yet)."""
        return self.customers.find(b.person) if b.person is not None and b.person.identified else None

    def _reject_reused(self, b: Basket, stored_at: str, stored_cents: int, counts: Counts) -> None:
        what = f" ({format_money(stored_cents, self.ctx.currency)})" if b.kind == "sale" else ""
        self._reject(b, (
            f"receipt {b.key} was used before for another {'sale' if b.kind == 'sale' else 'refund'} at "
            f"{self._local(stored_at)}{what}, and this row says {self._local(b.occurred_at)}: not imported, so that "
            "neither is counted as the other (this till starts its receipt numbers again): add it at the counter"),
                     counts)

    def _warn_same_amount(self, b: Basket, stored_at: str, counts: Counts) -> None:
        """Receipt numbers, amounts and customers match, times do not: most likely the same sale read with other date
        or time-zone settings, so it is not counted twice; the report says so in case it was another sale."""
        row, fields = _first_row(b)
        counts.problems.append(Problem(row, "warning", (
            f"receipt {b.key} was imported before for the same customer and amount at {self._local(stored_at)}, "
            f"and this row says {self._local(b.occurred_at)}: counted as already imported (the same sale read with "
            "other date or time zone settings). If it is another sale, add it at the counter"), fields))

    def _warn_shared_names(self, b: Basket, resolved: list[tuple[int, str]], counts: Counts) -> None:
        """Once per name in a run: rows without SKU matched by a name that several products have."""
        for ln, (_pid, sku) in zip(b.lines, resolved, strict=True):
            name = self.products.shared_name(ln)
            if name is not None and name not in self._named:
                self._named.add(name)
                fields = _fields_of(b, ln.row)
                counts.problems.append(Problem(ln.row, "warning", (
                    f"'{ln.name}' is the name of several products and this row has no SKU: it and the other rows "
                    f"of that name without SKU were filed under {sku}, the first with it. Give the rows their SKU "
                    "to choose"), fields))

    def _local(self, at: str) -> str:
        return from_iso(at).astimezone(self.ctx.zone).strftime("%Y-%m-%d %H:%M")

    def _reject_split(self, b: Basket, counts: Counts) -> None:
        self._reject(b, f"more lines of {b.key} further down the file, apart from its other lines (which were "
                        "imported): add these at the counter, or export the file sorted by transaction", counts)

    def _refunded_before(self, b: Basket, stored: dict[str, int], times: dict[str, str], counts: Counts) -> bool:
        """Already imported by an earlier run (duplicates), or earlier in this file (a refund split apart); with
        ``times`` (a till's own CSV), a stored refund of this number at another time is another refund, refused.

        Rows this run wrote have ids from ``first_return_id`` on (ids only grow), so no set of keys is kept."""
        found = stored.get(b.key)
        if found is None:
            return False
        at = times.get(b.key)
        if at is not None and at != b.occurred_at:
            self._reject_reused(b, at, 0, counts)
        elif found >= self.first_return_id:
            self._reject_split(b, counts)
        else:
            counts.duplicates += len(b.lines)
        return True

    def _check(self, b: Basket) -> tuple[int, int]:
        """The limits a counter sale must pass (time, amounts, totals), so an import cannot write what the counter
        would refuse; the basket's (subtotal, tax). Quantities were checked when the rows were read."""
        if not self.in_window(b.occurred_at):
            self.window.check(b.occurred_at)
        subtotal = tax = 0
        for ln in b.lines:
            biggest = max(ln.net_cents, abs(ln.unit_cents or 0) * ln.qty, abs(ln.tax_cents))
            if biggest > MAX_CENTS:
                check_line_amount(biggest, f"the line of {ln.sku or ln.name or 'a product'}", self.ctx.currency)
            subtotal += ln.net_cents
            tax += ln.tax_cents
        most = self.program.points_for(subtotal) if self.award and b.person is not None else 0
        check_totals(subtotal, tax, most, self.ctx.currency)
        return subtotal, tax

    def in_window(self, occurred_at: str) -> bool:
        """A UTC time as the parsers write it ('2026-03-01T10:00:00Z') well inside the window, compared as text."""
        return len(occurred_at) == 20 and self._window_text[0] <= occurred_at <= self._window_text[1]

    def _reject(self, b: Basket, reason: str, counts: Counts) -> None:
        rows = b.rows or [(ln.row, []) for ln in b.lines]
        counts.problems.extend(Problem(r, "rejected", reason, f) for r, f in rows)

    def _write_sales(self, baskets: list[Basket], counts: Counts) -> None:
        if not baskets:
            return
        now = self.ctx.now_iso()
        next_id = iq.max_purchase_id(self.ctx.db) + 1
        purchases: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        ledger: list[tuple[Any, ...]] = []
        visits: dict[int, list[Any]] = defaultdict(lambda: [0, ""])
        changes: list[tuple[str, str, int | None, Any]] = []
        uuids, skus = self._uuids, self._sku_json
        for b in baskets:
            try:
                subtotal, tax = self._check(b)
                cid = self.customers.resolve(b.person)
                if cid is None and not self._warned_names and b.person is not None and b.person.name:
                    self._warn_name_only(b, counts)
                resolved = [self.products.resolve(ln) for ln in b.lines]
                if self.products.shared_names:
                    self._warn_shared_names(b, resolved, counts)
            except LoyaltyError as exc:
                self._reject(b, str(exc), counts)
                continue
            pid, puid = next_id, next(uuids)
            next_id += 1
            nets = [ln.net_cents for ln in b.lines]
            if min(n - ln.qty for n, ln in zip(nets, b.lines, strict=True)) < 0:
                self._warn_under_a_cent(b, counts)
            earned, split = earned_points(self.program, nets, member=cid is not None, award=self.award)
            purchases.append((pid, puid, cid, self._store(b.store), self.staff_id, b.occurred_at, subtotal, 0, tax,
                              subtotal + tax, earned, 0, self.source, b.key, now))
            line_records = []
            for no, (ln, (product_id, sku), pts) in enumerate(zip(b.lines, resolved, split, strict=True), 1):
                qty, net = ln.qty, ln.net_cents
                unit = ln.unit_cents if ln.unit_cents is not None and ln.unit_cents * qty >= net else -(-net // qty)
                luid = next(uuids)
                lines.append((luid, pid, no, product_id, qty, unit, unit * qty - net, net, 0, ln.tax_cents, pts, 0))
                sku_json = skus.get(sku) or skus.setdefault(sku, cr.dumps(sku))
                line_records.append(cr.line_json(no, qty, unit, unit * qty - net, net, ln.tax_cents, pts, sku_json,
                                                 luid))
            # The same record a counter sale writes, so other stores apply imported sales the same way.
            changes.append(("purchase.recorded", puid, cid, (line_records, (
                now, b.key, b.occurred_at, earned, self.source, b.store or self.default_store, subtotal, tax))))
            if cid is not None:
                v = visits[cid]
                v[0] += earned
                if b.occurred_at > v[1]:
                    v[1] = b.occurred_at
                if earned:
                    luid = next(uuids)
                    ledger.append((luid, cid, "earn", earned, pid, "earned on purchase", self.staff_id, b.occurred_at))
                    changes.append(("ledger.entry", luid, cid, (b.occurred_at, earned, puid)))
            counts.lines_imported += len(b.lines)
            counts.points_awarded += earned
        self.customers.flush()  # the batch's new customers and products before the sales that name them
        self.products.flush()
        iq.insert_purchases(self.ctx.db, purchases, lines, ledger)
        iq.add_visits(self.ctx.db, [(d, at, cid) for cid, (d, at) in visits.items()])
        self._emit(changes)

    def _emit(self, changes: list[tuple[str, str, int | None, Any]]) -> None:
        """Change records for multi-store sync, naming customers by uuid like the counter's records do."""
        customer_uuids = iq.customer_uuids(self.ctx.db, {c[2] for c in changes if c[2] is not None})
        node, uuids = self.ctx.node_id, self._uuids
        rows = []
        for (kind, entity, cid, args), hlc in zip(changes, self.ctx.next_hlcs(len(changes)), strict=True):
            cuid = customer_uuids[cid] if cid is not None else None
            if kind == "purchase.recorded":
                data = cr.purchase_json(cuid, args[0], args[1])
            else:
                assert cuid is not None
                data = cr.earn_json(cuid, args[0], args[1], args[2])
            rows.append((next(uuids), node, hlc, kind, entity, data))
        iq.insert_changes(self.ctx.db, rows)

    def _write_refund(self, b: Basket, counts: Counts) -> None:
        db = self.ctx.db
        if b.sale_key and pos_queries.pulled_sale(db, self.source, b.sale_key):
            counts.duplicates += len(b.lines)  # a live POS connection brings this sale's refunds itself
            return
        try:
            self.window.check(b.occurred_at, "the refund's time")
            targets = self._refund_targets(b)
        except LoyaltyError as exc:
            self._reject(b, str(exc), counts)
            return
        when = from_iso(b.occurred_at)
        try:
            with self.ctx.write():  # a savepoint: a refund that cannot apply leaves nothing behind
                for n, (pid, items) in enumerate(targets):
                    if items is None and b.lines:
                        wanted = sum(ln.net_cents for ln in b.lines)
                        if wanted != iq.purchase_subtotal(db, pid):
                            raise LoyaltyError("a partial refund without item detail cannot be matched to "
                                               "lines: record it as a return at the counter")
                    key = b.key if len(targets) == 1 else f"{b.key}#{n + 1}"
                    r = self.shop.sales.return_items(pid, items, occurred_at=when, reason="refund imported",
                                                     source=self.source, external_id=key)
                    counts.points_reversed += r.points_reversed
        except LoyaltyError as exc:
            self._reject(b, f"refund not applied: {exc}", counts)
            return
        counts.returns_imported += 1
        counts.lines_imported += len(b.lines)

    def _refund_targets(self, b: Basket) -> list[tuple[int, list[tuple[str, int]] | None]]:
        """Which purchase(s) a refund takes back, with the (SKU, qty) to return (None: everything left)."""
        db = self.ctx.db
        pid = iq.purchase_id_for_key(db, self.source, b.sale_key) if b.sale_key else None
        if b.whole:
            if pid is None:
                raise LoyaltyError(f"refund of sale {b.sale_key}, which has not been imported")
            return [(pid, None)]
        items: list[tuple[str, int]] = []
        for ln in b.lines:
            hit = self.products.find(ln)
            if hit is None:
                raise LoyaltyError(f"refund of '{ln.name or ln.sku}', a product never sold here")
            items.append((hit[1], ln.qty))
        if pid is not None:
            return [(pid, items)]
        cid = self.customers.find(b.person) if b.person else None
        by_purchase: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for ln, (sku, qty) in zip(b.lines, items, strict=True):
            hit = self.products.find(ln)
            assert hit is not None
            found = iq.refundable_purchase(db, self.source, cid, hit[0], b.occurred_at)
            if found is None:
                raise LoyaltyError(f"refund of '{ln.name or sku}': no earlier imported sale of it to "
                                   f"{'this customer' if cid else 'an anonymous customer'} is left to return")
            by_purchase[found].append((sku, qty))
        return list(by_purchase.items())


def _first_row(b: Basket) -> tuple[int, list[str]]:
    """The basket's first row and its cells, where a warning about the whole basket is reported."""
    return b.rows[0] if b.rows else (b.lines[0].row, [])


def _fields_of(b: Basket, row: int) -> list[str]:
    """The cells of one of the basket's rows, for the report."""
    return next((f for r, f in b.rows if r == row), [])
