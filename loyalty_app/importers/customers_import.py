"""The POS's customer list (Square's directory, Shopify's customers export): link POS ids to phones and emails."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from loyalty_app.errors import LoyaltyError, ValidationError
from loyalty_app.importers import values as v
from loyalty_app.importers.csv_reader import CsvSource
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.importers.options import (
    Cancelled,
    DryRun,
    ImportOptions,
    ImportSummary,
    Progress,
    ReportWriter,
    default_report_path,
)
from loyalty_app.importers.records import Columns, Person, Problem, checked_records
from loyalty_app.importers.resolver import CustomerResolver

SUBSCRIBED = {"subscribed", "yes", "true", "1", "opted in", "opted_in"}
UNSUBSCRIBED = {"unsubscribed", "no", "false", "0", "opted out", "not subscribed"}
BATCH = 500


@dataclass(slots=True)
class CustomerRow:
    row: int
    fields: list[str]
    person: Person
    consent: bool | None  # None: the export does not say


def _rows(src: CsvSource, fmt: str, region: str) -> Iterator[CustomerRow | Problem]:
    cols = Columns(src.read_header())
    square = fmt == "square-customers"
    if square and not cols.has("Square Customer ID"):
        raise ValidationError("not a Square customer directory export: no Square Customer ID column")
    if not square and not cols.has("Email"):
        raise ValidationError("not a Shopify customers export: no Email column")
    first, last = cols.getter("First Name"), cols.getter("Last Name")
    email = cols.getter("Email Address", "Email")
    phone = cols.getter("Phone Number", "Phone")
    pos_id = cols.getter("Square Customer ID") if square else (lambda f: "")
    consent = cols.getter("Email Subscription Status", "Accepts Email Marketing", "Accepts Marketing")
    width = len(cols.header)
    for rec in checked_records(src, width):
        if isinstance(rec, Problem):
            yield rec
            continue
        row, f = rec
        e164, phone_problem = v.phone_or_none(phone(f), region)
        mail = v.email_or_none(email(f))
        if phone_problem:
            yield Problem(row, "warning" if (mail or pos_id(f).strip()) else "rejected",
                          f"{phone_problem}; the phone was left out", f)
        name = " ".join(x for x in (v.text(first(f)), v.text(last(f))) if x) or None
        person = Person(v.text(pos_id(f)), name, e164, mail)
        if not person.identified:
            if not phone_problem:
                yield Problem(row, "rejected", "no phone, email or POS customer id: nothing identifies this person",
                              f)
            continue
        c = consent(f).strip().lower()
        yield CustomerRow(row, f, person, True if c in SUBSCRIBED else False if c in UNSUBSCRIBED else None)


def import_customers(shop: ImportDeps, src: CsvSource, fmt: str, opts: ImportOptions, *, progress: Progress | None,
                     cancelled: Cancelled | None) -> ImportSummary:
    source = "square" if fmt == "square-customers" else "shopify"
    summary = ImportSummary(str(src.path), fmt, source, opts.dry_run)
    report = ReportWriter(opts.report or default_report_path(src.path), src.read_header())
    resolver = CustomerResolver(shop, source)
    started = time.perf_counter()

    def note(p: Problem) -> None:
        if p.level == "rejected":
            summary.rejected += 1
        else:
            summary.warnings += 1
        report.write(p)

    def apply(batch: list[CustomerRow]) -> None:
        for r in batch:
            try:
                with shop.ctx.write():
                    before = resolver.find(r.person)
                    if before is not None and r.person.pos_id and resolver.by_pos.get(r.person.pos_id) == before:
                        summary.duplicates += 1
                    cid = resolver.resolve(r.person, email_consent=bool(r.consent))
                    assert cid is not None
                    _consent(shop, cid, r.consent, source, before is not None)
                    summary.lines_imported += 1
            except LoyaltyError as exc:
                note(Problem(r.row, "rejected", str(exc), r.fields))

    def loop() -> None:
        batch: list[CustomerRow] = []
        for item in _rows(src, fmt, shop.ctx.region):
            if isinstance(item, Problem):
                summary.rows_read += item.level != "warning"
                note(item)
                continue
            summary.rows_read += 1
            batch.append(item)
            if len(batch) >= BATCH:
                with shop.ctx.write():
                    apply(batch)
                batch = []
                if progress:
                    progress(src.position(), src.size)
                if cancelled and cancelled():
                    summary.status = "cancelled"
                    return
        with shop.ctx.write():
            apply(batch)

    try:
        if opts.dry_run:
            try:
                with shop.ctx.write():
                    loop()
                    raise DryRun
            except DryRun:
                summary.status = "dry-run"
        else:
            loop()
            with shop.ctx.write():
                shop.ctx.audit("import.customers", src.path.name, {"created": len(resolver.created),
                                                                    "linked": len(resolver.linked)})
    finally:
        report.close()
    summary.customers_created = len(resolver.created)
    summary.customers_linked = len(resolver.linked)
    summary.report = str(report.path) if report.written else None
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def _consent(shop: ImportDeps, cid: int, consent: bool | None, source: str, existed: bool) -> None:
    """Subscriptions from the POS are recorded as consent; an unsubscribe there withdraws it here too."""
    if consent is None or not existed:
        return
    c = shop.customers.get(cid)
    if consent and c.email and not c.email_consent:
        shop.customers.set_email_consent(cid, True, source=f"import:{source}")
    elif not consent and c.email_consent:
        shop.customers.set_email_consent(cid, False, source=f"import:{source}")

