"""Opening the shop's SQLite file safely: pragmas, sanity checks, migrations with a backup first."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from db.backup import backup_to
from db.migrations import MIGRATIONS

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """A database problem a person can act on; the message says what and what to do."""


class NotADatabase(DatabaseError):
    pass


class SchemaTooNew(DatabaseError):
    pass


class DatabaseLocked(DatabaseError):
    pass


class DatabaseCorrupt(DatabaseError):
    pass


def _check_header(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != SQLITE_HEADER:
        raise NotADatabase(f"{path} is not a Loyalty Desk database (not an SQLite file); nothing was changed.")


def _connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def is_locked_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower()


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() not in ("wal", "memory"):
        raise DatabaseError(f"could not switch the database to WAL mode (got {mode}); is it on a network share?")
    conn.execute("PRAGMA synchronous = FULL")


def _unknown_applied(db: Database) -> list[str]:
    known = {m.name for m in MIGRATIONS._migrations}
    return [m.name for m in MIGRATIONS.applied(db) if m.name not in known]


def open_database(path: Path | str, *, backup_dir: Path | None = None, migrate: bool = True) -> Database:
    """Open (creating if needed) the shop database, refusing files it must not touch.

    Raises NotADatabase, SchemaTooNew, DatabaseLocked or DatabaseCorrupt with a message for a person.
    Before applying pending migrations to an existing database, a backup is taken with SQLite's
    online backup API into ``backup_dir`` (default: a ``backups`` folder beside the file).
    """
    memory = str(path) == ":memory:"
    p = Path(path)
    if not memory:
        _check_header(p)
        new_file = not p.exists()
        if new_file:
            p.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(p, os.O_CREAT | os.O_WRONLY, 0o600)  # readable by its user only
            os.close(fd)
    conn = _connect(path)
    try:
        _configure(conn)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if is_locked_error(exc):
            raise DatabaseLocked(
                f"{path} is locked by another program (waited {BUSY_TIMEOUT_MS // 1000} s); close it and try again."
            ) from exc
        if isinstance(exc, sqlite3.OperationalError):
            raise DatabaseError(f"cannot open {path}: {exc}") from exc
        raise NotADatabase(f"{path} is not a usable database ({exc}); nothing was changed.") from exc
    db = Database(conn)
    if not migrate:
        return db
    try:
        unknown = _unknown_applied(db)
        if unknown:
            db.close()
            raise SchemaTooNew(
                f"{path} was written by a newer version of Loyalty Desk (schema {unknown[-1]}); "
                "install the newer version to open it. Nothing was changed."
            )
        pending = MIGRATIONS.pending(db)
        if pending and not memory and _has_user_tables(db):
            folder = backup_dir or p.parent / "backups"
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            backup_to(conn, folder / f"{p.stem}-before-{pending[0].name}-{stamp}.sqlite")
        if pending:
            with _immediate(conn):
                MIGRATIONS.apply(db)
    except sqlite3.OperationalError as exc:
        db.close()
        if is_locked_error(exc):
            raise DatabaseLocked(f"{path} is locked by another program; close it and try again.") from exc
        raise
    return db


def _has_user_tables(db: Database) -> bool:
    return any(not t.startswith("_sqlite") for t in db.table_names())


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    # Migrations run inside their own transactions; this only proves nobody else holds the write lock.
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("COMMIT")
    yield


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One write transaction taken with BEGIN IMMEDIATE, so two counters never interleave a read-check-write.

    Nested calls become savepoints. A lock held past the busy timeout raises DatabaseLocked.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_locked_error(exc):
            raise DatabaseLocked("the database is busy with another counter; please try again.") from exc
        raise
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
