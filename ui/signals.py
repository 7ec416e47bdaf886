"""App-wide notifications, so every open screen can refresh after a write."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppSignals(QObject):
    sig_customer_changed = Signal(int)
    """A customer's profile, points or history changed (the customer's id)."""

    sig_sale_recorded = Signal(int)
    """A sale was saved (the purchase id)."""

    sig_staff_changed = Signal(str)
    """Another staff member signed in (their name)."""
