"""Text a person or a file gives for a name or a note, made one clean line before it is saved."""

from __future__ import annotations

import unicodedata


def one_line(text: str) -> str:
    """``text`` without control characters (C0, DEL, C1: a NUL from a file, an escape code pasted from a
    terminal): line breaks and tabs become spaces, runs of spaces one space, and the ends are trimmed."""
    kept = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())
