"""The import job: read a POS export, write its sales in batches, report every row it did not import."""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from db import import_queries as iq
from loyalty_app.context import new_uuid
from loyalty_app.disk_full import is_disk_full
from loyalty_app.errors import ShopUnavailable, ValidationError
from loyalty_app.importers import (
    generic,
    loyverse_items,
    shopify_orders,
    square_items,
    square_transactions,
)
from loyalty_app.importers.csv_reader import CsvSource
from loyalty_app.importers.customers_import import import_customers
from loyalty_app.importers.date_order import date_columns, file_date_order
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.importers.detect import resolve_format
from loyalty_app.importers.options import (
    Cancelled,
    DryRun,
    ImportOptions,
    ImportSummary,
    Progress,
    ReportWriter,
    default_report_path,
)
from loyalty_app.importers.records import Basket, Parsed, ParseOptions, Problem
from loyalty_app.importers.values import day_first_for_region
from loyalty_app.importers.writer import BatchWriter, Counts

PARSERS: dict[str, tuple[str, Callable[[CsvSource, ParseOptions], Parsed]]] = {
    "square-items": (square_items.SOURCE, square_items.parse),
    "square-transactions": (square_transactions.SOURCE, square_transactions.parse),
    "shopify-orders": (shopify_orders.SOURCE, shopify_orders.parse),
    "loyverse-items": (loyverse_items.SOURCE, loyverse_items.parse),
    "generic": (generic.SOURCE, generic.parse),
}
CUSTOMER_FORMATS = ("square-customers", "shopify-customers")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_options(shop: ImportDeps, opts: ImportOptions) -> ParseOptions:
    day_first = opts.day_first if opts.day_first is not None else day_first_for_region(shop.ctx.region)
    return ParseOptions(zone=shop.ctx.zone, day_first=day_first, region=shop.ctx.region,
                        currency=shop.ctx.currency, mapping=dict(opts.mapping), transactions=opts.transactions)


def _dates_of(src: CsvSource, fmt: str, popts: ParseOptions, opts: ImportOptions
              ) -> tuple[ParseOptions, Problem | None]:
    """The file's own date order (see date_order), and a warning for the report when it is not the shop's."""
    order = file_date_order(src, date_columns(fmt, opts.mapping), popts.day_first)
    if order.proof is None or order.day_first == popts.day_first:
        return popts, None
    row, text = order.proof
    first, other = ("day", "month") if order.day_first else ("month", "day")
    if opts.day_first is not None:
        raise ValidationError(f"dates were to be read {other} first, but row {row}'s '{text}' can only be {first} "
                              f"first: import the file with its dates read {first} first. Nothing was imported.")
    return replace(popts, day_first=order.day_first), Problem(row, "warning", (
        f"this file's dates are read {first} first, as '{text}' in row {row} shows (this shop's region writes "
        f"them {other} first)"), [])


def import_file(shop: ImportDeps, file: Path, opts: ImportOptions, *, progress: Progress | None = None,
                cancelled: Cancelled | None = None) -> ImportSummary:
    if not file.is_file():
        raise ValidationError(f"{file} is not a file")
    src = CsvSource(file)
    header = src.read_header()
    fmt = resolve_format(opts.format, header, bool(opts.mapping))
    if fmt in CUSTOMER_FORMATS:
        return import_customers(shop, src, fmt, opts, progress=progress, cancelled=cancelled)
    source, parser = PARSERS[fmt]
    if fmt == "generic" and opts.source:
        source = f"csv:{opts.source.strip().lower()}"
    popts, note = _dates_of(src, fmt, parse_options(shop, opts), opts)
    summary = ImportSummary(str(file), fmt, source, opts.dry_run)
    report = ReportWriter(opts.report or default_report_path(file), header)
    parsed = parser(src, popts)
    job = _Job(shop, src, itertools.chain([note], parsed) if note else parsed, source, opts, summary, report,
               progress, cancelled)
    try:
        try:
            job.run()
        finally:
            report.close()
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        raise ShopUnavailable(f"the disk is full: the import's error report {report.path} could not be written. "
                              "What was imported is kept (importing the file again adds only what is missing): free "
                              "some space and import it again for the report.") from exc
    return summary


