"""Colours that follow the system's light or dark palette: no hard-coded light colour that vanishes on dark.

Screens take every colour from here; each helper reads the application's palette when it is called, so a label
styled on a dark desktop is light-on-dark and the same label on a light desktop is dark-on-light.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

PALETTES = ("system", "light", "dark")


def is_dark() -> bool:
    """The window's background is dark (the system's dark mode, or ``--palette dark``)."""
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def error_style() -> str:
    """A style sheet for error text: a deep red on a light window, a soft red on a dark one."""
    return "color: #ff8a80" if is_dark() else "color: #b00020"


def muted_colour() -> QColor:
    """Secondary text (hints, notes, inactive rows): the palette's placeholder colour, readable on both."""
    return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def muted_style() -> str:
    return f"color: {muted_colour().name()};"


def panel_style() -> str:
    """A softly set-off box (the points program's summary): the palette's alternate base, its own text colour."""
    pal = QApplication.palette()
    return (f"font-size: 14px; padding: 6px; border-radius: 4px; background: "
            f"{pal.color(QPalette.ColorRole.AlternateBase).name()}; color: {pal.color(QPalette.ColorRole.Text).name()};")


def warning_style() -> str:
    """A warning box: dark amber on cream on a light window, light amber on deep brown on a dark one."""
    colours = ("#ffd08a", "#3d2a00") if is_dark() else ("#8a4b00", "#fff4e0")
    return f"color: {colours[0]}; background: {colours[1]}; padding: 6px; border-radius: 4px;"


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style (what a dark desktop gives; also ``--palette dark``)."""
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for r, c in ((role.Window, "#2b2d30"), (role.WindowText, "#e6e6e6"), (role.Base, "#1e1f22"),
                 (role.AlternateBase, "#33363a"), (role.ToolTipBase, "#3c3f41"), (role.ToolTipText, "#e6e6e6"),
                 (role.Text, "#e6e6e6"), (role.Button, "#3c3f41"), (role.ButtonText, "#e6e6e6"),
                 (role.BrightText, "#ff8a80"), (role.Highlight, "#3d6fb0"), (role.HighlightedText, "#ffffff"),
                 (role.Link, "#8ab4f8"), (role.PlaceholderText, "#a0a4a8"), (role.Light, "#4a4d50"),
                 (role.Midlight, "#404346"), (role.Mid, "#303234"), (role.Dark, "#1a1b1d"), (role.Shadow, "#000000")):
        p.setColor(r, QColor(c))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#7c8085"))
    return p


def apply_palette(app: QApplication, mode: str = "system") -> None:
    """``system`` follows the desktop: its own palette, or, when it says it prefers dark but the style still paints
    light (a style without a dark variant), our dark palette; ``light`` / ``dark`` force one (screenshots, and a
    check that every screen reads on both)."""
    if mode == "system":
        if app.styleHints().colorScheme() != Qt.ColorScheme.Dark or is_dark():
            return
        mode = "dark"
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if mode == "dark" else app.style().standardPalette())
