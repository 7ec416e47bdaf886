"""Filling widgets from saved values without their change signals firing (nothing was edited)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject


@contextmanager
def quiet(*widgets: QObject) -> Iterator[None]:
    """Block the widgets' signals while the block runs; they are unblocked even when it raises."""
    for w in widgets:
        w.blockSignals(True)
    try:
        yield
    finally:
        for w in widgets:
            w.blockSignals(False)
