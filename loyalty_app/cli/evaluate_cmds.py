"""`loyalty evaluate`: how well the suggestions predict what customers buy next, against strong baselines."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from loyalty_app.cli.common import UsageError, count_arg, days_arg, emit, json_parent, opened_shop
from loyalty_app.suggestions.evaluation import Evaluation


def register(sub: Any) -> None:
    p = sub.add_parser("evaluate", parents=[json_parent()],
                       help="measure suggestions on this shop's history (time split) against baselines")
    p.add_argument("--holdout-days", type=days_arg, default=60, metavar="N",
                   help="the last N days are the test period")
    p.add_argument("--k", type=count_arg, default=5, help="list length for hit rate and recall")
    p.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace) -> int:
    if args.holdout_days < 1 or args.k < 1:
        raise UsageError("--holdout-days and --k must be at least 1")
    with opened_shop(args) as shop:
        if not args.json and sys.stderr.isatty():  # progress for a person; scripts get one line or none
            print(f"evaluating on {shop.path} ...", file=sys.stderr, flush=True)
        result = shop.suggestions.evaluate(args.holdout_days, args.k)
        emit(args, result, report_text(result))
    return 0


def _f(x: Any) -> str:
    return "-" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def report_text(r: Evaluation) -> str:
    k = r.split.k
    h, rc = f"hit@{k}", f"recall@{k}"
    s = r.split
    out = [f"Time split at {s.cutoff}: {s.train_lines} lines to learn from, {s.test_lines} in the last "
           f"{s.holdout_days} days to predict ({s.products} products).", ""]
    nxt, new = r.next_period, r.new_to_customer
    out.append(f"{'Next period (' + str(nxt.customers) + ' customers)':<46}{h:>10}{rc:>12}")
    for name, label in (("popularity", "global popularity"), ("personal_decay", "personal top-frequency, decay"),
                        ("ours", "ours")):
        m = nxt.methods.get(name)  # absent when no customer bought in both periods
        out.append(f"  {label:<44}{_f(m and m.hit):>10}{_f(m and m.recall):>12}")
    out.append(f"{'New to the customer (' + str(new.customers) + ' customers)':<46}{h:>10}{rc:>12}")
    for name, label in (("popularity_unbought", "popularity among unbought"), ("ours", "ours")):
        m = new.methods.get(name)
        out.append(f"  {label:<44}{_f(m and m.hit):>10}{_f(m and m.recall):>12}")
    cb = r.complete_basket
    out.append(f"{'Complete the basket (' + str(cb.baskets) + ' baskets)':<46}{h:>10}{'new ' + h:>12}")
    for name, rates in (("popularity", cb.popularity), ("ours", cb.ours)):
        out.append(f"  {name:<44}{_f(rates.hit):>10}{_f(rates.new_hit):>12}")
    for name, among in (("popularity", cb.among_unbought.popularity), ("ours", cb.among_unbought.ours)):
        label = f"{name}, only among products never bought"
        out.append(f"  {label:<44}{'':>10}{_f(among.new_hit):>12}")
    seasonal = cb.among_unbought.popularity_this_time_of_year.new_hit
    out.append(f"  {'this time of year, never bought (no target)':<44}{'':>10}{_f(seasonal):>12}")
    mae = r.refill_timing.mae_days
    out.append(f"Refill timing, MAE in days ({r.refill_timing.pairs} rebuys)")
    for value, label in ((mae.customer_median, "customer's median interval"),
                         (mae.product_median, "product's median interval"),
                         (mae.ours_unconditional, "ours, plain due date (clamped the same way)"), (mae.ours, "ours")):
        out.append(f"  {label:<44}{_f(value):>10}")
    due = r.due
    out.append(f"{'Buys within 14 days (' + str(due.pairs) + ' rhythms, ' + str(due.buyers) + ' buy)':<46}"
               f"{'AUC':>10}{'precision':>12}")
    for auc, precision, label in ((due.auc.frequency, due.precision.frequency, "purchase frequency"),
                                  (due.auc.due, due.precision.due, "ours (due ranking)")):
        out.append(f"  {label:<44}{_f(auc):>10}{_f(precision):>12}")
    out.append(f"  reminders use: {due.reminders_use} (chosen on the training period; AUC {_f(due.reminders_auc)})")
    t = r.timing
    out.append(f"Statistics built in {t.build_stats_s} s; one customer's ranking "
               f"{t.suggestion_ms['median']} ms median, {t.suggestion_ms['p95']} ms p95")
    out.append("")
    out.append("Targets:")
    for name, v in r.targets.items():
        verdict = "n/a   " if v.met is None else "met   " if v.met else "MISSED"
        out.append(f"  {verdict} {name}: ours {_f(v.ours)} vs {_f(v.baseline)}")
    if any(v.met is None for v in r.targets.values()):
        out.append("  (n/a: the history holds too little to judge that one, e.g. no customer buying in both periods)")
    return "\n".join(out)
