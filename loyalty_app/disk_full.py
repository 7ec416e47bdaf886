"""A full disk said one way wherever a person meets it: a sale, an import, a backup, a PDF or CSV written."""

from __future__ import annotations

from db.disk_full import is_disk_full
from loyalty_app.errors import ShopUnavailable

__all__ = ["DISK_FULL", "disk_full_writing", "file_problem", "is_disk_full", "unavailable"]

# The same sentence db/ gives when a write to the shop's file meets a full disk.
DISK_FULL = "the disk is full: nothing was saved. Free some space (or move the backups) and try again."


def file_problem(exc: OSError) -> str:
    """Why a file could not be read or written, for a person: 'the disk is full' for ENOSPC, else the system's
    words ('Permission denied')."""
    return "the disk is full" if is_disk_full(exc) else (exc.strerror or str(exc))


def disk_full_writing(filename: object = None) -> str:
    """A file (not the shop's database) could not be written for lack of space."""
    what = f"{filename} could not be written" if filename else "a file could not be written"
    return f"the disk is full: {what}. Free some space and try again."


def unavailable(exc: Exception) -> ShopUnavailable:
    """The shop cannot be opened or written: db/'s sentence, or DISK_FULL when the disk is what is full (at open,
    SQLite reports that as a 'disk I/O error', which db/ words as a failing disk)."""
    return ShopUnavailable(DISK_FULL if is_disk_full(exc) else str(exc))
