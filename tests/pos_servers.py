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
