"""App-wide notifications, so every open screen can refresh after a write."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppSignals(QObject):
    sig_customer_changed = Signal(int)
    """A customer's profile, points or history changed (the customer's id)."""

    sig_customers_changed = Signal()
    """Any number of customers may have changed at once (an import, a restore, a sync round, a batch of cards)."""

    sig_sale_recorded = Signal(int)
    """A sale was saved (the purchase id)."""

    sig_staff_changed = Signal(str)
    """Another staff member signed in (their name)."""

    sig_products_changed = Signal()
    """The catalogue changed: a product added, edited, (de)activated or imported."""

    sig_settings_changed = Signal()
    """The shop's settings changed: the points program, email set-up, backups, the stores, or a restore."""
