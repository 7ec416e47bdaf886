"""Emails report: each campaign in the period, its recipients, and the lift against the held-out control group.

The numbers come from the email feature (its campaign results), given by whoever builds the report service.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, tzinfo
from typing import Any

from loyalty_app.clock import from_iso
from loyalty_app.context import ShopContext
from loyalty_app.errors import NotFound
from loyalty_app.i18n import N_, _
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

CampaignResults = Callable[[], Sequence[Any]]  # each with title, kind, created_at, sent, recipients, ...
KIND_LABELS = {"announce": N_("new product"), "refill": N_("refill reminder"), "welcome": N_("welcome"),
               "winback": N_("we miss you")}


def sheet_from_results(results: Sequence[Any], shop_name: str, currency: str, period: ReportPeriod,
                       generated_at: str, lo: str, hi: str, zone: tzinfo = UTC) -> ReportSheet:
    """The campaigns created in [lo, hi): sends, recipients and control who bought, and the lift."""
    rows, labels, got, held = [], [], [], []
    sent = recipients = converted = 0
    for r in results:
        if not lo <= r.created_at < hi:
            continue
        rate, control = pct10(r.recipients_converted, r.recipients), pct10(r.control_converted, r.control)
        lift = None if rate is None or control is None else rate - control
        created = from_iso(r.created_at).astimezone(zone).date()  # the shop's day, printed its way
        kind = _(KIND_LABELS[r.kind]) if r.kind in KIND_LABELS else r.kind
        rows.append([r.title, kind, created, r.sent, r.recipients, rate, r.control, control, lift])
        labels.append(r.title)
        got.append(((rate or 0) + 5) // 10)
        held.append(((control or 0) + 5) // 10)
        sent += r.sent
        recipients += r.recipients
        converted += r.recipients_converted
    window = results[0].window_days if results else 30
    cols = [Column("name", _("Campaign")), Column("kind", _("Kind")), Column("date", _("Created"), "date"),
            Column("sent", _("Sent"), "int"), Column("recipients", _("Recipients"), "int"),
            Column("rate", _("Bought"), "percent"), Column("control", _("Control group"), "int"),
            Column("control_rate", _("Control bought"), "percent"), Column("lift", _("Lift (points)"), "change")]
    return ReportSheet(
        key="emails", title=_("Emails"), shop_name=shop_name, currency=currency, period_label=period.label,
        store_label=_("All stores"), generated_at=generated_at,
        figures=[Figure(_("Campaigns"), len(rows)), Figure(_("Emails sent"), sent),
                 Figure(_("Recipients who bought"), pct10(converted, recipients), "percent")],
        tables=[ReportTable(_("Campaigns"), cols, rows, _("No campaign was sent in this period."))],
        charts=[ReportChart(_("Who bought afterwards (%)"), "bar", labels,
                            [ChartSeries(_("Recipients"), got), ChartSeries(_("Control group"), held)])],
        notes=[_('Bought: share of recipients who bought within {window} days of the campaign (the announced product, or anything for reminders); the control group was chosen the same way but not emailed. Lift: the difference in percentage points.').format(window=window)],
    )


def build(ctx: ShopContext, period: ReportPeriod, results: CampaignResults | None) -> ReportSheet:
    if results is None:
        raise NotFound("the emails report comes with email campaigns, which this version does not have yet")
    lo, hi = period.utc_bounds(ctx.zone)
    return sheet_from_results(results(), ctx.shop_name, ctx.currency, period, ctx.now_iso(), lo, hi, ctx.zone)
