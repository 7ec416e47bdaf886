"""A container that gives its one widget all its room without a layout, so changes inside stay inside.

Every layout that redoes itself tells its parent's layout too (Qt's QLayout.activate ends in updateGeometry), up to
the window; the tab widget then lays out and repaints the whole window, a pass of the event loop per level. A new
customer's name, points and suggestions change a dozen size hints at the counter, so each Enter repainted
everything two or three times. Behind the fence they lay out the counter and repaint what changed, once.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget


class LayoutFence(QWidget):
    def __init__(self, child: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.child = child
        child.setParent(self)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.child.setGeometry(self.rect())
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.child.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.child.minimumSizeHint()
