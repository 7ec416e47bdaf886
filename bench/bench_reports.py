"""Owner reports over the benchmark shop: each must compute in under 500 ms (median and p95 over runs)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

from bench.common import benchmark_shop, percentiles, table, time_calls

TARGET_MS = 500
REPEAT = 7


def run() -> dict[str, object]:
    from loyalty_app.shop import open_shop

    path = Path(os.environ.get("LOYALTY_BENCH_REPORTS_SHOP") or benchmark_shop())
    shop = open_shop(path)
    try:
        who = shop.staff.verify_owner(os.environ.get("LOYALTY_BENCH_PIN", "1234"))
        end = shop.reports.today()
        periods = {"month": (end - timedelta(days=29), end), "quarter": (end - timedelta(days=90), end),
                   "year": (end - timedelta(days=364), end)}
        stores = [None, *shop.reports.stores()[:1]]
        rows: list[tuple[str, dict[str, float]]] = []
        for kind in ("popular", "customers", "points"):
            for label, (start, stop) in periods.items():
                # Popular items and customers for one store too in every period (their summaries are per store).
                for store in stores if label == "month" or kind != "points" else [None]:
                    period = shop.reports.period(start, stop, store)
                    shop.reports.run(kind, period, actor=who)  # warm the page cache once
                    samples = time_calls(lambda p=period, k=kind: shop.reports.run(k, p, actor=who), REPEAT)
                    rows.append((f"{kind} {label} {store or 'all stores'}", percentiles(samples)))
        # Refills look 14 days ahead whatever the period: the rebuilt rhythms, counted by product.
        period = shop.reports.period(end, end)
        samples = time_calls(lambda: shop.reports.run("refill", period, actor=who), REPEAT)
        rows.append(("refill, next 14 days", percentiles(samples)))
        # The points report with expiry on (the shop's own program may have none): ageing reads the ledger.
        from loyalty_app.points_rules import PointsProgram
        from loyalty_app.reports import points as points_report
        from loyalty_app.reports.model import ReportHeader

        expiring = PointsProgram(expiry_mode="after_earning", expiry_months=12)
        period = shop.reports.period(end - timedelta(days=364), end)
        header = ReportHeader("bench", "USD", period, shop.ctx.now_iso())
        samples = time_calls(lambda: points_report.build(shop.ctx.db, header, shop.ctx.zone, expiring, end, ""),
                             REPEAT)
        rows.append(("points year, expiry after 12 months", percentiles(samples)))
        worst = max(r["p95_ms"] for _, r in rows)
        print(table(f"Reports over {path.name} (target < {TARGET_MS} ms each)", rows))
        print(f"  worst p95 {worst:.1f} ms: {'OK' if worst < TARGET_MS else 'TOO SLOW'}")
        return {"rows": dict(rows), "worst_p95_ms": worst, "target_ms": TARGET_MS, "as_of": date.today().isoformat()}
    finally:
        shop.close()
