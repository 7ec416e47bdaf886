"""Errors a person can act on. The message is the whole story: what was wrong and that nothing changed."""

from __future__ import annotations


class LoyaltyError(Exception):
    """Base class for user-facing errors; callers print str(exc) and change nothing."""


class ValidationError(LoyaltyError):
    """Input that cannot be accepted as typed (bad phone, unknown SKU, zero quantity, ...)."""


class NotFound(LoyaltyError):
    """Nothing matches what was asked for."""


class PermissionDenied(LoyaltyError):
    """The signed-in staff member may not do this (owner-only actions, wrong PIN)."""


class Conflict(LoyaltyError):
    """The request contradicts what is stored (phone owned by another customer, line already returned)."""


class ShopUnavailable(LoyaltyError):
    """The database cannot be opened or written right now (locked, newer version, not a database)."""


class ShopDamaged(ShopUnavailable):
    """The shop's file is damaged: the message names the latest good backup and how to restore it."""


class StaffLocked(PermissionDenied):
    """Too many wrong PINs for a name: it waits a minute, whatever PIN is typed next."""


class RemoteUnavailable(LoyaltyError):
    """A remote server (a POS's API) cannot be reached or failed: nothing was lost, the next try carries on."""


class RemoteRefused(LoyaltyError):
    """A remote server refused us (a wrong or revoked access token): the message says what to do."""
