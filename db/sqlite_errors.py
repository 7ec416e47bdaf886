"""What an SQLite error says about the file behind it: not a database at all, or a damaged one."""

from __future__ import annotations

import sqlite3


def is_not_a_database(exc: BaseException) -> bool:
    """SQLite's own "file is not a database": the first page is not an SQLite header."""
    return isinstance(exc, sqlite3.DatabaseError) and "file is not a database" in str(exc).lower()


def is_damage(exc: BaseException) -> bool:
    """An error SQLite raises on a damaged file (a malformed page, a header that is not SQLite's)."""
    return is_not_a_database(exc) or (isinstance(exc, sqlite3.DatabaseError) and "malformed" in str(exc).lower())
