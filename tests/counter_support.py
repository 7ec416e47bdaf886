"""The counter's window on the catalogue shop, and typing a lookup into it, for the counter's GUI tests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui.main_window import MainWindow


@pytest.fixture
def window(catalogue, qtbot) -> MainWindow:
    w = MainWindow(catalogue)
    qtbot.addWidget(w)
    w.show()
    return w


def find(qtbot, window: MainWindow, text: str) -> None:
    """Type a phone, card, name or #id into the lookup field and press Enter."""
    window.counter.lookup_input.clear()
    qtbot.keyClicks(window.counter.lookup_input, text)
    qtbot.keyClick(window.counter.lookup_input, Qt.Key.Key_Return)
