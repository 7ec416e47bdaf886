"""Statistics to and from their tables, and the full rebuild (a background job with progress and cancel)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, fields
from typing import Any

from db import counter_reads
from db import suggestion_queries as q
from loyalty_app.clock import from_iso
from loyalty_app.context import ShopContext
from loyalty_app.gc_pause import collector_paused
from loyalty_app.suggestions import due_cache
from loyalty_app.suggestions.catalogue import Catalogue, Line
from loyalty_app.suggestions.cooccurrence import Stats, build_stats
from loyalty_app.suggestions.ranking import Weights
from loyalty_app.suggestions.refill import Summary
from loyalty_app.suggestions.results import RebuildResult
from loyalty_app.suggestions.season import Season
from loyalty_app.suggestions.tuning import calibrate, due_vs_frequency

RETUNE_DAYS = 7
Progress = Callable[[int, int], None]  # (lines done, lines in all)
Cancel = Callable[[], bool]


def stats_from_tables(data: Mapping[str, Any]) -> Stats:
    stats = Stats()
    for product_id, baskets, buyers in data["products"]:
        stats.baskets[product_id] = baskets
        stats.buyers[product_id] = buyers
    rows: dict[str, dict[int, dict[int, int]]] = {"basket": {}, "customer": {}}
    for kind, a, b, c in data["pairs"]:
        if kind in rows:
            rows[kind].setdefault(a, {})[b] = c
    for kind, kind_rows in rows.items():
        stats.add_pair_rows(kind, kind_rows)
    stats.rhythms = {unit: (buyers, dpa, spread) for unit, buyers, dpa, spread in data["rhythms"]}
    meta = data["meta"]
    stats.n_baskets = int(meta.get("baskets", 0))
    stats.n_customers = int(meta.get("customers", 0))
    stats.last_purchase_id = int(meta.get("last_purchase_id", 0))
    stats.beta = float(meta.get("beta", 1.0))
    stats.sigma = float(meta.get("sigma", stats.sigma))
    try:
        stats.season = Season.from_json(json.loads(meta.get("season", "{}")))
    except (ValueError, TypeError, AttributeError):
        stats.season = Season()  # statistics stored before the time of year was counted: none until a rebuild
    return stats


def weights_from_meta(meta: Mapping[str, str]) -> Weights:
    try:
        raw = json.loads(meta.get("weights", "{}"))
    except ValueError:
        raw = {}
    known = {f.name for f in fields(Weights)}
    return Weights(**{k: float(v) for k, v in raw.items() if k in known})


def _tuning_still_good(old: Mapping[str, str], lines: int, now_iso: str) -> bool:
    """The weights tuned at most RETUNE_DAYS ago on a history at most 10% smaller are kept (tuning is the slow
    part of a rebuild, and weights move slowly)."""
    if "tuned_at" not in old or "weights" not in old:
        return False
    age = from_iso(now_iso) - from_iso(old["tuned_at"])
    return age.days < RETUNE_DAYS and lines <= 1.1 * int(old.get("tuned_lines", 0) or 0)


def rebuild(ctx: ShopContext, catalogue: Catalogue, offset_days: float, progress: Progress | None = None,
            cancel: Cancel | None = None, retune: bool = False) -> RebuildResult:
    """Recount everything from the purchase history, tune the blend on the shop's own recent past, and swap
    the new statistics in with one write. Cancelling leaves the old statistics untouched."""
    with collector_paused():  # millions of line tuples and counts, no cycles among them
        return _rebuild(ctx, catalogue, offset_days, progress, cancel, retune)


def _rebuild(ctx: ShopContext, catalogue: Catalogue, offset_days: float, progress: Progress | None,
             cancel: Cancel | None, retune: bool) -> RebuildResult:
    started = time.perf_counter()
    covered_seq = q.max_due_dirty_seq(ctx.db)  # read first: any change after it stays marked for readers
    last_purchase = q.max_purchase_id(ctx.db)
    # A sale recorded meanwhile is caught up later.
    lines: list[Line] = list(q.iter_lines_by_customer(ctx.db, offset_days, upto_purchase=last_purchase))
    total = len(lines)
    units: list[tuple[int, dict[str, Summary]]] = []
    stats = build_stats(lines, catalogue, (lambda done: progress(done, total)) if progress else None, cancel,
                        units_out=units, keep_singletons=False)
    if stats is None:
        return RebuildResult(cancelled=True)
    stats.last_purchase_id = max(stats.last_purchase_id, last_purchase)
    due_rows = due_cache.all_rows(units, q.list_current_customer_ids(ctx.db), catalogue, stats.population(),
                                  cancel)
    del units
    if due_rows is None:
        return RebuildResult(cancelled=True)
    old = q.get_stats_meta(ctx.db)
    weights, signal, tuned_at = Weights(), "due", ctx.now_iso()
    if lines and not retune and _tuning_still_good(old, total, ctx.now_iso()):
        weights, signal, tuned_at = weights_from_meta(old), old.get("reminder_signal", "due"), old["tuned_at"]
    elif lines:
        last_day = max(ln[2] for ln in lines)
        weights = calibrate(lines, catalogue, last_day + 1, 30, 3, sample=800)  # the counter looks 30 days ahead
        auc_due, auc_freq = due_vs_frequency(lines, catalogue, last_day + 1 - 14, stats.population(), 10_000)
        if auc_due is not None and auc_freq is not None and auc_freq > auc_due:
            signal = "frequency"
    if cancel is not None and cancel():
        return RebuildResult(cancelled=True)
    meta = {"built_at": ctx.now_iso(), "last_purchase_id": str(stats.last_purchase_id),
            "baskets": str(stats.n_baskets), "customers": str(stats.n_customers), "lines": str(total),
            "weights": json.dumps(asdict(weights)), "reminder_signal": signal, "beta": repr(stats.beta),
            "sigma": repr(stats.sigma), "season": json.dumps(stats.season.to_json()), "tuned_at": tuned_at,
            "tuned_lines": old.get("tuned_lines", str(total)) if tuned_at == old.get("tuned_at") else str(total),
            **due_cache.cache_meta(catalogue, covered_seq, lines)}
    products = [(p, stats.baskets[p], stats.buyers.get(p, 0)) for p in stats.baskets]
    with ctx.write():
        q.replace_stats(ctx.db, products, stats.pair_rows(), [(u, *v) for u, v in stats.rhythms.items()],
                        meta)
        q.replace_due(ctx.db, due_rows, covered_seq)
        counter_reads.delete_hints(ctx.db)  # ranked with the statistics just replaced
    seconds = round(time.perf_counter() - started, 2)
    if progress:
        progress(total, total)
    return RebuildResult(cancelled=False, lines=total, baskets=stats.n_baskets, customers=stats.n_customers,
                         products=len(products), pairs=sum(1 for _ in stats.pair_rows()),
                         rhythms=len(stats.rhythms), weights=asdict(weights), reminder_signal=signal,
                         tuned_at=tuned_at, size_elasticity=round(stats.beta, 3), refill_rhythms=len(due_rows),
                         seconds=seconds)
