"""Opening the shop's SQLite file safely: pragmas, sanity checks, migrations with a backup first."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from db.backup import backup_to, latest_good_backup, way_back
from db.migrations import MIGRATIONS
from db.sqlite_errors import is_not_a_database

BUSY_TIMEOUT_MS = 5000
BUSY_TIMEOUT_ENV = "LOYALTY_BUSY_TIMEOUT_MS"


def busy_timeout_ms() -> int:
    """How long a write waits for another counter's lock: $LOYALTY_BUSY_TIMEOUT_MS, else 5 s."""
    try:
        return max(0, int(os.environ.get(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT_MS)))
    except ValueError:
        return BUSY_TIMEOUT_MS


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


class DatabaseConflict(DatabaseError):
    """A write broke a uniqueness or other constraint (e.g. another counter saved the same phone a moment ago)."""


def _refuse_folder(path: Path) -> None:
    if path.is_dir():
        raise NotADatabase(f"{path} is a folder, not a Loyalty Desk database; nothing was changed.")


def _not_sqlite(path: Path) -> DatabaseError:
    """SQLite said the file is not a database: ours if a good backup of it exists beside it (then damaged).

    The file itself is never opened here with anything but SQLite: on POSIX, closing any other descriptor of it
    drops every lock this process holds on it, and another program would then take the live WAL for its own.
    """
    if latest_good_backup(path.parent / "backups", path.stem) is not None:
        return DatabaseCorrupt(f"{path} is damaged (SQLite cannot read its first page); nothing was "
                               "changed." + way_back(path))
    return NotADatabase(f"{path} is not a Loyalty Desk database (not a usable database file); nothing was changed.")


def _connect(path: Path | str, timeout_ms: int) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=timeout_ms / 1000, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def is_locked_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower()


def _configure(conn: sqlite3.Connection, timeout_ms: int) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
    conn.execute("PRAGMA foreign_keys = ON")
    # Read first: a file that is not a database (or is encrypted) fails here, before anything is written.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() not in ("wal", "memory"):
        raise DatabaseError(f"could not switch the database to WAL mode (got {mode}); is it on a network share?")
    conn.execute("PRAGMA synchronous = FULL")
    # A sale also writes the report summaries (about half again as many pages): checkpoints every 8 MB rather
    # than 4 MB keep them as rare per sale as before, so the sale that pays for one stays an exception.
    conn.execute("PRAGMA wal_autocheckpoint = 2000")


def _unknown_applied(db: Database) -> list[str]:
    known = {m.name for m in MIGRATIONS._migrations}
    return [m.name for m in MIGRATIONS.applied(db) if m.name not in known]


def open_database(path: Path | str, *, backup_dir: Path | None = None, migrate: bool = True,
                  busy_timeout: int | None = None) -> Database:
    """Open (creating if needed) the shop database, refusing files it must not touch.

    Raises NotADatabase, SchemaTooNew, DatabaseLocked or DatabaseCorrupt with a message for a person; in each
    case the file is left as it was. Before applying pending migrations to an existing database, a backup is
    taken with SQLite's online backup API into ``backup_dir`` (default: a ``backups`` folder beside the file).
    ``busy_timeout`` (ms) defaults to $LOYALTY_BUSY_TIMEOUT_MS, else 5 s.
    """
    timeout_ms = busy_timeout_ms() if busy_timeout is None else busy_timeout
    memory = str(path) == ":memory:"
    p = Path(path)
    if not memory:
        _refuse_folder(p)
        if not p.exists():
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(p, os.O_CREAT | os.O_WRONLY, 0o600)  # readable by its user only
            except OSError as exc:
                raise DatabaseError(f"cannot create {path}: {exc.strerror}") from exc
            os.close(fd)
    try:
        conn = _connect(path, timeout_ms)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    try:
        _configure(conn, timeout_ms)
        db = Database(conn)
        if migrate:
            _refuse_foreign(db, path)
        _switch_to_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        if migrate:
            _migrate(db, p, memory, backup_dir)
    except DatabaseError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        if is_locked_error(exc):
            raise DatabaseLocked(
                f"{path} is locked by another program (waited {timeout_ms / 1000:g} s); close it and try again."
            ) from exc
        problem = _storage_problem(exc)
        if problem:
            raise problem from exc
        if not memory and not os.access(p.parent, os.W_OK):
            raise DatabaseError(f"the folder {p.parent} can only be read (a locked USB stick or a read-only "
                                "folder), and the shop needs to write beside its file: nothing was changed. Move "
                                "the shop to a writable folder or unlock the drive.") from exc
        if isinstance(exc, sqlite3.OperationalError):
            raise DatabaseError(f"cannot open {path}: {exc}") from exc
        if is_not_a_database(exc) and not memory:
            raise _not_sqlite(p) from exc
        if "malformed" in str(exc).lower():
            raise DatabaseCorrupt(f"{path} is damaged ({exc}); nothing was changed." + way_back(p)) from exc
        raise NotADatabase(f"{path} is not a usable database ({exc}); nothing was changed.") from exc
    remember_file(db, path)
    return db


