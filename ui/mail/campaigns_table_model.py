"""Campaign results as a table: sends, recipients vs. control who bought, the lift in points, revenue per recipient
vs. control, the revenue lift with its 95% interval and who unsubscribed; an A/B split's variants on rows of their
own below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from loyalty_app.i18n import N_, _
from loyalty_app.mail.lift import Lift, interval_text
from loyalty_app.mail.results import CampaignResult, VariantResult
from loyalty_app.money import format_money
from ui.rows_table_model import RowsTableModel

Index = QModelIndex | QPersistentModelIndex


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


@dataclass(frozen=True)
class ResultRow:
    """A campaign, or one variant of its A/B split (``variant`` set)."""

    campaign: CampaignResult
    variant: VariantResult | None = None


def rows_of(results: list[CampaignResult]) -> list[ResultRow]:
    return [row for r in results for row in [ResultRow(r), *(ResultRow(r, v) for v in r.variants)]]


class CampaignsTableModel(RowsTableModel):
    # More columns go before COL_VERDICT, which stays last.
    (COL_CAMPAIGN, COL_SENT, COL_FAILED, COL_RECIPIENTS, COL_CONTROL, COL_LIFT, COL_REVENUE, COL_REVENUE_CONTROL,
     COL_REVENUE_LIFT, COL_UNSUBSCRIBED, COL_VERDICT) = range(11)
    HEADERS = (N_("Campaign"), N_("Sent"), N_("Failed"), N_("Recipients bought"), N_("Control bought"), N_("Lift"),
               N_("Revenue / recipient"), N_("Revenue / control"), N_("Revenue lift (95%: low to high)"),
               N_("Unsubscribed"), N_("Verdict"))

    def __init__(self, currency: str = "USD") -> None:
        super().__init__()
        self.currency = currency

    def set_results(self, results: list[CampaignResult]) -> None:
        self.set_rows(rows_of(results))

    def row(self, i: int) -> ResultRow:
        return self._rows[i]  # type: ignore[no-any-return]

    def _money(self, cents: int | None) -> str:
        return "—" if cents is None else format_money(cents, self.currency)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: ResultRow = self._rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.COL_VERDICT:
            return _("Welch's t interval on revenue per customer in the buying window; 'too few to tell' when it "
                     "spans zero (the difference may be chance).")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        r, v = row.campaign, row.variant
        lift: Lift = v.revenue if v else r.revenue
        if v is None:
            name = f"{r.title} ({r.sku})" if r.sku else r.title
            sent, failed = str(r.sent), str(r.failed)
            bought = f"{r.recipients_converted}/{r.recipients} ({_pct(r.recipient_rate)})"
            control = f"{r.control_converted}/{r.control} ({_pct(r.control_rate)})"
            points = "—" if r.lift_points is None else _("{points} points").format(points=f"{r.lift_points:+.1f}")
        else:
            name = "    " + _("variant {variant}: {subject}").format(variant=v.variant, subject=v.subject or "")
            sent = failed = control = ""
            bought = f"{v.recipients_converted}/{v.recipients} ({_pct(v.recipient_rate_pct)})"
            points = "—" if v.recipient_rate_pct is None or r.control_rate is None else \
                _("{points} points").format(points=f"{v.recipient_rate_pct - r.control_rate:+.1f}")
        return (name, sent, failed, bought, control, points, self._money(lift.revenue_per_recipient_cents),
                "" if v else self._money(lift.revenue_per_control_cents), interval_text(lift, self.currency),
                "" if v else str(r.unsubscribes), _(lift.verdict))[index.column()]
