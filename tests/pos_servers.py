"""Square, Shopify and Loyverse APIs as real HTTP servers on loopback (pytest-httpserver), in their published shapes.

Each fake keeps its orders, serves them sorted by update time from the asked start, pages them with the POS's own
cursor style, and can be told to fail: ``fail_next`` holds (status, headers, body) answers given before the real
one, ``fail_on_page`` answers one page (its number, from 1) with an error instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


@dataclass
class Fake:
    server: HTTPServer
    page_size: int = 2
    fail_next: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    fail_on_page: dict[int, int] = field(default_factory=dict)  # page number → HTTP status
    requests: list[dict[str, Any]] = field(default_factory=list)
    token: str = "secret-token"

    @property
    def base(self) -> str:
        return self.server.url_for("").rstrip("/")

    def _gate(self, request: Request, auth: str) -> Response | None:
        if self.fail_next:
            status, headers, body = self.fail_next.pop(0)
            return Response(body, status=status, headers=headers, content_type="application/json")
        if auth != self.token:
            return Response(json.dumps({"errors": [{"code": "UNAUTHORIZED", "detail": "bad token"}]}), status=401,
                            content_type="application/json")
        return None

    def _page(self, items: list[dict[str, Any]], start: int, page_no: int) -> tuple[list[dict[str, Any]], int | None,
                                                                                   Response | None]:
        if page_no in self.fail_on_page:
            status = self.fail_on_page.pop(page_no)
            return [], None, Response("{}", status=status, content_type="application/json")
        chunk = items[start:start + self.page_size]
        nxt = start + self.page_size if start + self.page_size < len(items) else None
        return chunk, nxt, None


def money(cents: int) -> dict[str, Any]:
    return {"amount": cents, "currency": "USD"}


class FakeSquare(Fake):
    """POST /v2/orders/search, GET /v2/locations, POST /v2/catalog/batch-retrieve, GET /v2/customers/{id}."""

    def __init__(self, server: HTTPServer, **kw: Any) -> None:
        super().__init__(server, **kw)
        self.orders: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.skus: dict[str, str] = {}
        server.expect_request("/v2/orders/search", method="POST").respond_with_handler(self._search)
        server.expect_request("/v2/locations").respond_with_handler(self._locations)
        server.expect_request("/v2/catalog/batch-retrieve", method="POST").respond_with_handler(self._catalog)
        server.expect_request(__import__("re").compile(r"/v2/customers/.+")).respond_with_handler(self._customer)

    def _auth(self, request: Request) -> str:
        return request.headers.get("Authorization", "").removeprefix("Bearer ")

    def sale(self, oid: str, at: str, lines: list[tuple[str, str, int, int]], *, customer: str | None = None,
             version: int = 1, updated: str | None = None) -> dict[str, Any]:
        """lines: (variation id, name, qty, unit cents); the order as SearchOrders returns it."""
        o = {"id": oid, "location_id": "L1", "state": "COMPLETED", "version": version, "created_at": at,
             "closed_at": at, "updated_at": updated or at, "line_items": [
                 {"uid": f"{oid}-{i}", "catalog_object_id": var, "name": name.split(" (")[0],
                  "variation_name": name.split(" (")[1].rstrip(")") if " (" in name else "Regular",
                  "quantity": str(qty), "base_price_money": money(unit), "total_discount_money": money(0),
                  "total_tax_money": money(0), "total_money": money(unit * qty)}
                 for i, (var, name, qty, unit) in enumerate(lines)],
             "total_money": money(sum(q * u for _, _, q, u in lines))}
        if customer:
            o["customer_id"] = customer
        self.orders[oid] = o
        return o

    def return_order(self, oid: str, at: str, sale_id: str, lines: list[tuple[str, str, int, int]]) -> None:
        self.orders[oid] = {"id": oid, "location_id": "L1", "state": "COMPLETED", "version": 1, "created_at": at,
                            "closed_at": at, "updated_at": at, "returns": [{
                                "uid": f"{oid}-r", "source_order_id": sale_id, "return_line_items": [
                                    {"uid": f"{oid}-{i}", "catalog_object_id": var, "name": name.split(" (")[0],
                                     "variation_name": name.split(" (")[1].rstrip(")") if " (" in name else "",
                                     "quantity": str(qty), "base_price_money": money(unit),
                                     "total_tax_money": money(0), "total_money": money(unit * qty)}
                                    for i, (var, name, qty, unit) in enumerate(lines)]}]}

    def _search(self, request: Request) -> Response:
        body = request.get_json()
        self.requests.append(body)
        gate = self._gate(request, self._auth(request))
        if gate:
            return gate
        start_at = body["query"]["filter"]["date_time_filter"]["updated_at"]["start_at"]
        assert body["query"]["sort"] == {"sort_field": "UPDATED_AT", "sort_order": "ASC"}
        items = sorted((o for o in self.orders.values() if o["updated_at"] >= start_at
                        and o["location_id"] in body["location_ids"]), key=lambda o: o["updated_at"])
        start = int(body.get("cursor") or 0)
        chunk, nxt, failed = self._page(items, start, start // self.page_size + 1)
        if failed:
            return failed
        out: dict[str, Any] = {"orders": chunk}
        if nxt is not None:
            out["cursor"] = str(nxt)
        return Response(json.dumps(out), content_type="application/json")

    def _locations(self, request: Request) -> Response:
        gate = self._gate(request, self._auth(request))
        return gate or Response(json.dumps({"locations": [{"id": "L1", "name": "Downtown", "status": "ACTIVE"}]}),
                                content_type="application/json")

    def _catalog(self, request: Request) -> Response:
        gate = self._gate(request, self._auth(request))
        if gate:
            return gate
        ids = request.get_json()["object_ids"]
        objects = [{"type": "ITEM_VARIATION", "id": i, "item_variation_data": {"sku": self.skus[i]}}
                   for i in ids if i in self.skus]
        return Response(json.dumps({"objects": objects}), content_type="application/json")

    def _customer(self, request: Request) -> Response:
        gate = self._gate(request, self._auth(request))
        if gate:
            return gate
        cid = request.path.rsplit("/", 1)[-1]
        if cid not in self.customers:
            return Response(json.dumps({"errors": [{"code": "NOT_FOUND"}]}), status=404,
                            content_type="application/json")
        return Response(json.dumps({"customer": {"id": cid, **self.customers[cid]}}),
                        content_type="application/json")


def shop_money(cents: int) -> dict[str, Any]:
    """Shopify's MoneyBag: decimal strings in the shop's currency."""
    return {"shopMoney": {"amount": f"{cents // 100}.{cents % 100:02d}", "currencyCode": "USD"}}


class FakeShopify(Fake):
    """POST /admin/api/2025-01/graphql.json answering the orders query with connections and pageInfo."""

    def __init__(self, server: HTTPServer, **kw: Any) -> None:
        super().__init__(server, **kw)
        self.orders: dict[str, dict[str, Any]] = {}
        self.queries: list[str] = []
        server.expect_request("/admin/api/2025-01/graphql.json", method="POST").respond_with_handler(self._graphql)

    def order(self, number: int, at: str, lines: list[tuple[str | None, str, int, int]], *,
              customer: dict[str, Any] | None = None, updated: str | None = None, subtotal: int | None = None,
              refunds: list[tuple[int, str, list[tuple[int, int]]]] = (), cancelled: str | None = None
              ) -> dict[str, Any]:
        """lines: (sku, name, qty, unit cents); refunds: (id, at, [(line index, qty)])."""
        gid = f"gid://shopify/Order/{number}"
        items = [{"id": f"gid://shopify/LineItem/{number}{i}", "sku": sku, "name": name, "quantity": qty,
                  "variant": {"id": f"gid://shopify/ProductVariant/{number}{i}"},
                  "originalUnitPriceSet": shop_money(unit), "discountedTotalSet": shop_money(unit * qty)}
                 for i, (sku, name, qty, unit) in enumerate(lines)]
        o = {"id": gid, "name": f"#{number}", "createdAt": at, "processedAt": at, "updatedAt": updated or at,
             "cancelledAt": cancelled, "customer": customer, "retailLocation": {"name": "Harbour"},
             "subtotalPriceSet": shop_money(subtotal if subtotal is not None else sum(q * u for _, _, q, u in lines)),
             "totalTaxSet": shop_money(0),
             "lineItems": {"nodes": items},
             "refunds": [{"id": f"gid://shopify/Refund/{rid}", "createdAt": rat, "refundLineItems": {"nodes": [
                 {"quantity": q, "lineItem": {"id": items[i]["id"]},
                  "subtotalSet": shop_money(lines[i][3] * q)} for i, q in rl]}} for rid, rat, rl in refunds]}
        self.orders[gid] = o
        return o

    def _graphql(self, request: Request) -> Response:
        body = request.get_json()
        self.requests.append(body)
        gate = self._gate(request, request.headers.get("X-Shopify-Access-Token", ""))
        if gate:
            return gate
        v = body["variables"]
        self.queries.append(v["query"])
        since = v["query"].split(">=", 1)[1].strip("'")
        items = sorted((o for o in self.orders.values() if o["updatedAt"] >= since), key=lambda o: o["updatedAt"])
        start = int(v.get("after") or 0)
        chunk, nxt, failed = self._page(items, start, start // self.page_size + 1)
        if failed:
            return failed
        page = {"pageInfo": {"hasNextPage": nxt is not None, "endCursor": str(nxt) if nxt is not None else None},
                "nodes": chunk}
        return Response(json.dumps({"data": {"orders": page}, "extensions": {"cost": {
            "requestedQueryCost": 52, "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1948,
                                                         "restoreRate": 100.0}}}}), content_type="application/json")


THROTTLED = json.dumps({"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
                        "extensions": {"cost": {"requestedQueryCost": 502, "throttleStatus": {
                            "maximumAvailable": 2000.0, "currentlyAvailable": 102, "restoreRate": 100.0}}}})


class FakeLoyverse(Fake):
    """GET /receipts (newest first, cursor), GET /stores, GET /customers/{id}; amounts as JSON numbers."""

    def __init__(self, server: HTTPServer, **kw: Any) -> None:
        super().__init__(server, **kw)
        self.receipts: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.asked_from: list[str] = []
        server.expect_request("/receipts").respond_with_handler(self._receipts)
        server.expect_request("/stores").respond_with_handler(self._stores)
        server.expect_request(__import__("re").compile(r"/customers/.+")).respond_with_handler(self._customer)

    def _auth(self, request: Request) -> str:
        return request.headers.get("Authorization", "").removeprefix("Bearer ")

    def receipt(self, number: str, at: str, lines: list[tuple[str | None, str, int, str]], *, kind: str = "SALE",
                refund_for: str | None = None, customer: str | None = None, updated: str | None = None,
                cancelled: str | None = None) -> None:
        """lines: (sku, item name, qty, unit price as the API's decimal number text, e.g. '14.50')."""
        raw = {"receipt_number": number, "receipt_type": kind, "refund_for": refund_for, "created_at": at,
               "receipt_date": at, "updated_at": updated or at, "cancelled_at": cancelled, "customer_id": customer,
               "store_id": "S1", "total_discount": 0, "line_items": [
                   {"id": f"{number}-{i}", "item_id": f"I-{sku}", "variant_id": f"V-{sku}", "item_name": name,
                    "variant_name": None, "sku": sku, "quantity": qty, "price": "@" + price,
                    "total_money": "@" + str(__import__("decimal").Decimal(price) * qty), "line_taxes": []}
                   for i, (sku, name, qty, price) in enumerate(lines)]}
        self.receipts[number] = raw

    def _body(self, data: Any) -> str:
        # Amounts as JSON numbers (12.5), the way Loyverse writes them: the '@'-marked strings lose their quotes.
        return __import__("re").sub(r'"@(-?[0-9.]+)"', r"\1", json.dumps(data))

    def _receipts(self, request: Request) -> Response:
        gate = self._gate(request, self._auth(request))
        if gate:
            return gate
        since = request.args["updated_at_min"]
        self.asked_from.append(since)
        items = sorted((r for r in self.receipts.values() if r["updated_at"] >= since),
                       key=lambda r: r["updated_at"], reverse=True)
        start = int(request.args.get("cursor") or 0)
        chunk, nxt, failed = self._page(items, start, start // self.page_size + 1)
        if failed:
            return failed
        out: dict[str, Any] = {"receipts": chunk}
        if nxt is not None:
            out["cursor"] = str(nxt)
        return Response(self._body(out), content_type="application/json")

    def _stores(self, request: Request) -> Response:
        gate = self._gate(request, self._auth(request))
        return gate or Response(json.dumps({"stores": [{"id": "S1", "name": "Harbour shop"}]}),
                                content_type="application/json")

    def _customer(self, request: Request) -> Response:
        gate = self._gate(request, self._auth(request))
        if gate:
            return gate
        cid = request.path.rsplit("/", 1)[-1]
        if cid not in self.customers:
            return Response("{}", status=404, content_type="application/json")
        return Response(json.dumps({"id": cid, **self.customers[cid]}), content_type="application/json")
