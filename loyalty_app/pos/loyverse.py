"""Loyverse: receipts (sales and refunds) updated since a time, and its customers; the API keeps 31 days."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from loyalty_app.clock import from_iso, to_iso
from loyalty_app.importers import values as v
from loyalty_app.importers.loyverse_items import SOURCE
from loyalty_app.importers.records import Line, Person
from loyalty_app.pos.http import PosHttp
from loyalty_app.pos.model import Page, PosOrder, api_time, cents, whole

API_BASE = "https://api.loyverse.com/v1.0"
PAGE_SIZE = 250
FREE_DAYS = 31


def history_warning(since: str, now: datetime) -> str | None:
    """Loyverse serves receipts of the last 31 days only, unless the shop pays for its history add-on."""
    oldest = now - timedelta(days=FREE_DAYS)
    if from_iso(since) >= oldest:
        return None
    return (f"Loyverse's API serves only the last {FREE_DAYS} days of receipts without its paid add-on: receipts "
            f"from {since[:10]} to {to_iso(oldest)[:10]} may be missing; import them from Loyverse's "
            "receipts-by-item export with 'loyalty import FILE' (nothing is counted twice)")


class LoyverseConnector:
    source = SOURCE  # the same source as the receipts export: receipt 2-1001 is one key whichever way it came
    ascending = False  # receipts are listed newest first

    def __init__(self, token: str, *, api_base: str | None, region: str, zone: tzinfo,
                 sleep: Callable[[float], None], now: Callable[[], datetime]) -> None:
        self.http = PosHttp("Loyverse", api_base or API_BASE, {"Authorization": f"Bearer {token}"},
                            how_to_fix="make a new access token in Loyverse Back Office (Settings > Access "
                                       "tokens) and run 'loyalty pos connect loyverse' again", sleep=sleep)
        self.region = region
        self.zone = zone
        self.now = now
        self.store_names: dict[str, str] = {}

    def close(self) -> None:
        self.http.close()

    def warnings(self, since: str) -> list[str]:
        w = history_warning(since, self.now())
        return [w] if w else []

    def pages(self, since: str, cursor: str | None) -> Iterator[Page]:
        data = self.http.request("GET", "/stores")
        self.store_names = {str(s["id"]): str(s.get("name") or s["id"]) for s in data.get("stores") or []}
        while True:
            params: dict[str, Any] = {"updated_at_min": since, "limit": PAGE_SIZE}
            if cursor:
                params["cursor"] = cursor
            data = self.http.request("GET", "/receipts", params=params)
            # The API lists newest first: apply oldest first, so the watermark only moves forward.
            receipts = sorted(data.get("receipts") or [], key=lambda r: str(r.get("updated_at") or ""))
            cursor = data.get("cursor") or None
            yield Page([self._order(r) for r in receipts], cursor)
            if not cursor:
                return

    def _line(self, li: dict[str, Any]) -> Line:
        taxes = li.get("line_taxes") or []
        included = sum((Decimal(str(t.get("money_amount") or 0)) for t in taxes if t.get("type") == "INCLUDED"),
                       Decimal(0))
        tax = sum((Decimal(str(t.get("money_amount") or 0)) for t in taxes), Decimal(0))
        net = cents(Decimal(str(li.get("total_money") or 0)) - included)
        item, variant = (li.get("item_name") or "").strip(), (li.get("variant_name") or "").strip()
        name = f"{item} ({variant})" if item and variant else (item or None)
        sku = (li.get("sku") or "").strip() or li.get("variant_id") or li.get("item_id")
        return Line(0, sku, None, name, None, whole(li.get("quantity") or 1), abs(net),
                    abs(cents(li.get("price") or 0)) or None, abs(cents(tax)))

    def _order(self, r: dict[str, Any]) -> PosOrder:
        number = str(r["receipt_number"])
        when = api_time(str(r.get("receipt_date") or r.get("created_at")))
        updated = str(r.get("updated_at") or r.get("created_at"))
        cid = r.get("customer_id")
        person = Person(str(cid)) if cid else None
        store = self.store_names.get(str(r.get("store_id"))) if r.get("store_id") else None
        lines = [self._line(li) for li in r.get("line_items") or []]
        if str(r.get("receipt_type", "SALE")).upper() == "REFUND":
            sale = r.get("refund_for")
            return PosOrder(number, number, updated, updated, when, "return", person, store, lines,
                            sale_order_id=str(sale) if sale else None, sale_key=str(sale) if sale else None,
                            cancelled=bool(r.get("cancelled_at")))
        return PosOrder(number, number, updated, updated, when, "sale", person, store, lines,
                        cancelled=bool(r.get("cancelled_at")),
                        discount_cents=abs(cents(r.get("total_discount") or 0)))

    def customer(self, pos_id: str) -> Person | None:
        c = self.http.request("GET", f"/customers/{pos_id}")
        phone, _ = v.phone_or_none(c.get("phone_number"), self.region)
        return Person(pos_id, (c.get("name") or "").strip() or None, phone, v.email_or_none(c.get("email")))
