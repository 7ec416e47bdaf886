"""The suggestion service the counter, the emails and the reports use: refill due dates, at most three
suggestions with reasons, complete-the-basket, new-product audiences, statistics rebuild and evaluation."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from db import suggestion_queries as q
from db.suggestion_queries import DueRow
from loyalty_app.clock import to_iso
from loyalty_app.context import ShopContext
from loyalty_app.errors import NotFound, ValidationError
from loyalty_app.i18n import _
from loyalty_app.lookup import CounterHints, RefillDueView, SuggestionView
from loyalty_app.suggestions import due_cache, store
from loyalty_app.suggestions.catalogue import Catalogue, Line, ProductInfo
from loyalty_app.suggestions.cooccurrence import Stats, build_stats
from loyalty_app.suggestions.counter import basket_suggestions, counter_suggestions
from loyalty_app.suggestions.evaluate import evaluate
from loyalty_app.suggestions.evaluation import Evaluation
from loyalty_app.suggestions.newproducts import AudienceMember, audience, related_products
from loyalty_app.suggestions.ranking import Components, Weights, components
from loyalty_app.suggestions.refill import Prior, Rhythm, customer_rhythms, status_of
from loyalty_app.suggestions.results import (
    DueSummary,
    DueTally,
    RebuildResult,
    RefillDue,
    StatsStatus,
    Suggestion,
)
from loyalty_app.suggestions.text import ago, basis, duration

__all__ = ["AudienceMember", "DueSummary", "DueTally", "RefillDue", "Suggestion", "SuggestionService"]

log = logging.getLogger(__name__)

COUNTER_HORIZON = 30  # days ahead the counter ranking looks
DUE_HORIZON = 14
AUTO_BUILD_LINES = 100_000  # a shop without stored statistics and at most this many lines gets them in memory
LOOKBACK_DAYS = 3 * 365
CATCHUP_MAX = 5_000  # purchases since the last rebuild caught up in memory; beyond that, rebuild
REFILL_CHANGES_MAX = 500  # customers whose refill rhythms changed since the rebuild; beyond that, rebuild


class SuggestionService:
    def __init__(self, ctx: ShopContext) -> None:
        self.ctx = ctx
        self._catalogue: Catalogue | None = None
        self._catalogue_key: tuple[Any, ...] | None = None
        self._stats: Stats | None = None
        self._built_at: str | None = None
        self.weights = Weights()
        self.reminder_signal = "due"

    # -- data -----------------------------------------------------------------------------------------------
    def _offset(self) -> float:
        off = self.ctx.now().astimezone(self.ctx.zone).utcoffset() or timedelta()
        return off.total_seconds() / 86400

    def _today(self, today: date | None = None) -> date:
        return today or self.ctx.now().astimezone(self.ctx.zone).date()

    def catalogue(self) -> Catalogue:
        key = q.catalogue_version(self.ctx.db)
        if self._catalogue is None or key != self._catalogue_key:
            self._catalogue = Catalogue(ProductInfo.from_row(r) for r in q.list_catalogue(self.ctx.db))
            self._catalogue_key = key
        return self._catalogue

    def stats(self) -> Stats:
        """The statistics: stored ones, caught up in memory with the sales made since they were built."""
        db = self.ctx.db
        meta = q.get_stats_meta(db)
        if self._stats is None or meta.get("built_at") != self._built_at:
            self._stats = store.stats_from_tables(q.load_stats(db)) if meta else Stats()
            self._built_at = meta.get("built_at")
            self.weights = store.weights_from_meta(meta)
            self.reminder_signal = meta.get("reminder_signal", "due")
        stats = self._stats
        latest = q.max_purchase_id(db)
        behind = latest - stats.last_purchase_id
        if behind <= 0:
            return stats
        if not meta and stats.last_purchase_id == 0:
            # Never rebuilt: a small history is counted here; a big one (a first import of years of sales, however
            # few its baskets) waits for the rebuild job (at start, or `loyalty suggest rebuild`), not the counter.
            self._stats = stats = self._first_stats(latest)
        elif behind <= CATCHUP_MAX:
            stats.add_purchases(q.list_lines(db, self._offset(), stats.last_purchase_id),
                                lambda c, p: q.customer_products_before(db, c, p))
            stats.last_purchase_id = latest
        return stats

    def _first_stats(self, latest: int) -> Stats:
        db = self.ctx.db
        if q.count_lines_upto(db, AUTO_BUILD_LINES + 1) <= AUTO_BUILD_LINES:
            built = build_stats(q.iter_lines_by_customer(db, self._offset()), self.catalogue())
            assert built is not None
        else:
            built = Stats()
        built.last_purchase_id = max(built.last_purchase_id, latest)
        return built

    def status(self) -> StatsStatus:
        """When the statistics were built and how many purchases they are behind (rebuild when stale)."""
        meta = q.get_stats_meta(self.ctx.db)
        behind = q.max_purchase_id(self.ctx.db) - int(meta.get("last_purchase_id", 0))
        changed = len(q.list_due_changed_customers(self.ctx.db, int(meta.get("due_seq", 0)), REFILL_CHANGES_MAX))
        # Readers recompute the customers changed since the rebuild: past a day's worth, a rebuild is cheaper. The
        # kept rhythms answer only for the catalogue they were computed with (and not at all before the first).
        kept = "due_seq" in meta and meta.get("due_catalogue") == due_cache.catalogue_key(self.catalogue())
        stale = behind > CATCHUP_MAX or changed > REFILL_CHANGES_MAX or (bool(meta) and not kept)
        return StatsStatus(meta.get("built_at"), behind, stale, changed, meta.get("reminder_signal", "due"))

    def _lines(self, customer_id: int, today: int) -> list[Line]:
        """The customer's recent years (a rhythm needs no more; a shop's oldest regulars stay fast)."""
        # From the start of a shop day, so that the counter's hints prepared in the morning read the same lines.
        start = date.fromordinal(self._today().toordinal() - LOOKBACK_DAYS)
        since = to_iso(datetime.combine(start, time(), tzinfo=self.ctx.zone))
        return [ln for ln in q.list_customer_lines(self.ctx.db, customer_id, self._offset(), since) if ln[2] <= today]

    # -- refill ---------------------------------------------------------------------------------------------
    @staticmethod
    def _refill_product(unit: str, product_id: int, cat: Catalogue) -> ProductInfo | None:
        """What to refill with: the product bought, or the nearest size still sold; None when none is."""
        product = cat.products[product_id]
        if not product.active:
            same = [cat.products[i] for i in cat.members.get(unit, []) if cat.products[i].active]
            if not same:
                return None  # nothing left to refill it with
            product = min(same, key=lambda p: (abs((p.size_quantity or 0) - (product.size_quantity or 0)), p.id))
        return product

    def _refill(self, r: Rhythm, today: int, cat: Catalogue) -> RefillDue | None:
        if today > due_cache.lapse_day(r):
            return None  # lapsed: the rhythm has stopped, a reminder would be noise
        product = self._refill_product(r.unit, r.product_id, cat)
        if product is None:
            return None
        interval = r.interval_days
        overdue = today - r.due_day
        label = cat.unit_label(r.unit)
        since = ago(today - r.last_day)
        if r.basis == "own rhythm":
            reason = _("buys {product} every ~{duration}; last time {since}").format(
                product=label, duration=duration(interval), since=since)
        else:
            reason = _("{product} usually lasts ~{duration} ({basis}); last bought {since}").format(
                product=label, duration=duration(interval), basis=basis(r.basis), since=since)
        return RefillDue(product.id, product.sku, product.name, product.family, date.fromordinal(r.due_day),
                         overdue, status_of(overdue, interval), date.fromordinal(r.last_day), interval, r.basis,
                         reason, r.p_buy(today, DUE_HORIZON), r.intervals + 1)

    def _refills(self, rhythms: Sequence[Rhythm], today: int, cat: Catalogue) -> list[RefillDue]:
        out = [rd for r in rhythms if (rd := self._refill(r, today, cat)) is not None]
        out.sort(key=lambda rd: (-rd.days_overdue, rd.name))
        return out

    def refill_due(self, customer_id: int, today: date | None = None) -> list[RefillDue]:
        """Every product the customer rebuys on a rhythm, most due first (none from a single purchase)."""
        day = self._today(today).toordinal()
        cat = self.catalogue()
        stats = self.stats()
        rhythms = customer_rhythms(self._lines(customer_id, day), cat, stats.population())
        return self._refills(rhythms, day, cat)

    def _everyones_due_rows(self, day: int, within_days: int, cat: Catalogue) -> list[DueRow]:
        """What is due by day + ``within_days`` and not lapsed, computed from every current customer's history."""
        population = self.stats().population()
        current = q.list_current_customer_ids(self.ctx.db)
        priors: dict[str, Prior | None] = {}
        rows: list[DueRow] = []
        for cid, chunk in due_cache.by_customer(q.iter_lines_by_customer(self.ctx.db, self._offset(), True)):
            if cid in current:
                lines = [ln for ln in chunk if ln[2] <= day]
                rows.extend(due_cache.due_rows(cid, lines, cat, population, priors, day, within_days))
        return rows

    def due_customers(self, today: date | None = None, within_days: int = 0) -> dict[int, list[RefillDue]]:
        """Every current customer with something due on or before today + ``within_days`` (reminders), in
        customer order: from the rebuild's cached rhythms when they answer."""
        day = self._today(today).toordinal()
        cat = self.catalogue()
        with self.ctx.snapshot():  # the rows and the change marks as of one moment, whatever a rebuild commits
            rows = due_cache.read(self.ctx.db, q.get_stats_meta(self.ctx.db), cat, self.stats().population(),
                                  self._offset(), day, within_days)
            if rows is None:
                rows = self._everyones_due_rows(day, within_days, cat)
        by_customer: dict[int, list[DueRow]] = {}
        for row in rows:
            by_customer.setdefault(row[0], []).append(row)
        out: dict[int, list[RefillDue]] = {}
        for cid in sorted(by_customer):
            if due := self._refills([due_cache.from_row(r) for r in by_customer[cid]], day, cat):
                out[cid] = due
        return out

    def due_summary(self, today: date | None = None, within_days: int = 0) -> DueSummary:
        """The same customers as due_customers, counted by product (the refill report: what to have on the
        shelf), counted in SQL from the cached rhythms when they answer."""
        day = self._today(today).toordinal()
        cat = self.catalogue()
        skip = [pid for pid in cat.products if self._refill_product(cat.unit[pid], pid, cat) is None]
        with self.ctx.snapshot():  # counted rows and recomputed customers must not overlap across a rebuild
            counted = due_cache.read_counts(self.ctx.db, q.get_stats_meta(self.ctx.db), cat,
                                            self.stats().population(), self._offset(), day, within_days, skip)
            if counted is None:
                rows = self._everyones_due_rows(day, within_days, cat)
                counted = [(r[2], r[10], 1) for r in rows], len({r[0] for r in rows if r[2] not in set(skip)})
        tallies, customers = counted
        products: dict[int, ProductInfo | None] = {}
        by_product: dict[int, list[int]] = {}
        for product_id, due_day, n in tallies:
            if product_id not in products:
                products[product_id] = self._refill_product(cat.unit[product_id], product_id, cat)
            if (p := products[product_id]) is not None:
                ahead = due_day - day
                by_product.setdefault(p.id, [0, 0, 0])[0 if ahead < 0 else 1 if ahead <= 7 else 2] += n
        return DueSummary(customers, [DueTally(pid, cat.products[pid].sku, cat.products[pid].name, *t)
                                      for pid, t in by_product.items()])

    def reminder_order(self, due: dict[int, list[RefillDue]]) -> list[int]:
        """Customers in the order reminders should go out: by the signal that won on this shop's history."""
        if self.reminder_signal == "frequency":
            return sorted(due, key=lambda c: (-max(rd.purchases for rd in due[c]), c))
        return sorted(due, key=lambda c: (-max(rd.likelihood for rd in due[c]), c))

    # -- counter --------------------------------------------------------------------------------------------
    def _basket(self, skus: Sequence[str], cat: Catalogue) -> set[int]:
        ids = set()
        for sku in skus:
            p = cat.find_sku(sku)
            if p is not None:
                ids.add(p.id)
        return ids

    def _customer(self, customer_id: int, cat: Catalogue, stats: Stats) -> tuple[list[Line], Components, int]:
        day = self._today().toordinal()
        lines = self._lines(customer_id, day)
        return lines, components(lines, cat, stats, day, COUNTER_HORIZON, self.weights), day

    def counter(self, customer_id: int, basket_skus: Sequence[str] = (),
                limit: int = 3) -> tuple[list[RefillDue], list[Suggestion]]:
        """Refill dates and counter suggestions from one read of the customer's history."""
        cat, stats = self.catalogue(), self.stats()
        lines, comp, day = self._customer(customer_id, cat, stats)
        refills = self._refills(comp.rhythms, day, cat)
        return refills, counter_suggestions(lines, comp, refills, cat, stats, self._basket(basket_skus, cat),
                                            date.fromordinal(day).isoformat(), self.ctx.currency, limit,
                                            self.weights.season)

    def for_customer(self, customer_id: int, basket_skus: Sequence[str] = (), limit: int = 3) -> list[Suggestion]:
        """At most ``limit`` suggestions for the counter, each with a reason to read aloud."""
        return self.counter(customer_id, basket_skus, limit)[1]

    def complete_basket(self, basket_skus: Sequence[str], customer_id: int | None = None,
                        limit: int = 3) -> list[Suggestion]:
        """What goes with the current sale (for this customer when known)."""
        cat, stats = self.catalogue(), self.stats()
        comp, refills, day = None, [], self._today().toordinal()
        if customer_id is not None:
            _lines, comp, day = self._customer(customer_id, cat, stats)
            refills = self._refills(comp.rhythms, day, cat)
        return basket_suggestions(self._basket(basket_skus, cat), comp, refills, cat, stats, self.weights, limit,
                                  day)

    def new_product_audience(self, product_id: int) -> list[AudienceMember]:
        """Every customer whose history makes the product relevant, best first (consent is the mailer's job)."""
        cat = self.catalogue()
        target = cat.products.get(product_id)
        if target is None:
            raise NotFound(f"no product #{product_id}")
        rows = q.list_purchase_days_of(self.ctx.db, related_products(target, cat), self._offset())
        return audience(rows, target, cat, self._today().toordinal())

    def enrich(self, customer_id: int) -> CounterHints:
        """Lookup enricher: what a profile gains, refill_due (all rhythms) and suggestions (at most three).
        A failure here is logged and adds nothing: the cashier still gets the customer."""
        try:
            refills, suggestions = self.counter(customer_id)
        except Exception:  # noqa: BLE001 - suggestions are a nicety; the lookup itself must not fail
            log.exception("suggestions for customer %s failed", customer_id)
            return CounterHints()
        return CounterHints(
            tuple(RefillDueView(rd.sku, rd.name, rd.due_on.isoformat(), rd.days_overdue, rd.status, rd.reason)
                  for rd in refills),
            tuple(SuggestionView(s.sku, s.name, s.kind, s.reason) for s in suggestions))

    # -- background work ------------------------------------------------------------------------------------
    def rebuild(self, progress: store.Progress | None = None, cancel: store.Cancel | None = None,
                retune: bool = False) -> RebuildResult:
        """Full statistics rebuild (run it in a worker with its own shop connection); the blend is re-tuned
        when its tuning is a week old or the history grew by a tenth, or when ``retune`` asks."""
        result = store.rebuild(self.ctx, self.catalogue(), self._offset(), progress, cancel, retune)
        self._stats = None
        return result

    def evaluate(self, holdout_days: int = 60, k: int = 5) -> Evaluation:
        """The offline evaluation over the whole history held in this shop (see evaluate.py)."""
        lines = list(q.iter_lines_by_customer(self.ctx.db, self._offset()))
        if not lines:
            raise NotFound("no purchase history to evaluate yet")
        try:
            return evaluate(lines, self.catalogue(), holdout_days=holdout_days, k=k)
        except ValueError as exc:
            raise ValidationError(f"cannot evaluate: {exc} (the holdout needs purchases before and within the "
                                  f"last {holdout_days} days)") from exc
