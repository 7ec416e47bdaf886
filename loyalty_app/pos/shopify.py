"""Shopify: the Admin GraphQL API's orders (POS orders included) updated since a time, with their refunds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from loyalty_app.errors import RemoteRefused, ValidationError
from loyalty_app.importers import values as v
from loyalty_app.importers.records import Line, Person
from loyalty_app.importers.shopify_orders import SOURCE
from loyalty_app.points_rules import allocate
from loyalty_app.pos.http import PosHttp
from loyalty_app.pos.model import Page, PosOrder, api_time, cents, whole

API_VERSION = "2025-01"
PAGE_SIZE = 50
ORDERS_QUERY = """
query Orders($query: String!, $after: String, $first: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt processedAt updatedAt cancelledAt
      customer { id email phone firstName lastName }
      retailLocation { name }
      subtotalPriceSet { shopMoney { amount } }
      totalTaxSet { shopMoney { amount } }
      lineItems(first: 250) { nodes {
        id sku name quantity variant { id }
        originalUnitPriceSet { shopMoney { amount } }
        discountedTotalSet { shopMoney { amount } }
      } }
      refunds { id createdAt refundLineItems(first: 250) { nodes {
        quantity lineItem { id } subtotalSet { shopMoney { amount } }
      } } }
    }
  }
}
"""


def shop_base(shop: str) -> str:
    """'olive-vine' or 'olive-vine.myshopify.com' → https://olive-vine.myshopify.com."""
    domain = shop.strip().removeprefix("https://").removeprefix("http://").strip("/")
    if not domain:
        raise ValidationError("Shopify needs the shop's domain: --shop NAME.myshopify.com")
    return f"https://{domain if '.' in domain else domain + '.myshopify.com'}"


def _amount(money_set: Any) -> Decimal:
    try:
        return Decimal(str(money_set["shopMoney"]["amount"]))
    except (KeyError, TypeError, ArithmeticError):
        return Decimal(0)


def _throttled(data: Any) -> float | None:
    """Shopify's GraphQL rate limit answers 200 with a THROTTLED error: wait until the bucket has refilled."""
    errors = data.get("errors") if isinstance(data, dict) else None
    if not errors or not any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
        return None
    cost = (data.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    try:
        missing = float(cost.get("requestedQueryCost", 0)) - float(status.get("currentlyAvailable", 0))
        return max(1.0, missing / max(float(status.get("restoreRate", 50)), 1.0))
    except (TypeError, ValueError):
        return 1.0


class ShopifyConnector:
    source = SOURCE  # the same source as the orders export: order #1001 is one key whichever way it came

    def __init__(self, token: str, *, api_base: str, region: str, zone: tzinfo,
                 sleep: Callable[[float], None]) -> None:
        self.http = PosHttp("Shopify", api_base, {"X-Shopify-Access-Token": token},
                            how_to_fix="make a new Admin API access token (read_orders, read_customers) in the "
                                       "Shopify admin and run 'loyalty pos connect shopify' again", sleep=sleep)
        self.region = region
        self.zone = zone

    def close(self) -> None:
        self.http.close()

    def warnings(self, since: str) -> list[str]:
        return []

    def customer(self, pos_id: str) -> Person | None:
        return None  # orders carry their customer's phone and email

    def pages(self, since: str, cursor: str | None) -> Iterator[Page]:
        while True:
            data = self.http.request("POST", f"/admin/api/{API_VERSION}/graphql.json", throttled=_throttled,
                                     body={"query": ORDERS_QUERY,
                                           "variables": {"query": f"updated_at:>='{since}'", "after": cursor,
                                                         "first": PAGE_SIZE}})
            if data.get("errors"):
                raise RemoteRefused(f"Shopify refused the orders query: {data['errors'][0].get('message')}")
            conn = ((data.get("data") or {}).get("orders")) or {}
            orders: list[PosOrder] = []
            for o in conn.get("nodes") or []:
                orders.extend(self._orders(o))
            info = conn.get("pageInfo") or {}
            cursor = info.get("endCursor") if info.get("hasNextPage") else None
            yield Page(orders, cursor)
            if not cursor:
                return

    def _orders(self, o: dict[str, Any]) -> list[PosOrder]:
        name, gid = str(o["name"]), str(o["id"])
        when = api_time(str(o.get("processedAt") or o["createdAt"]))
        updated = str(o.get("updatedAt") or o["createdAt"])
        by_id: dict[str, Line] = {}
        lines: list[Line] = []
        for li in (o.get("lineItems") or {}).get("nodes") or []:
            qty = whole(li.get("quantity") or 1)
            net = cents(_amount(li.get("discountedTotalSet")))
            variant = (li.get("variant") or {}).get("id")
            sku = (li.get("sku") or "").strip() or (str(variant).rsplit("/", 1)[-1] if variant else None)
            line = Line(0, sku, None, (li.get("name") or "").strip() or None, None, qty, max(net, 0),
                        cents(_amount(li.get("originalUnitPriceSet"))))
            lines.append(line)
            by_id[str(li["id"])] = line
        subtotal = cents(_amount(o.get("subtotalPriceSet"))) if o.get("subtotalPriceSet") else None
        total = sum(ln.net_cents for ln in lines)
        discount = 0
        if lines and subtotal is not None and 0 <= subtotal < total:
            # An order discount: spread over the lines so the purchase matches Shopify's subtotal, as imports do.
            discount = total - subtotal
            for ln, cut in zip(lines, allocate(discount, [ln.net_cents for ln in lines]), strict=True):
                ln.net_cents -= cut
        if lines:
            tax = abs(cents(_amount(o.get("totalTaxSet"))))
            for ln, t in zip(lines, allocate(tax, [max(ln.net_cents, 0) for ln in lines]), strict=True):
                ln.tax_cents = t
        c = o.get("customer") or None
        person = None
        if c:
            phone, _ = v.phone_or_none(c.get("phone"), self.region)
            full = " ".join(p for p in (c.get("firstName"), c.get("lastName")) if p) or None
            person = Person(str(c["id"]), full, phone, v.email_or_none(c.get("email")))
        store = (o.get("retailLocation") or {}).get("name")
        out = [PosOrder(gid, name, updated, updated, when, "sale", person, store, lines,
                        cancelled=bool(o.get("cancelledAt")), discount_cents=discount)]
        for r in o.get("refunds") or []:
            rlines = []
            for rli in (r.get("refundLineItems") or {}).get("nodes") or []:
                sold = by_id.get(str((rli.get("lineItem") or {}).get("id")))
                if sold is None:
                    continue
                rlines.append(Line(0, sold.sku, None, sold.name, None, whole(rli.get("quantity") or 1),
                                   cents(_amount(rli.get("subtotalSet")))))
            if not rlines:
                continue  # a refund of shipping or an amount only: no units come back, no points change
            rid = str(r["id"])
            out.append(PosOrder(rid, f"{name}:refund:{rid.rsplit('/', 1)[-1]}", updated, updated,
                                api_time(str(r.get("createdAt") or updated)), "return",
                                person, store, rlines, sale_order_id=gid, sale_key=name))
        return out
