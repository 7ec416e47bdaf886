"""`loyalty report popular|customers|points|refill`: the owner's reports as text, JSON, CSV or PDF (owner)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from loyalty_app.cli.common import opened_shop, owner, write_output
from loyalty_app.reports import ALL_REPORTS, as_plain
from loyalty_app.reports.export import format_value, page_size_for, sheet_csv, sheet_pdf
from loyalty_app.reports.model import ReportSheet


def register(sub: Any) -> None:
    rep = sub.add_parser("report", help="owner reports: popular, customers, points, refill, emails (owner)")
    rsub = rep.add_subparsers(dest="report_kind", metavar="REPORT")
    rsub.required = True
    for kind, title in ALL_REPORTS.items():
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
    with opened_shop(args) as shop:
        who = owner(shop, "reading the owner reports")
        period = shop.reports.period(args.start, args.end, args.store)
        data, sheet = shop.reports.run(args.report_kind, period, actor=who)
        wrote = []
        if args.csv:
            # utf-8 with a byte-order mark, so spreadsheets read accented names right.
            write_output(args.csv, sheet_csv(sheet).encode("utf-8-sig"))
            wrote.append(args.csv)
        if args.pdf:
            write_output(args.pdf, sheet_pdf(sheet, page_size_for(shop.ctx.region)))
            wrote.append(args.pdf)
        if args.json:
            print(json.dumps(as_plain(data), indent=2, ensure_ascii=False))
        elif wrote:
            print(f"{sheet.title} ({sheet.period_label}) written to {', '.join(wrote)}")
        else:
            print(as_text(sheet))
    return 0
