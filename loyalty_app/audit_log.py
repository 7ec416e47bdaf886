"""The audit log as the owner reads it: who adjusted, merged, exported, erased or restored what, and when."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log, newest first in a listing."""

    id: int
    at: str  # UTC ISO-8601
    staff_id: int | None
    action: str  # e.g. points.adjust, customer.merge, backup.restore
    subject: str | None
    details: str  # the action's details as JSON text
    staff_name: str | None
