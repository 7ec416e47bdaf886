"""Publishing what a node held before it joined: one change record for each row that has none yet
(bulk-built demo history, imports), shaped exactly like the records the services emit."""

from __future__ import annotations

from typing import Any

from db import sync_queries as q
from loyalty_app.context import ShopContext

BATCH = 500
PRODUCT_FIELDS = ("sku", "barcode", "name", "family", "category", "tags", "size", "size_quantity", "size_unit",
                  "price_cents", "refill_days", "launched_on", "active", "needs_review")
PURCHASE_FIELDS = ("occurred_at", "register", "subtotal_cents", "redeem_discount_cents", "tax_cents",
                   "total_cents", "points_earned", "points_redeemed", "source", "external_id", "created_at")
LINE_FIELDS = ("uuid", "line_no", "qty", "unit_price_cents", "line_discount_cents", "net_cents",
               "redeem_discount_cents", "tax_cents", "points_earned", "points_redeemed")


def _each(ctx: ShopContext, table: str) -> Any:
    uuids = q.uuids_without_changes(ctx.db, table)
    for i in range(0, len(uuids), BATCH):
        yield from q.rows_for_backfill(ctx.db, table, uuids[i:i + BATCH])


def backfill(ctx: ShopContext) -> int:
    """Emit the missing records inside the caller's transaction, in an order peers can apply."""
    n = 0
    for r in _each(ctx, "products"):
        ctx.emit("product.upserted", r["uuid"], {k: r[k] for k in PRODUCT_FIELDS})
        n += 1
    for r in _each(ctx, "customers"):
        ctx.emit("customer.created", r["uuid"], {"name": r["name"], "email": r["email"],
                                                 "created_at": r["created_at"]})
        n += 1
    for r in _each(ctx, "phones"):
        ctx.emit("phone.added", r["uuid"], {"customer": r["customer_uuid"], "e164": r["e164"]})
        n += 1
    for r in _each(ctx, "cards"):
        ctx.emit("card.added", r["uuid"], {"customer": r["customer_uuid"], "number": r["number"]})
        if r["status"] == "lost":
            ctx.emit("card.lost", r["uuid"], {"number": r["number"], "at": r["lost_at"]})
        n += 1
    for r in _each(ctx, "consent_events"):
        ctx.emit("consent.event", r["uuid"], {"customer": r["customer_uuid"], "granted": bool(r["granted"]),
                                              "source": r["source"], "at": r["at"], "channel": r["channel"]})
        n += 1
    for r in _each(ctx, "purchases"):
        lines = [{**{k: ln[k] for k in LINE_FIELDS}, "sku": ln["sku"]} for ln in q.lines_with_skus(ctx.db, r["id"])]
        ctx.emit("purchase.recorded", r["uuid"], {**{k: r[k] for k in PURCHASE_FIELDS},
                                                  "customer": r["customer_uuid"], "store": r["store"],
                                                  "lines": lines})
        n += 1
    for r in _each(ctx, "returns"):
        lines = [{"qty": x["qty"], "refund_cents": x["refund_cents"], "points_reversed": x["points_reversed"],
                  "points_restored": x["points_restored"], "line_uuid": x["line_uuid"]}
                 for x in q.return_lines_with_uuids(ctx.db, r["id"])]
        ctx.emit("return.recorded", r["uuid"], {"purchase": r["purchase_uuid"], "at": r["occurred_at"],
                                                "reason": r["reason"], "source": r["source"],
                                                "external_id": r["external_id"], "lines": lines})
        n += 1
    for r in _each(ctx, "points_ledger"):
        ctx.emit("ledger.entry", r["uuid"], {"customer": r["customer_uuid"], "kind": r["kind"],
                                             "delta": r["delta"], "reason": r["reason"],
                                             "purchase": r["purchase_uuid"], "return": r["return_uuid"],
                                             "at": r["at"], "staff": None})
        n += 1
    return n
