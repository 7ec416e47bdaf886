"""Square: the Orders API searched by update time (sales, and return orders naming their sale), its customers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import tzinfo
from typing import Any

from loyalty_app.errors import RemoteRefused
from loyalty_app.importers import values as v
from loyalty_app.importers.records import Line, Person
from loyalty_app.importers.square_items import SOURCE
from loyalty_app.pos.http import PosHttp
from loyalty_app.pos.model import Page, PosOrder, api_time, whole

API_BASE = "https://connect.squareup.com"
SQUARE_VERSION = "2025-01-23"
PAGE_SIZE = 100


def _money(obj: Any) -> int:
    """Square's money: an integer amount in the smallest unit of the currency."""
    if not isinstance(obj, dict):
        return 0
    return int(obj.get("amount") or 0)


def item_name(name: str | None, variation: str | None) -> str | None:
    """As Square's Items export writes it: 'Basil oil (250 ml)', the 'Regular' variation left out."""
    name, variation = (name or "").strip(), (variation or "").strip()
    if not name:
        return variation or None
    return f"{name} ({variation})" if variation and variation.lower() != "regular" else name


class SquareConnector:
    source = SOURCE  # the same source as the Items export, so one Square order is one key whichever way it came

    def __init__(self, token: str, *, api_base: str | None, location: str | None, region: str, zone: tzinfo,
                 sleep: Callable[[float], None]) -> None:
        self.http = PosHttp("Square", api_base or API_BASE, {"Authorization": f"Bearer {token}",
                                                             "Square-Version": SQUARE_VERSION},
                            how_to_fix="make a new access token in the Square Developer Dashboard and run "
                                       "'loyalty pos connect square' again", sleep=sleep)
        self.location = location
        self.region = region
        self.zone = zone
        self.store_names: dict[str, str] = {}
        self._skus: dict[str, str | None] = {}

    def close(self) -> None:
        self.http.close()

    def warnings(self, since: str) -> list[str]:
        return []

    def _locations(self) -> list[str]:
        data = self.http.request("GET", "/v2/locations")
        for loc in data.get("locations") or []:
            self.store_names[str(loc["id"])] = str(loc.get("name") or loc["id"])
        if self.location:
            return [self.location]
        ids = [str(loc["id"]) for loc in data.get("locations") or [] if loc.get("status", "ACTIVE") == "ACTIVE"]
        return ids[:10]  # the search takes at most ten locations

    def pages(self, since: str, cursor: str | None) -> Iterator[Page]:
        locations = self._locations()
        query = {"filter": {"date_time_filter": {"updated_at": {"start_at": since}},
                            "state_filter": {"states": ["COMPLETED"]}},
                 "sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"}}
        while True:
            body: dict[str, Any] = {"location_ids": locations, "query": query, "limit": PAGE_SIZE}
            if cursor:
                body["cursor"] = cursor
            data = self.http.request("POST", "/v2/orders/search", body=body)
            raw = data.get("orders") or []
            self._load_skus(raw)
            orders: list[PosOrder] = []
            for o in raw:
                orders.extend(self._orders(o))
            cursor = data.get("cursor") or None
            yield Page(orders, cursor)
            if not cursor:
                return

    def _load_skus(self, orders: list[dict[str, Any]]) -> None:
        """The SKU of each item variation, from the catalogue (line items name only the variation's id)."""
        wanted = {li["catalog_object_id"] for o in orders
                  for li in [*(o.get("line_items") or []),
                             *(x for r in o.get("returns") or [] for x in r.get("return_line_items") or [])]
                  if li.get("catalog_object_id")} - self._skus.keys()
        if not wanted:
            return
        try:
            data = self.http.request("POST", "/v2/catalog/batch-retrieve", body={"object_ids": sorted(wanted)})
        except RemoteRefused:
            data = {}  # a token without catalogue access: lines are filed by the variation id instead
        for obj in data.get("objects") or []:
            sku = (obj.get("item_variation_data") or {}).get("sku")
            self._skus[str(obj["id"])] = str(sku).strip() or None if sku else None
        for w in wanted:
            self._skus.setdefault(w, None)

    def _line(self, li: dict[str, Any]) -> Line:
        qty = whole(li.get("quantity") or "1")
        tax = _money(li.get("total_tax_money"))
        total = li.get("total_money")
        if total is not None:
            net = _money(total) - tax
        else:
            net = _money(li.get("base_price_money")) * qty - _money(li.get("total_discount_money"))
        var_id = li.get("catalog_object_id")
        sku = (self._skus.get(var_id) if var_id else None) or var_id
        return Line(0, sku, None, item_name(li.get("name"), li.get("variation_name")), None, qty, max(net, 0),
                    _money(li.get("base_price_money")) or None, max(tax, 0))

    def _orders(self, o: dict[str, Any]) -> list[PosOrder]:
        oid = str(o["id"])
        when = api_time(str(o.get("closed_at") or o.get("created_at")))
        version, updated = str(o.get("version", 1)), str(o.get("updated_at") or o.get("created_at"))
        cid = o.get("customer_id")
        person = Person(str(cid)) if cid else None
        store = self.store_names.get(str(o.get("location_id"))) if o.get("location_id") else None
        out: list[PosOrder] = []
        for n, ret in enumerate(o.get("returns") or []):
            sale = str(ret.get("source_order_id") or "")
            lines = [self._line(li) for li in ret.get("return_line_items") or []]
            rid = f"{oid}:return:{ret.get('uid') or n}"
            out.append(PosOrder(rid, f"{sale}:{oid}", version, updated, when, "return", person, store, lines,
                                sale_order_id=sale or None, sale_key=sale or None))
        if o.get("line_items"):
            lines = [self._line(li) for li in o["line_items"]]
            out.append(PosOrder(oid, oid, version, updated, when, "sale", person, store, lines,
                                discount_cents=_money(o.get("total_discount_money"))))
        return out

    def customer(self, pos_id: str) -> Person | None:
        data = self.http.request("GET", f"/v2/customers/{pos_id}")
        c = data.get("customer") or {}
        name = " ".join(p for p in (c.get("given_name"), c.get("family_name")) if p) or c.get("company_name")
        phone, _ = v.phone_or_none(c.get("phone_number"), self.region)
        return Person(pos_id, name or None, phone, v.email_or_none(c.get("email_address")))
