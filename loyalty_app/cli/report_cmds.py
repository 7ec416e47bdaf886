"""`loyalty report popular|customers|points|refill`: the owner's reports as text, JSON, CSV or PDF (owner)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from loyalty_app.cli.common import owner, shop_from_args
from loyalty_app.errors import ValidationError
from loyalty_app.reports import REPORTS, as_plain
from loyalty_app.reports.export import format_value, page_size_for, sheet_csv, sheet_pdf
from loyalty_app.reports.model import ReportSheet


def register(sub: Any) -> None:
    rep = sub.add_parser("report", help="owner reports: popular, customers, points, refill (owner)")
    rsub = rep.add_subparsers(dest="report_kind", metavar="REPORT")
    rsub.required = True
    for kind, title in REPORTS.items():
        p = rsub.add_parser(kind, help=title)
        p.add_argument("--from", dest="start", metavar="DATE", help="first day, e.g. 2026-10-01 (default: 1st "
                       "of this month)")
        p.add_argument("--to", dest="end", metavar="DATE", help="last day, included (default: today)")
        p.add_argument("--store", metavar="NAME", help="one store (default: all stores)")
        p.add_argument("--json", action="store_true", help="print the report's data as JSON")
        p.add_argument("--csv", metavar="FILE", help="write a spreadsheet-safe CSV file")
        p.add_argument("--pdf", metavar="FILE", help="write a PDF")
        p.set_defaults(func=cmd_report)


def as_text(sheet: ReportSheet) -> str:
    cur = sheet.currency
    out = [f"{sheet.title} — {sheet.shop_name} — {sheet.store_label} — {sheet.period_label}", ""]
    out += [f"  {f.label:<28} {format_value(f.kind, f.value, cur)}" for f in sheet.figures]
    for t in sheet.tables:
        out += ["", t.title]
        if not t.rows:
            out.append(f"  {t.empty_text}")
            continue
        cells = [[c.title for c in t.columns]] + [
            [format_value(c.kind, v, cur) for c, v in zip(t.columns, row, strict=True)] for row in t.rows]
        widths = [min(max(len(r[i]) for r in cells), 36) for i in range(len(t.columns))]
        for r in cells:
            out.append("  " + "  ".join(
                (v[:w].rjust(w) if c.kind not in ("text", "date") else v[:w].ljust(w))
                for v, w, c in zip(r, widths, t.columns, strict=True)).rstrip())
    out += [""] + sheet.notes
    return "\n".join(out)


def cmd_report(args: argparse.Namespace) -> int:
    shop = shop_from_args(args)
    try:
        who = owner(shop, "reports")
        period = shop.reports.period(args.start, args.end, args.store)
        data, sheet = shop.reports.run(args.report_kind, period, actor=who)
        wrote = []
        if args.csv:
            Path(args.csv).write_text(sheet_csv(sheet), encoding="utf-8-sig", newline="")
            wrote.append(args.csv)
        if args.pdf:
            Path(args.pdf).write_bytes(sheet_pdf(sheet, page_size_for(shop.ctx.region)))
            wrote.append(args.pdf)
        if args.json:
            import json
            print(json.dumps(as_plain(data), indent=2, ensure_ascii=False))
        elif wrote:
            print(f"{sheet.title} ({sheet.period_label}) written to {', '.join(wrote)}")
        else:
            print(as_text(sheet))
    except OSError as exc:
        raise ValidationError(f"cannot write the file: {exc.strerror} ({exc.filename})") from exc
    finally:
        shop.close()
    return 0
