"""Colours that follow the system's light or dark palette (errors must stay readable on both)."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication


def error_style() -> str:
    """A style sheet for error text: a deep red on a light window, a soft red on a dark one."""
    palette = QApplication.palette()
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return "color: #ff8a80" if dark else "color: #b00020"
