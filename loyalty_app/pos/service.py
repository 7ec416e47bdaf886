"""Live POS connections: connect (token in the keyring), pull what changed, attach an order, say how far each is."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from db import pos_queries as pq
from loyalty_app.clock import from_iso, to_iso
from loyalty_app.context import Staff
from loyalty_app.errors import (
    Conflict,
    LoyaltyError,
    NotFound,
    RemoteRefused,
    RemoteUnavailable,
    ValidationError,
)
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.importers.records import Line
from loyalty_app.pos import loyverse, shopify, square
from loyalty_app.pos.engine import OrderApplier, _sale_item
from loyalty_app.pos.http import BadRequest
from loyalty_app.pos.model import KINDS, Connector, PullSummary
from loyalty_app.pos.till import TillRedemptions
from loyalty_app.pos.views import AnonymousOrder, AttachedSale, ConnectionStatus, HeldRedemption

KEYRING_SERVICE = "loyalty-desk"
OVERLAP = timedelta(minutes=5)  # orders indexed late by the POS are read again; applied ones are skipped
FIRST_PULL_DAYS = 30
ATTACH_DAYS = 14


def _account(name: str) -> str:
    return f"pos:{name.lower()}"


class PosService:
    """The shop's POS connections. Network calls never run inside a write transaction."""

    def __init__(self, shop: ImportDeps, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.shop = shop
        self.ctx = shop.ctx
        self.sleep = sleep
        self.till = TillRedemptions(shop)
        self._cancelled: Callable[[], bool] | None = None

    # -- set-up ---------------------------------------------------------------------------------------------
    def connect(self, kind: str, name: str, *, token: str | None = None, token_env: str | None = None,
                api_base: str | None = None, location: str | None = None, shop_domain: str | None = None,
                since: str | None = None, actor: Staff | None = None) -> ConnectionStatus:
        """Add (or change) a connection; the token goes to the system keyring, or is read from ``token_env``."""
        who = self.ctx.require_owner(actor, "connecting a POS")
        kind = kind.strip().lower()
        name = name.strip()
        if kind not in KINDS:
            raise ValidationError(f"'{kind}' is not a POS this app connects to: square, shopify or loyverse")
        if not name:
            raise ValidationError("the connection needs a name: --name NAME")
        if kind == "shopify" and not api_base:
            if not shop_domain:
                raise ValidationError("Shopify needs the shop's domain: --shop NAME.myshopify.com")
            api_base = shopify.shop_base(shop_domain)
        base = (api_base or (square.API_BASE if kind == "square" else loyverse.API_BASE)).rstrip("/")
        if not base.startswith(("https://", "http://")):
            raise ValidationError(f"'{base}' is not a web address like https://…")
        if token_env is None and not token:
            raise ValidationError("give the access token: on a terminal it is asked for, else --token-env VAR")
        start = self._since(kind, since)
        existing = pq.get_connection(self.ctx.db, name)
        if existing is not None and existing["kind"] != kind:
            raise Conflict(f"the connection '{name}' is a {existing['kind']} connection: choose another name")
        if token_env is None and token:
            import keyring  # imported where used: it costs every start
            import keyring.errors

            try:
                keyring.set_password(KEYRING_SERVICE, _account(name), token)
            except keyring.errors.KeyringError as exc:
                raise ValidationError(f"the system keyring refused the token ({exc}); nothing was saved: use "
                                      "--token-env VAR to read it from the environment instead") from exc
        values = {"kind": kind, "api_base": base, "location_id": location, "token_env": token_env}
        with self.ctx.write():
            if existing is None:
                pq.insert_connection(self.ctx.db, {"name": name, **values, "since": start,
                                                   "created_at": self.ctx.now_iso()})
            else:  # a new token or server: the pull carries on from where it was
                pq.update_connection(self.ctx.db, existing["id"], {**values, "last_error": None})
            self.ctx.audit("pos.connect", name, {**values, "since": start}, who)
        return self.status(name)[0]

    def _since(self, kind: str, since: str | None) -> str:
        if since:
            try:
                return to_iso(from_iso(since))
            except ValueError as exc:
                raise ValidationError(f"'{since}' is not a date like 2026-11-01") from exc
        # Carry on from the last sale imported from this POS's export files, else a month back.
        latest = pq.latest_purchase_time(self.ctx.db, KIND_SOURCE[kind])
        return latest or to_iso(self.ctx.now() - timedelta(days=FIRST_PULL_DAYS))

    def _token(self, row: dict[str, Any]) -> str:
        if row["token_env"]:
            token = os.environ.get(row["token_env"])
            if not token:
                raise RemoteRefused(f"the access token for '{row['name']}' is read from ${row['token_env']}, "
                                    "which is not set: set it, or run 'loyalty pos connect' again")
            return token
        import keyring
        import keyring.errors

        try:
            token = keyring.get_password(KEYRING_SERVICE, _account(row["name"]))
        except keyring.errors.KeyringError:
            token = None
        if not token:
            raise RemoteRefused(f"no access token for '{row['name']}' in the system keyring: run 'loyalty pos "
                                f"connect {row['kind']} --name {row['name']}' again, or use --token-env VAR")
        return token

    def _connector(self, row: dict[str, Any]) -> Connector:
        token = self._token(row)
        region, zone = self.ctx.region, self.ctx.zone
        if row["kind"] == "square":
            return square.SquareConnector(token, api_base=row["api_base"], location=row["location_id"],
                                          region=region, zone=zone, sleep=self.sleep)
        if row["kind"] == "shopify":
            return shopify.ShopifyConnector(token, api_base=row["api_base"], region=region, zone=zone,
                                            sleep=self.sleep)
        return loyverse.LoyverseConnector(token, api_base=row["api_base"], region=region, zone=zone,
                                          sleep=self.sleep, now=self.ctx.now)

    # -- pulling ----------------------------------------------------------------------------------------------
    def pull(self, name: str | None = None, *, cancelled: Callable[[], bool] | None = None) -> list[PullSummary]:
        """Pull every connection (or one): orders changed since the last pull, each applied exactly once.

        ``cancelled`` (the app's worker) is checked after each page: a stopped pull resumes at the next page."""
        rows = pq.list_connections(self.ctx.db)
        if name is not None:
            rows = [r for r in rows if r["name"].lower() == name.strip().lower()]
            if not rows:
                raise NotFound(f"no POS connection named '{name}': see 'loyalty pos status'")
        elif not rows:
            raise NotFound("no POS is connected yet: run 'loyalty pos connect square|shopify|loyverse' first")
        self._cancelled = cancelled
        results = [self._pull_one(r) for r in rows]
        # A held redemption is given back only once every connection has pulled past its deadline.
        marks = [r["watermark"] for r in pq.list_connections(self.ctx.db)]
        self.till.expire(min(marks) if marks and all(marks) else None)
        return results

    def beside_till(self) -> str | None:
        """The connected POS ('square', …) when this shop rings its sales there, else None."""
        return pq.any_connection(self.ctx.db)

    def hold_redemption(self, customer_id: int, points: int, basket_cents: int, *, actor: Staff | None = None
                        ) -> HeldRedemption:
        """Points redeemed at our counter for a basket rung on the POS: the discount to key into the till."""
        return self.till.hold(customer_id, points, basket_cents, actor=actor)

    def _pull_one(self, row: dict[str, Any]) -> PullSummary:
        summary = PullSummary(row["name"], row["kind"])
        try:
            connector = self._connector(row)
        except LoyaltyError as exc:
            return self._finish(row, summary, exc)
        try:
            base = row["watermark"] or row["since"]
            summary.warnings = connector.warnings(row["since"] if row["watermark"] is None else base)
            start = to_iso(from_iso(base) - OVERLAP) if row["watermark"] else base
            if row["cursor"]:
                try:
                    self._pages(row, connector, summary, row["cursor_from"] or start, row["cursor"])
                except BadRequest:  # the kept page is no longer served: start again from the watermark
                    self._pages(row, connector, summary, start, None)
            else:
                self._pages(row, connector, summary, start, None)
        except (RemoteRefused, RemoteUnavailable) as exc:
            return self._finish(row, summary, exc)
        finally:
            close = getattr(connector, "close", None)
            if close:
                close()
        return self._finish(row, summary, None)

    def _pages(self, row: dict[str, Any], connector: Connector, summary: PullSummary, start: str,
               cursor: str | None) -> None:
        applier = OrderApplier(self.shop, row, connector, summary)
        waiting = []  # returns whose sale was not in yet: tried again once every page is in
        for page in connector.pages(start, cursor):
            summary.pages += 1
            # Sales before the returns that name them, when both are on one page.
            for order in sorted(page.orders, key=lambda o: o.kind != "sale"):
                summary.orders_seen += 1
                applier.prepare(order)
                if applier.apply(order) == "rejected" and order.kind == "return":
                    waiting.append((order, len(summary.problems) - 1))
            with self.ctx.write():  # where the next pull resumes if this one stops before the end
                pq.update_connection(self.ctx.db, row["id"], {"cursor": page.cursor,
                                                              "cursor_from": start if page.cursor else None})
                if page.cursor is None and applier.newest_seen:
                    pq.advance_watermark(self.ctx.db, row["id"], applier.newest_seen)
            if page.cursor and self._cancelled is not None and self._cancelled():
                summary.status = "cancelled"
                return
        for order, problem in reversed(waiting):
            if applier.apply(order) != "rejected":
                summary.rejected -= 1
                del summary.problems[problem]
            else:  # the second try's problem repeats the first
                summary.rejected -= 1
                summary.problems.pop()

    def _finish(self, row: dict[str, Any], summary: PullSummary, exc: Exception | None) -> PullSummary:
        if exc is not None:
            summary.status, summary.error = "failed", str(exc)
        with self.ctx.write():
            pq.update_connection(self.ctx.db, row["id"], {"last_pull_at": self.ctx.now_iso(),
                                                          "last_status": summary.status, "last_error": summary.error})
        fresh = pq.get_connection(self.ctx.db, row["name"])
        summary.watermark = fresh["watermark"] if fresh else None
        return summary

    # -- beside the till ---------------------------------------------------------------------------------------
    def recent_anonymous(self, days: int = ATTACH_DAYS) -> list[AnonymousOrder]:
        """POS sales of the last days with no customer: what the counter may attach to the customer in front."""
        return [AnonymousOrder(**r) for r in
                pq.recent_anonymous_orders(self.ctx.db, to_iso(self.ctx.now() - timedelta(days=days)))]

    def attach(self, pos_order: str, customer_id: int, *, actor: Staff | None = None) -> AttachedSale:
        """Give an anonymous POS sale to a customer: it earns its points now, as if they had shown their card."""
        db = self.ctx.db
        rows = pq.find_orders(db, pos_order.strip()) or pq.find_orders_by_key(db, pos_order.strip())
        rows = [r for r in rows if r["kind"] == "sale"]
        if not rows:
            raise NotFound(f"no pulled POS order '{pos_order}': run 'loyalty pos pull' first")
        if len(rows) > 1:
            raise Conflict(f"'{pos_order}' names orders on {len(rows)} connections: give the POS's own order id")
        o = rows[0]
        if o["status"] != "applied" or o["purchase_id"] is None:
            raise Conflict(f"POS order '{pos_order}' was not recorded here ({o['reason'] or o['status']})")
        customer = self.shop.customers.get(customer_id)
        with self.ctx.write():
            p = pq.purchase_header(db, o["purchase_id"])
            assert p is not None
            if p["customer_id"] is not None:
                raise Conflict(f"POS order '{pos_order}' is already on customer #{p['customer_id']}")
            if p["occurred_at"] < to_iso(self.ctx.now() - timedelta(days=ATTACH_DAYS)):
                raise ValidationError(f"POS order '{pos_order}' is older than {ATTACH_DAYS} days: only recent "
                                      "orders can be attached")
            lines = pq.purchase_lines_by_sku(db, o["purchase_id"])
            if any(r["returned_qty"] for r in lines):
                raise Conflict(f"part of POS order '{pos_order}' was returned: it can no longer be attached")
            source = KIND_SOURCE[o["pos_kind"]]
            self.shop.sales.return_items(o["purchase_id"], None, actor=actor, reason=f"attached to customer "
                                         f"#{customer_id}", source=source, external_id=f"{o['order_key']}:attached")
            items = [_sale_item(r["sku"], _line_of(r)) for r in lines]
            sale = self.shop.sales.record_sale(customer_id, items, occurred_at=from_iso(p["occurred_at"]),
                                               store=p["store"], actor=actor, source=source,
                                               external_id=f"{o['order_key']}@attached")
            pq.save_order(db, {**{k: o[k] for k in ("connection_id", "pos_order_id", "order_key", "version", "kind",
                                                     "status", "reason", "total_cents", "occurred_at",
                                                     "pos_updated_at")},
                               "purchase_id": sale.purchase_id, "return_id": None,
                               "attached_customer_id": customer_id, "applied_at": self.ctx.now_iso()})
            self.ctx.audit("pos.attach", o["pos_order_id"], {"customer_id": customer_id,
                                                              "purchase_id": sale.purchase_id,
                                                              "points": sale.points_earned}, actor)
        return AttachedSale(o["pos_order_id"], customer_id, customer.name, sale.purchase_id, sale.points_earned,
                            sale.points_balance)

    # -- what the owner sees ---------------------------------------------------------------------------------
    def status(self, name: str | None = None) -> list[ConnectionStatus]:
        out = []
        for r in pq.list_connections(self.ctx.db):
            if name is not None and r["name"].lower() != name.lower():
                continue
            counts = pq.order_counts(self.ctx.db, r["id"])
            warn = loyverse.history_warning(r["watermark"] or r["since"], self.ctx.now()) \
                if r["kind"] == "loyverse" else None
            out.append(ConnectionStatus(
                name=r["name"], kind=r["kind"], api_base=r["api_base"], location=r["location_id"],
                token=f"environment variable {r['token_env']}" if r["token_env"] else "system keyring",
                since=r["since"], pulled_up_to=r["watermark"], resuming=bool(r["cursor"]),
                last_pull_at=r["last_pull_at"], last_status=r["last_status"], last_error=r["last_error"],
                sales=counts.get("sale_applied", 0), returns=counts.get("return_applied", 0),
                skipped=counts.get("sale_skipped", 0) + counts.get("return_skipped", 0),
                rejected=counts.get("sale_rejected", 0) + counts.get("return_rejected", 0),
                rejected_orders=pq.rejected_orders(self.ctx.db, r["id"]),
                warnings=[warn] if warn else [],
                redemptions_pending=len(self.till.pending())))
        return out


KIND_SOURCE = {"square": square.SquareConnector.source, "shopify": shopify.ShopifyConnector.source,
               "loyverse": loyverse.LoyverseConnector.source}


def _line_of(r: dict[str, Any]) -> Line:
    return Line(0, r["sku"], None, None, None, r["qty"], r["net_cents"], r["unit_price_cents"], r["tax_cents"])
