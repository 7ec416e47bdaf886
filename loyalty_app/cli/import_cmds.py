"""`loyalty import`: sales and customers from POS exports, once or from a watch folder."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from loyalty_app.cli.common import UsageError, cashier, count_arg, emit, json_parent, shop_from_args
from loyalty_app.importers.detect import FORMATS
from loyalty_app.importers.generic import FIELDS as MAP_FIELDS
from loyalty_app.importers.generic import parse_mapping
from loyalty_app.importers.options import ImportOptions, ImportSummary, read_report


def register(sub: Any) -> None:
    p = sub.add_parser("import", parents=[json_parent()], help="import sales or customers from a POS export",
                       description="Import a Square, Shopify, Loyverse or mapped CSV export. Importing the same "
                                   "file again adds nothing; rejected rows go to an error report CSV.")
    p.add_argument("file", nargs="?", type=Path, help="the export (CSV)")
    p.add_argument("--format", default="auto", choices=["auto", *FORMATS])
    p.add_argument("--map", metavar="FIELD=COL,...", help="generic CSV: which column holds each field, from "
                                                          f"{', '.join(f + '=' for f in MAP_FIELDS)}")
    p.add_argument("--preset", metavar="NAME", help="use a saved column mapping")
    p.add_argument("--save-preset", metavar="NAME", help="save --map (and --day-first) under this name")
    p.add_argument("--source", metavar="NAME", help="generic CSV: name of the till (keeps receipt numbers apart)")
    p.add_argument("--transactions", type=Path, metavar="FILE",
                   help="Square: the Transactions export to join with the Items export")
    p.add_argument("--day-first", action="store_true", default=None, help="read 01/02/2026 as 1 February")
    p.add_argument("--month-first", dest="day_first", action="store_false", help="read 01/02/2026 as January 2")
    p.add_argument("--dry-run", action="store_true", help="show what would happen; change nothing")
    p.add_argument("--no-points", action="store_true", help="old history: record the sales without points")
    p.add_argument("--report", type=Path, metavar="FILE", help="error report CSV (default: FILE-report.csv)")
    p.add_argument("--progress", action="store_true", help="print progress to stderr after each committed batch")
    p.add_argument("--batch-lines", type=count_arg, default=5000, metavar="N", help="lines per committed batch")
    p.add_argument("--watch", type=Path, metavar="DIR", help="import every export dropped in DIR")
    p.add_argument("--once", action="store_true", help="with --watch: one pass, then exit (for cron)")
    p.add_argument("--set-watch-folder", metavar="DIR", help="the folder the desktop app imports from every few "
                                                              "minutes ('' to stop)")
    p.set_defaults(func=cmd_import)


def _options(args: argparse.Namespace, shop: Any) -> ImportOptions:
    mapping = parse_mapping(args.map) if args.map else {}
    day_first = args.day_first
    fmt = args.format
    if args.preset:
        preset = shop.imports.get_preset(args.preset)
        mapping = {**preset.mapping, **mapping}
        day_first = preset.day_first if day_first is None else day_first
        fmt = preset.format if fmt == "auto" else fmt
    if args.save_preset:
        if not mapping:
            raise UsageError("--save-preset needs --map")
        shop.imports.save_preset(args.save_preset, "generic", mapping, day_first)
    return ImportOptions(format=fmt, mapping=mapping, day_first=day_first, dry_run=args.dry_run,
                         award_points=not args.no_points, report=args.report, transactions=args.transactions,
                         source=args.source, batch_lines=max(1, args.batch_lines))


def cmd_import(args: argparse.Namespace) -> int:
    if args.set_watch_folder is not None:
        shop = shop_from_args(args)
        try:
            folder = str(Path(args.set_watch_folder).resolve()) if args.set_watch_folder else ""
            if folder and not Path(folder).is_dir():
                raise UsageError(f"{folder} is not a folder")
            shop.imports.set_watch_folder(folder)
            emit(args, {"watch_folder": folder or None},
                 f"The app imports exports dropped in {folder}" if folder else "No watch folder")
        finally:
            shop.close()
        return 0
    if (args.file is None) == (args.watch is None):
        raise UsageError("give either an export FILE or --watch DIR")
    shop = shop_from_args(args)
    try:
        cashier(shop)
        opts = _options(args, shop)
        if args.watch is not None:
            if not args.once:
                raise UsageError("--watch runs one pass with --once (schedule it with cron); the desktop app "
                                 "watches the folder itself")
            results = shop.imports.scan_folder(args.watch, opts)
            emit(args, results,
                 "\n".join(_text(r) for r in results) or f"nothing to import in {args.watch}")
            return 1 if any(r.status == "failed" for r in results) else 0
        summary = shop.imports.import_file(args.file, opts, progress=_print_progress if args.progress else None)
        emit(args, summary, _text(summary))
    finally:
        shop.close()
    return 0


SHOWN_PROBLEMS = 5  # the first rows of the report, printed under the summary


def _print_progress(done: int, total: int) -> None:
    print(f"progress: {done} of {total} bytes committed ({100 * done // max(total, 1)}%)", file=sys.stderr,
          flush=True)


def _text(s: ImportSummary | Any) -> str:
    d = dataclasses.asdict(s)
    head = f"{Path(d['file']).name} ({d['format']}){' — dry run, nothing changed' if d['dry_run'] else ''}"
    if d.get("status") == "failed":
        return f"{head}: failed: {d.get('error')}"
    verb = "would be imported" if d["dry_run"] else "imported"
    body = (f"  {d['lines_imported']} lines {verb}, {d['duplicates']} already imported, {d['rejected']} rejected, "
            f"{d['skipped']} skipped, {d['warnings']} warnings\n"
            f"  customers: {d['customers_created']} new, {d['customers_linked']} linked; "
            f"new products (flagged for review): {d['products_created']}")
    if d.get("report"):
        body += f"\n  report: {d['report']}"
        try:
            lines, total = read_report(d["report"], limit=SHOWN_PROBLEMS)
        except OSError:  # moved or deleted since: its path above is all there is to show
            lines, total = [], 0
        body += "".join(f"\n    row {ln.row}, {ln.level}: {ln.reason}" for ln in lines)
        if total > len(lines):
            body += f"\n    ... and {total - len(lines)} more in the report"
    return f"{head}\n{body}"
