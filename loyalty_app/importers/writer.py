"""Writing baskets in batches: new sales in a few executemany statements with their points; refunds as returns."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db import import_queries as iq
from loyalty_app.clock import from_iso
from loyalty_app.errors import LoyaltyError
from loyalty_app.importers.records import Basket, Problem
from loyalty_app.importers.resolver import CustomerResolver, ProductResolver
from loyalty_app.points_rules import PointsProgram
from loyalty_app.sales import earned_points

if TYPE_CHECKING:
    from loyalty_app.shop import Shop


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def _uuid_stream() -> Iterator[str]:
    """Random (version 4) UUIDs as text, made 4096 at a time: uuid.uuid4() costs more than a line's insert."""
    while True:
        h = os.urandom(16 * 4096).hex()
        for i in range(0, len(h), 32):
            yield (f"{h[i:i + 8]}-{h[i + 8:i + 12]}-4{h[i + 13:i + 16]}-{_VARIANT[h[i + 16]]}{h[i + 17:i + 20]}-"
                   f"{h[i + 20:i + 32]}")


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

    def __init__(self, shop: Shop, source: str, *, award_points: bool) -> None:
        self.shop = shop
        self.ctx = shop.ctx
        self.source = source
        self.award = award_points
        self.program: PointsProgram = shop.points.program()
        self.customers = CustomerResolver(shop, source)
        self.products = ProductResolver(shop)
        self.stores: dict[str | None, int | None] = {}
        self.staff_id = self.ctx.staff_id()
        self._uuids = _uuid_stream()
        self.default_store = self.ctx.settings.get("default_store")
        iq.tune_for_bulk(self.ctx.db)

    def _store(self, name: str | None) -> int | None:
        if name not in self.stores:
            self.stores[name] = self.shop.sales.store_id(name)
        return self.stores[name]

    def write(self, baskets: list[Basket], counts: Counts) -> None:
        sales = [b for b in baskets if b.kind == "sale"]
        stored = iq.existing_purchase_keys(self.ctx.db, self.source, [b.key for b in sales])
        fresh: list[Basket] = []
        for b in sales:
            if b.key in stored:
                counts.duplicates += len(b.lines)
            else:
                stored.add(b.key)
                fresh.append(b)
        self._write_sales(fresh, counts)
        refunds = [b for b in baskets if b.kind == "refund"]
        if refunds:
            done = iq.existing_return_keys(self.ctx.db, self.source, [b.key for b in refunds])
            for b in refunds:
                if b.key in done:
                    counts.duplicates += len(b.lines)
                else:
                    done.add(b.key)
                    self._write_refund(b, counts)

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
        changes: list[tuple[str, str, dict[str, Any]]] = []
        for b in baskets:
            try:
                cid = self.customers.resolve(b.person)
                resolved = [self.products.resolve(ln) for ln in b.lines]
            except LoyaltyError as exc:
                self._reject(b, str(exc), counts)
                continue
            pid, puid = next_id, next(self._uuids)
            next_id += 1
            nets = [ln.net_cents for ln in b.lines]
            earned, split = earned_points(self.program, nets, member=cid is not None, award=self.award)
            subtotal = sum(nets)
            tax = sum(ln.tax_cents for ln in b.lines)
            store_id = self._store(b.store)
            purchases.append((pid, puid, cid, store_id, self.staff_id, b.occurred_at, subtotal, 0, tax,
                              subtotal + tax, earned, 0, self.source, b.key, now))
            change_lines = []
            for no, (ln, (product_id, sku), pts) in enumerate(zip(b.lines, resolved, split, strict=True), 1):
                unit = ln.unit_cents if ln.unit_cents is not None and ln.unit_cents * ln.qty >= ln.net_cents \
                    else -(-ln.net_cents // ln.qty)
                luid = next(self._uuids)
                lines.append((luid, pid, no, product_id, ln.qty, unit, unit * ln.qty - ln.net_cents, ln.net_cents,
                              0, ln.tax_cents, pts, 0))
                change_lines.append({"uuid": luid, "line_no": no, "qty": ln.qty, "unit_price_cents": unit,
                                     "line_discount_cents": unit * ln.qty - ln.net_cents, "net_cents": ln.net_cents,
                                     "redeem_discount_cents": 0, "tax_cents": ln.tax_cents, "points_earned": pts,
                                     "points_redeemed": 0, "sku": sku})
            # The same record a counter sale writes, so other stores apply imported sales the same way.
            changes.append(("purchase.recorded", puid, {
                "occurred_at": b.occurred_at, "register": None, "subtotal_cents": subtotal,
                "redeem_discount_cents": 0, "tax_cents": tax, "total_cents": subtotal + tax, "points_earned": earned,
                "points_redeemed": 0, "source": self.source, "external_id": b.key, "created_at": now,
                "customer": cid, "store": b.store or self.default_store, "lines": change_lines}))
            if cid is not None:
                v = visits[cid]
                v[0] += earned
                if b.occurred_at > v[1]:
                    v[1] = b.occurred_at
                if earned:
                    luid = next(self._uuids)
                    ledger.append((luid, cid, "earn", earned, pid, "earned on purchase", self.staff_id, b.occurred_at))
                    changes.append(("ledger.entry", luid, {
                        "customer": cid, "kind": "earn", "delta": earned, "reason": "earned on purchase",
                        "purchase": puid, "return": None, "at": b.occurred_at, "staff": None}))
            counts.lines_imported += len(b.lines)
            counts.points_awarded += earned
        iq.insert_purchases(self.ctx.db, purchases, lines, ledger)
        iq.add_visits(self.ctx.db, [(d, at, cid) for cid, (d, at) in visits.items()])
        self._emit(changes)

    def _emit(self, changes: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Change records for multi-store sync, naming customers by uuid like the counter's records do."""
        ids = {c[2]["customer"] for c in changes if c[2].get("customer") is not None}
        uuids = iq.customer_uuids(self.ctx.db, ids)
        rows = []
        for kind, entity, data in changes:
            if data.get("customer") is not None:
                data["customer"] = uuids[data["customer"]]
            rows.append((next(self._uuids), self.ctx.node_id, self.ctx.next_hlc(), kind, entity,
                         json.dumps(data, separators=(",", ":"))))
        iq.insert_changes(self.ctx.db, rows)

    def _write_refund(self, b: Basket, counts: Counts) -> None:
        db = self.ctx.db
        try:
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
