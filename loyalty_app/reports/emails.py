"""Emails report: each campaign in the period, its recipients, and the lift against the held-out control group.

The numbers come from the email feature (``loyalty_app.mail.results.campaign_results``), found at run time so this
module works with or without it; another builder can replace it with ``register(builder)``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from loyalty_app.errors import NotFound
from loyalty_app.reports.model import (
    ChartSeries,
    Column,
    Figure,
    ReportChart,
    ReportPeriod,
    ReportSheet,
    ReportTable,
    pct10,
)

EmailsBuilder = Callable[[Any, ReportPeriod], ReportSheet]
_builder: list[EmailsBuilder] = []


def register(builder: EmailsBuilder) -> None:
    """Provide the report from elsewhere (replaces the default)."""
    _builder[:] = [builder]


def _campaign_results() -> Callable[..., Sequence[Any]] | None:
    try:
        module = importlib.import_module("loyalty_app.mail.results")
    except ImportError:
        return None
    fn = getattr(module, "campaign_results", None)
    return fn if callable(fn) else None


def available() -> bool:
    return bool(_builder) or _campaign_results() is not None


def sheet_from_results(results: Sequence[Any], shop_name: str, currency: str, period: ReportPeriod,
                       generated_at: str, lo: str, hi: str) -> ReportSheet:
    """The campaigns created in [lo, hi): sends, recipients and control who bought, and the lift."""
    rows, labels, got, held = [], [], [], []
    sent = recipients = converted = 0
    for r in results:
        if not lo <= r.created_at < hi:
            continue
        rate, control = pct10(r.recipients_converted, r.recipients), pct10(r.control_converted, r.control)
        lift = None if rate is None or control is None else rate - control
        rows.append([r.title, r.kind, r.created_at[:10], r.sent, r.recipients, rate, r.control, control, lift])
        labels.append(r.title)
        got.append(((rate or 0) + 5) // 10)
        held.append(((control or 0) + 5) // 10)
        sent += r.sent
        recipients += r.recipients
        converted += r.recipients_converted
    window = results[0].window_days if results else 30
    cols = [Column("name", "Campaign"), Column("kind", "Kind"), Column("date", "Created", "date"),
            Column("sent", "Sent", "int"), Column("recipients", "Recipients", "int"),
            Column("rate", "Bought", "percent"), Column("control", "Control group", "int"),
            Column("control_rate", "Control bought", "percent"), Column("lift", "Lift (points)", "change")]
    return ReportSheet(
        key="emails", title="Emails", shop_name=shop_name, currency=currency, period_label=period.label,
        store_label="All stores", generated_at=generated_at,
        figures=[Figure("Campaigns", len(rows)), Figure("Emails sent", sent),
                 Figure("Recipients who bought", pct10(converted, recipients), "percent")],
        tables=[ReportTable("Campaigns", cols, rows, "No campaign was sent in this period.")],
        charts=[ReportChart("Who bought afterwards (%)", "bar", labels,
                            [ChartSeries("Recipients", got), ChartSeries("Control group", held)])],
        notes=[f"Bought: share of recipients who bought within {window} days of the campaign (the announced "
               "product, or anything for reminders); the control group was chosen the same way but not emailed. "
               "Lift: the difference in percentage points."],
    )


def build(shop: Any, period: ReportPeriod) -> ReportSheet:
    if _builder:
        return _builder[0](shop, period)
    results = _campaign_results()
    if results is None:
        raise NotFound("the emails report comes with email campaigns, which this version does not have yet")
    lo, hi = period.utc_bounds(shop.ctx.zone)
    return sheet_from_results(results(shop), shop.ctx.shop_name, shop.ctx.currency, period, shop.ctx.now_iso(),
                              lo, hi)
