"""Finding a customer from whatever the cashier typed or scanned: phone in any format, card, name or email."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from db import customers_queries as q
from db import sales_queries as sq
from loyalty_app.cards import looks_like_card
from loyalty_app.context import ShopContext
from loyalty_app.customers import Customer, CustomerService
from loyalty_app.errors import NotFound
from loyalty_app.phones import looks_like_phone, normalize_phone
from loyalty_app.points_rules import PointsProgram


@dataclass
class LookupResult:
    """What a lookup found. ``phone`` is the normalised number when the query was one (to offer sign-up)."""

    kind: str  # card | phone | email | name | id (#12) | pos (pos:ID)
    matches: list[Customer] = field(default_factory=list)
    phone: str | None = None


CUSTOMER_NUMBER = re.compile(r"#\s*\d{1,12}")


def fts_query(text: str) -> str | None:
    """Prefix match on every word: 'ada lov' → '"ada"* "lov"*' (quotes keep FTS syntax inert)."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    if not words:
        return None
    return " ".join('"' + w.replace('"', "") + '"*' for w in words[:8])


class LookupService:
    def __init__(self, ctx: ShopContext, customers: CustomerService,
                 program: Callable[[], PointsProgram]) -> None:
        self.ctx = ctx
        self.customers = customers
        self._program = program
        self.enrichers: list[Callable[[dict[str, Any]], None]] = []  # suggestions add refill_due, suggestions

    def find(self, text: str, limit: int = 20) -> LookupResult:
        """Classify and search. Raises PhoneError/CardError (ValidationError) with a reason for bad input."""
        t = text.strip()
        if not t:
            return LookupResult("name")
        if CUSTOMER_NUMBER.fullmatch(t):
            return LookupResult("id", self._by_number(int(t.lstrip("#").strip())))
        if t[:4].lower() == "pos:" and t[4:].strip():
            return LookupResult("pos", self._by_pos_id(t[4:].strip()))
        if looks_like_card(t):
            return LookupResult("card", [self.customers.customer_for_card(t)])
        if looks_like_phone(t):
            e164 = normalize_phone(t, self.ctx.region)
            row = q.find_customer_by_phone(self.ctx.db, e164)
            return LookupResult("phone", [self.customers.get(row["id"])] if row else [], e164)
        if "@" in t:
            row = q.find_customer_by_email(self.ctx.db, t)
            if row:
                return LookupResult("email", [self.customers.get(row["id"])])
        query = fts_query(t)
        rows = q.search_customers(self.ctx.db, query, limit) if query else []
        return LookupResult("email" if "@" in t else "name", [Customer.from_row(r) for r in rows])

    def _by_number(self, customer_id: int) -> list[Customer]:
        """Our customer number as the command line prints it (#12); a merged duplicate opens its survivor."""
        row = q.get_customer(self.ctx.db, customer_id)
        if row is None or row["erased_at"]:
            return []
        return [self.customers.get(customer_id)]

    def _by_pos_id(self, external_id: str) -> list[Customer]:
        """The POS's own customer id kept by an import (``pos:CUST-ADA``), whichever till it came from."""
        found: dict[int, Customer] = {}
        for r in q.find_customers_by_pos_id(self.ctx.db, external_id):
            c = self.customers.get(r["id"])
            found.setdefault(c.id, c)
        return list(found.values())

    def find_one(self, text: str) -> Customer:
        """Exactly one customer, or NotFound/ValidationError explaining why not (for the command line)."""
        result = self.find(text)
        if not result.matches:
            raise NotFound(f"no customer matches '{text}'")
        if len(result.matches) > 1:
            names = ", ".join(f"#{c.id} {c.name or ''}".rstrip() for c in result.matches[:5])
            raise NotFound(f"'{text}' matches {len(result.matches)} customers ({names}); be more precise")
        return result.matches[0]

    def profile(self, customer_id: int, history_limit: int | None = None) -> dict[str, Any]:
        """Everything the counter shows: identity, balance and its value, last basket, full history."""
        c = self.customers.get(customer_id)
        program = self._program()
        data = self.customers.summary(c)
        rows = sq.customer_history(self.ctx.db, c.id, history_limit)
        history: list[dict[str, Any]] = []
        for r in rows:
            if not history or history[-1]["purchase_id"] != r["purchase_id"]:
                history.append({"purchase_id": r["purchase_id"], "purchase_uuid": r["purchase_uuid"],
                                "occurred_at": r["occurred_at"], "store": r["store"],
                                "total_cents": r["total_cents"], "points_earned": r["points_earned"],
                                "points_redeemed": r["points_redeemed"], "lines": []})
            history[-1]["lines"].append({"line_id": r["line_id"], "product_id": r["product_id"], "sku": r["sku"],
                                         "name": r["name"], "size": r["size"], "family": r["family"],
                                         "category": r["category"], "qty": r["qty"],
                                         "returned_qty": r["returned_qty"], "unit_price_cents": r["unit_price_cents"],
                                         "net_cents": r["net_cents"]})
        data.update(
            points_value_cents=program.value_of(max(c.points_balance, 0) - max(c.points_balance, 0)
                                                % program.redeem_step),
            member_since=c.created_at,
            last_visit=c.last_visit_at,
            last_basket=history[0]["lines"] if history else [],
            history=history,
            refill_due=[],
            suggestions=[],
        )
        for enrich in self.enrichers:
            enrich(data)
        return data