def _refuse_foreign(db: Database, path: Path | str) -> None:
    """A newer schema, or some other program's SQLite file, is refused before anything is written."""
    unknown = _unknown_applied(db)
    if unknown:
        raise SchemaTooNew(
            f"{path} was written by a newer version of Loyalty Desk (schema {unknown[-1]}); "
            "install the newer version to open it. Nothing was changed."
        )
    if _has_user_tables(db) and not MIGRATIONS.applied(db):
        raise NotADatabase(f"{path} is an SQLite file of another program, not a Loyalty Desk database; "
                           "nothing was changed.")


def _migrate(db: Database, p: Path, memory: bool, backup_dir: Path | None) -> None:
    pending = MIGRATIONS.pending(db)
    if not pending:
        return
    if not memory and _has_user_tables(db):
        folder = backup_dir or p.parent / "backups"
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup_to(db.conn, folder / f"{p.stem}-before-{pending[0].name}-{stamp}.sqlite")
    # One write transaction for all pending migrations: a second program opening the same new file waits,
    # then finds nothing left to do; a failure leaves the schema as it was.
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        MIGRATIONS.apply(db)
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _has_user_tables(db: Database) -> bool:
    return any(not t.startswith("_sqlite") and not t.startswith("sqlite_") for t in db.table_names())


def _storage_problem(exc: sqlite3.Error) -> DatabaseError | None:
    """A full disk, a read-only file or a failing disk, as one clear sentence (None for other errors)."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return DatabaseError("the disk is full: nothing was saved. Free some space (or move the backups) and "
                             "try again.")
    if "readonly" in text or "read-only" in text:
        return DatabaseError("the shop's database can only be read (a read-only file or folder): nothing was "
                             "saved. Check the file's permissions.")
    if "disk i/o error" in text:
        return DatabaseError("the disk reported an error: nothing was saved. Check the drive, then run "
                             "'loyalty check'; restore the latest backup if it reports damage.")
    return None


def file_identity(path: Path | str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def remember_file(db: Database, path: Path | str) -> None:
    """Note which file was opened, so a write can tell when it was deleted or replaced under us."""
    db.loyalty_file = (str(path), file_identity(path))  # type: ignore[attr-defined]


def _check_same_file(db: Database) -> None:
    remembered = getattr(db, "loyalty_file", None)
    if remembered is None or remembered[0] == ":memory:":
        return
    path, identity = remembered
    if file_identity(path) != identity:
        raise DatabaseError(f"the shop's database file {path} was deleted, moved or replaced while the app had it "
                            "open: nothing was saved. Close the app and start it again." + way_back(path))


@contextlib.contextmanager
def read_snapshot(db: Database) -> Iterator[Database]:
    """Several reads that must see one state of the file (a writer committing meanwhile is not seen); inside a
    transaction already, they share it."""
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN")
    try:
        yield db
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One write transaction taken with BEGIN IMMEDIATE, so two counters never interleave a read-check-write.

    Nested calls become savepoints. A lock held past the busy timeout raises DatabaseLocked; a full disk, a
    read-only file or a file deleted or replaced under us raise DatabaseError, with nothing written.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    _check_same_file(db)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_locked_error(exc):
            raise DatabaseLocked("the shop's database is busy with another counter or program "
                                 "(it waited and gave up); nothing was saved, please try again.") from exc
        problem = _storage_problem(exc)
        if problem:
            raise problem from exc
        raise
    try:
        yield db
    except sqlite3.IntegrityError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise DatabaseConflict(f"that change clashes with what is already saved ({exc}); nothing was saved") from exc
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        problem = _storage_problem(exc) if isinstance(exc, sqlite3.Error) else None
        if problem:
            raise problem from exc
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _storage_problem(exc) or exc from exc
