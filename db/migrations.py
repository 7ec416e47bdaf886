"""The schema's history as sqlite-utils Migrations. Shipped migrations are never edited; add a new one."""

from __future__ import annotations

import sqlite3
from importlib import resources

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("loyalty_desk")


def _run_sql_file(db: Database, name: str) -> None:
    sql = resources.files("db").joinpath("schema", name).read_text(encoding="utf-8")
    # executescript() would COMMIT the migration's transaction, so statements run one by one.
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.execute(buffer)
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        db.execute(buffer)


@MIGRATIONS(name="0001_initial")
def m0001_initial(db: Database) -> None:
    _run_sql_file(db, "0001_initial.sql")


@MIGRATIONS(name="0002_suggestion_stats")
def m0002_suggestion_stats(db: Database) -> None:
    _run_sql_file(db, "0002_suggestion_stats.sql")


@MIGRATIONS(name="0004_mail")
def m0004_mail(db: Database) -> None:
    _run_sql_file(db, "0004_mail.sql")


@MIGRATIONS(name="0005_report_indexes")
def m0005_report_indexes(db: Database) -> None:
    _run_sql_file(db, "0005_report_indexes.sql")


@MIGRATIONS(name="0003_imports")
def m0003_imports(db: Database) -> None:
    _run_sql_file(db, "0003_imports.sql")


@MIGRATIONS(name="0007_sync")
def m0007_sync(db: Database) -> None:
    _run_sql_file(db, "0007_sync.sql")


@MIGRATIONS(name="0008_report_summaries")
def m0008_report_summaries(db: Database) -> None:
    # The backfill sorts millions of rows on a big shop: a larger page cache for it keeps that off the disk.
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -262144")
    try:
        _run_sql_file(db, "0008_report_summaries.sql")
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache)}")


@MIGRATIONS(name="0009_refill_cache")
def m0009_refill_cache(db: Database) -> None:
    _run_sql_file(db, "0009_refill_cache.sql")


@MIGRATIONS(name="0010_points_ageing_index")
def m0010_points_ageing_index(db: Database) -> None:
    _run_sql_file(db, "0010_points_ageing_index.sql")


@MIGRATIONS(name="0011_sync_faults")
def m0011_sync_faults(db: Database) -> None:
    _run_sql_file(db, "0011_sync_faults.sql")


@MIGRATIONS(name="0012_pos_connections")
def m0012_pos_connections(db: Database) -> None:
    _run_sql_file(db, "0012_pos_connections.sql")


@MIGRATIONS(name="0013_consent_types")
def m0013_consent_types(db: Database) -> None:
    _run_sql_file(db, "0013_consent_types.sql")


@MIGRATIONS(name="0014_mail_drafts")
def m0014_mail_drafts(db: Database) -> None:
    _run_sql_file(db, "0014_mail_drafts.sql")


@MIGRATIONS(name="0015_customer_tags")
def m0015_customer_tags(db: Database) -> None:
    _run_sql_file(db, "0015_customer_tags.sql")


@MIGRATIONS(name="0016_counter_hints")
def m0016_counter_hints(db: Database) -> None:
    _run_sql_file(db, "0016_counter_hints.sql")


@MIGRATIONS(name="0017_unsubscribe_link_previews")
def m0017_unsubscribe_link_previews(db: Database) -> None:
    _run_sql_file(db, "0017_unsubscribe_link_previews.sql")
