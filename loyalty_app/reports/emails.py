"""Emails report (campaigns, recipients, lift against control): the hook the email campaigns feature fills in.

The campaigns helper registers a builder with ``register(builder)``; until then the report says it is not
available. A builder takes (shop, period) and returns a ReportSheet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty_app.errors import NotFound
from loyalty_app.reports.model import ReportPeriod, ReportSheet

EmailsBuilder = Callable[[Any, ReportPeriod], ReportSheet]
_builder: list[EmailsBuilder] = []


def register(builder: EmailsBuilder) -> None:
    """Called by the email campaigns module to provide the report."""
    _builder[:] = [builder]


def available() -> bool:
    return bool(_builder)


def build(shop: Any, period: ReportPeriod) -> ReportSheet:
    if not _builder:
        raise NotFound("the emails report comes with email campaigns, which this version does not have yet")
    return _builder[0](shop, period)