class _Job:
    def __init__(self, shop: ImportDeps, src: CsvSource, parsed: Parsed, source: str, opts: ImportOptions,
                 summary: ImportSummary, report: ReportWriter, progress: Progress | None,
                 cancelled: Cancelled | None) -> None:
        self.shop, self.src, self.parsed, self.opts = shop, src, parsed, opts
        self.summary, self.report = summary, report
        self.progress, self.cancelled = progress, cancelled
        self.writer = BatchWriter(shop, source, award_points=opts.award_points)
        self.run_id: int | None = None
        self.rows = 0
        self.pending: list[tuple[int, int, str, str, str]] = []

    def run(self) -> None:
        started = time.perf_counter()
        ctx = self.shop.ctx
        if not self.opts.dry_run:
            self._start_run()
        try:
            if self.opts.dry_run:
                with ctx.write():  # one transaction for the whole dry run, rolled back at the end
                    self._loop()
                    raise DryRun
            else:
                self._loop()
        except DryRun:
            self.summary.status = "dry-run"
        except BaseException:
            self._finish("failed")
            raise
        w = self.writer
        self.summary.customers_created = len(w.customers.created)
        self.summary.customers_linked = len(w.customers.linked)
        self.summary.products_created = w.products.created
        self.summary.report = str(self.report.path) if self.report.written else None
        self.summary.seconds = round(time.perf_counter() - started, 3)
        if not self.opts.dry_run:
            self._finish(self.summary.status)

    def _batches(self) -> Iterator[list[Basket]]:
        batch: list[Basket] = []
        lines = 0
        for item in self.parsed:
            if isinstance(item, Problem):
                if item.level != "warning":
                    self.rows += 1
                self._problem(item)
                continue
            batch.append(item)
            lines += len(item.lines)
            self.rows += len(item.rows)
            if lines >= self.opts.batch_lines:
                yield batch
                batch, lines = [], 0
        if batch:
            yield batch

    def _loop(self) -> None:
        ctx = self.shop.ctx
        for batch in self._batches():
            counts = Counts()
            with ctx.write():
                self.writer.write(batch, counts)
                for p in counts.problems:
                    self._problem(p)
                self._save_progress(counts)
            self.summary.rows_read = self.rows
            if self.progress:
                self.progress(self.src.position(), self.src.size)
            if self.cancelled and self.cancelled():
                self.summary.status = "cancelled"
                return
        self.summary.rows_read = self.rows  # rows after the last batch (all of them, when every one was refused)
        self._flush_problems()
        if self.progress:
            self.progress(self.src.size, self.src.size)

    def _problem(self, p: Problem) -> None:
        s = self.summary
        if p.level == "rejected":
            s.rejected += 1
        elif p.level == "skipped":
            s.skipped += 1
        else:
            s.warnings += 1
        self.report.write(p)
        if self.run_id is not None:
            self.pending.append((self.run_id, p.row, p.level, p.reason, json.dumps(p.fields)[:10000]))

    def _flush_problems(self) -> None:
        if self.pending and self.run_id is not None and not self.opts.dry_run:
            with self.shop.ctx.write():
                iq.insert_rejects(self.shop.ctx.db, self.pending)
            self.pending = []

    def _save_progress(self, c: Counts) -> None:
        s = self.summary
        s.lines_imported += c.lines_imported
        s.duplicates += c.duplicates
        s.returns_imported += c.returns_imported
        s.points_awarded += c.points_awarded
        s.points_reversed += c.points_reversed
        if self.run_id is not None:
            if self.pending:
                iq.insert_rejects(self.shop.ctx.db, self.pending)
                self.pending = []
            iq.update_run(self.shop.ctx.db, self.run_id, self._counters())

    def _counters(self) -> dict[str, Any]:
        s = self.summary
        return {"rows_read": s.rows_read, "lines_imported": s.lines_imported, "duplicates": s.duplicates,
                "rejected": s.rejected, "skipped": s.skipped, "warnings": s.warnings,
                "customers_created": len(self.writer.customers.created),
                "customers_linked": len(self.writer.customers.linked), "products_created": self.writer.products.created}

    def _start_run(self) -> None:
        ctx = self.shop.ctx
        opts = {"day_first": self.opts.day_first, "award_points": self.opts.award_points,
                "mapping": self.opts.mapping, "transactions": str(self.opts.transactions or "")}
        with ctx.write():
            self.run_id = iq.insert_run(ctx.db, {
                "uuid": new_uuid(), "file_name": self.src.path.name, "file_sha256": file_sha256(self.src.path),
                "format": self.summary.format, "source": self.summary.source, "options": json.dumps(opts),
                "status": "running", "started_at": ctx.now_iso(), "staff_id": ctx.staff_id()})
        self.summary.run_id = self.run_id

    def _finish(self, status: str) -> None:
        if self.run_id is None:
            return
        ctx = self.shop.ctx
        with ctx.write():
            if self.pending:
                iq.insert_rejects(ctx.db, self.pending)
                self.pending = []
            iq.update_run(ctx.db, self.run_id, {**self._counters(), "status": status, "finished_at": ctx.now_iso(),
                                                "report_path": self.summary.report})
            ctx.audit("import.run", self.src.path.name, {k: v for k, v in asdict(self.summary).items()
                                                         if k not in ("file", "report")})
