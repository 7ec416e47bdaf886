"""SQLite lives here: connection rules, schema migrations, backups and every query of the shop."""

from db.connection import (
    DatabaseConflict,
    DatabaseCorrupt,
    DatabaseError,
    DatabaseLocked,
    NotADatabase,
    SchemaTooNew,
    open_database,
    read_snapshot,
    write_transaction,
)

__all__ = [
    "DatabaseConflict",
    "DatabaseCorrupt",
    "DatabaseError",
    "DatabaseLocked",
    "NotADatabase",
    "SchemaTooNew",
    "open_database",
    "read_snapshot",
    "write_transaction",
]
