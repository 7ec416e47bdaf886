"""Applying one remote change record, idempotently. Returns False when it depends on a record not yet here
(e.g. a sale of a product created in a third store): the caller retries after other peers were read."""

from __future__ import annotations

import json
import uuid as uuidlib
from typing import Any

from db import customers_queries as cq
from db import products_queries as prq
from db import sales_queries as sq
from db import settings_queries as setq
from db import sync_queries as q
from db import tags_queries as tq
from loyalty_app.consent_types import CONSENT_TYPES
from loyalty_app.context import ShopContext
from loyalty_app.customer_notes import tag_key
from loyalty_app.sync.over_return import settle_over_return
from loyalty_app.sync.records import Record

NAMESPACE = uuidlib.UUID("3f8a4c52-8f7e-4a7c-9d2b-5c1d0e6f7a90")
PROFILE_FIELDS = ("name", "email", "notes")
FUTURE_TOLERANCE_MS = 5 * 60 * 1000
_NO_CONSENT = {f"consent_{t}": 0 for t in CONSENT_TYPES}


def derived_uuid(*parts: str) -> str:
    """The same id on every node for a record two nodes derive independently (merges, return lines)."""
    return str(uuidlib.uuid5(NAMESPACE, "|".join(parts)))


class Applier:
    def __init__(self, ctx: ShopContext) -> None:
        self.ctx = ctx
        self.db = ctx.db

    def apply(self, rec: Record) -> bool:
        handler = getattr(self, "_" + rec.type.replace(".", "_"), None)
        if handler is None:
            return True  # a record type this version does not know: nothing to do, never blocks the stream
        return bool(handler(rec))

    # -- helpers ---------------------------------------------------------------------------------------
    def alarm(self, kind: str, rec: Record, details: str) -> None:
        q.insert_alarm(self.db, {"at": self.ctx.now_iso(), "kind": kind, "record_uuid": rec.uuid,
                                 "node_id": rec.node, "details": details})

    def _customer(self, cuuid: str | None) -> dict[str, Any] | None:
        """The customer a record names, followed to the survivor of any merge."""
        if not cuuid:
            return None
        row = cq.get_customer_by_uuid(self.db, cuuid)
        while row is not None and row["merged_into"]:
            row = cq.get_customer(self.db, row["merged_into"])
        return row

    def _wins(self, rec: Record, entity: str, field: str, local: str | None = None) -> bool:
        """Last writer wins per field by hybrid clock; a clock far in the future cannot win (and is reported)."""
        if rec.millis > int(self.ctx.now().timestamp() * 1000) + FUTURE_TOLERANCE_MS:
            self.alarm("clock-ahead", rec, f"{rec.type} from a clock in the future did not change {field}")
            return False
        current = max(q.get_clock(self.db, entity, field) or "",
                      local if local is not None else (q.local_hlc_of(self.db, entity) or ""))
        if rec.hlc <= current:
            return False
        q.set_clock(self.db, entity, field, rec.hlc)
        return True

    # -- customers -------------------------------------------------------------------------------------
    def _customer_created(self, rec: Record) -> bool:
        if cq.get_customer_by_uuid(self.db, rec.entity) is None:
            d = rec.data
            q.insert_row(self.db, "customers", {"uuid": rec.entity, "name": d.get("name"), "email": None,
                                                "created_at": d["created_at"], "updated_at": d["created_at"]})
            self._set_email(rec, rec.entity, d.get("email"))
            for field in ("name", "email"):
                q.set_clock(self.db, rec.entity, field, rec.hlc)
        return True

    def _set_email(self, rec: Record, cuuid: str, email: str | None) -> None:
        row = cq.get_customer_by_uuid(self.db, cuuid)
        assert row is not None
        if email:
            other = cq.find_customer_by_email(self.db, email)
            if other and other["id"] != row["id"]:
                # Two stores gave one address to two customers: the earlier-created one keeps it, everywhere.
                self.alarm("email-taken", rec, f"{email} was given to two customers; the earlier one keeps it")
                if (other["created_at"], other["uuid"]) < (row["created_at"], row["uuid"]):
                    return
                cq.update_customer(self.db, other["id"], {"email": None, "email_consent": 0, **_NO_CONSENT})
        cq.update_customer(self.db, row["id"], {"email": email})

    def _customer_updated(self, rec: Record) -> bool:
        row = cq.get_customer_by_uuid(self.db, rec.entity)
        if row is None:
            return False
        for field in PROFILE_FIELDS:
            if field in rec.data and self._wins(rec, rec.entity, field):
                if field == "email":
                    self._set_email(rec, rec.entity, rec.data[field])
                else:
                    cq.update_customer(self.db, row["id"], {field: rec.data[field]})
        return True

    def _consent_event(self, rec: Record) -> bool:
        cust = self._customer(rec.data.get("customer"))
        if cust is None:
            return False
        if q.get_by_uuid(self.db, "consent_events", rec.entity) is None:
            q.insert_row(self.db, "consent_events", {
                "uuid": rec.entity, "customer_id": cust["id"], "channel": rec.data.get("channel") or "email",
                "granted": int(bool(rec.data["granted"])), "source": rec.data.get("source") or "sync",
                "at": rec.data.get("at") or self.ctx.now_iso(), "hlc": rec.hlc})
            self._refresh_consent(cust["id"])
        return True

    def _refresh_consent(self, customer_id: int) -> None:
        """Each type's answer is its newest event by clock (its own channel, or 'email' for every type)."""
        latest = {t: q.latest_consent_event(self.db, customer_id, t) for t in CONSENT_TYPES}
        decided = [e for e in latest.values() if e is not None]
        if decided:
            newest = max(decided, key=lambda e: str(e["clock"]))
            cq.update_customer(self.db, customer_id, {
                **{f"consent_{t}": int(bool(e and e["granted"])) for t, e in latest.items()},
                "email_consent": int(any(e["granted"] for e in decided)), "email_consent_at": newest["at"],
                "email_consent_source": newest["source"]})

    def _phone_added(self, rec: Record) -> bool:
        cust = self._customer(rec.data.get("customer"))
        if cust is None:
            return False
        e164 = rec.data["e164"]
        newer = self._wins(rec, "phone:" + e164, "present", q.local_phone_hlc(self.db, e164) or "")
        owner = cq.find_customer_by_phone(self.db, e164)
        if owner is not None:  # both stores added it: one number, one customer, whichever add came last
            survivor = self._customer(owner["uuid"])
            assert survivor is not None
            if survivor["id"] != cust["id"]:
                self._merge_same_phone(rec, survivor, cust, e164)
        elif newer:  # absent here: added again only if this add came after the last removal
            cq.insert_phone(self.db, {"uuid": rec.entity, "customer_id": cust["id"], "e164": e164,
                                      "added_at": self.ctx.now_iso()})
        return True

    def _merge_same_phone(self, rec: Record, a: dict[str, Any], b: dict[str, Any], e164: str) -> None:
        """Two stores signed up one number while apart: the earlier-created customer survives, everywhere."""
        keep, dup = sorted((a, b), key=lambda c: (c["created_at"], c["uuid"]))
        self._absorb(keep, dup, derived_uuid("merge", keep["uuid"], dup["uuid"]), f"same phone {e164}")

    def _absorb(self, keep: dict[str, Any], dup: dict[str, Any], merge_uuid: str, why: str) -> None:
        now = self.ctx.now_iso()
        if q.get_by_uuid(self.db, "customer_merges", merge_uuid) is None:
            q.insert_row(self.db, "customer_merges", {"uuid": merge_uuid, "survivor_id": keep["id"],
                                                      "merged_id": dup["id"], "points_moved": dup["points_balance"],
                                                      "at": now})
        q.absorb_customer(self.db, keep["id"], dup["id"], now)
        self._refresh_consent(keep["id"])
        setq.insert_audit(self.db, now, None, "sync.merge", f"{keep['id']}<-{dup['id']}",
                          {"why": why, "survivor": keep["uuid"], "merged": dup["uuid"]})

    def _phone_removed(self, rec: Record) -> bool:
        e164 = rec.data["e164"]
        if self._wins(rec, "phone:" + e164, "present", q.local_phone_hlc(self.db, e164) or ""):
            owner = cq.find_customer_by_phone(self.db, e164)
            if owner is not None:
                for p in cq.list_phones(self.db, owner["id"]):
                    if p["e164"] == e164:
                        cq.delete_phone(self.db, p["id"])
        return True

    def _card_added(self, rec: Record) -> bool:
        cust = self._customer(rec.data.get("customer"))
        if cust is None:
            return False
        number = rec.data["number"]
        card = cq.find_card(self.db, number)
        if card is None:
            cq.insert_card(self.db, {"uuid": rec.entity, "customer_id": cust["id"], "number": number,
                                     "issued_at": rec.data.get("at") or self.ctx.now_iso()})
        elif card["customer_id"] != cust["id"] and card["uuid"] != rec.entity:
            self.alarm("card-conflict", rec, f"card {number} was issued to two customers; kept the first")
        return True

    def _card_lost(self, rec: Record) -> bool:
        card = cq.find_card(self.db, rec.data["number"])
        if card is None:
            return False
        cq.update_card(self.db, card["id"], {"status": "lost", "lost_at": rec.data.get("at") or self.ctx.now_iso()})
        return True

    def _customer_merged(self, rec: Record) -> bool:
        keep, dup = self._customer(rec.data["survivor"]), self._customer(rec.data["merged"])
        if keep is None or dup is None:
            return False
        if keep["id"] != dup["id"]:
            self._absorb(keep, dup, rec.entity, "merged by the owner in another store")
        return True

    def _customer_tag_added(self, rec: Record) -> bool:
        return self._tag(rec, present=True)

    def _customer_tag_removed(self, rec: Record) -> bool:
        return self._tag(rec, present=False)

    def _tag(self, rec: Record, *, present: bool) -> bool:
        """A tag added or taken off in another store: the latest add or removal of that tag wins."""
        cust = self._customer(rec.data.get("customer"))
        if cust is None:
            return False
        tag = rec.data.get("tag")
        if not tag:  # erased since: nothing to say
            return True
        local = q.local_tag_hlc(self.db, rec.data["customer"], tag) or ""
        if self._wins(rec, f"tag:{cust['uuid']}:{tag_key(tag)}", "present", local):
            row = tq.find_tag(self.db, cust["id"], tag_key(tag))
            if present and row is None:
                tq.insert_tag(self.db, {"uuid": rec.entity, "customer_id": cust["id"], "tag": tag,
                                        "tag_key": tag_key(tag), "added_at": self.ctx.now_iso()})
            elif not present and row is not None:
                tq.delete_tag(self.db, row["id"])
        return True

    # -- catalogue, program ----------------------------------------------------------------------------
    def _product_upserted(self, rec: Record) -> bool:
        d = {k: v for k, v in rec.data.items() if k in {
            "sku", "barcode", "name", "family", "category", "tags", "size", "size_quantity", "size_unit",
            "price_cents", "refill_days", "launched_on", "active", "needs_review"}}
        row = q.get_by_uuid(self.db, "products", rec.entity) or prq.get_product_by_sku(self.db, d["sku"])
        if row is None:
            now = self.ctx.now_iso()
            q.insert_row(self.db, "products", {**d, "uuid": rec.entity, "created_at": now, "updated_at": now})
            q.set_clock(self.db, rec.entity, "*", rec.hlc)
        elif self._wins(rec, row["uuid"], "*"):
            if d.get("barcode"):
                clash = prq.get_product_by_barcode(self.db, d["barcode"])
                if clash and clash["id"] != row["id"]:
                    d.pop("barcode")
            prq.update_product(self.db, row["id"], {**d, "updated_at": self.ctx.now_iso()})
        return True

    def _program_changed(self, rec: Record) -> bool:
        if q.get_by_uuid(self.db, "points_programs", rec.entity) is None and self._wins(rec, "program", "current"):
            q.insert_row(self.db, "points_programs", {**rec.data, "uuid": rec.entity, "changed_at": self.ctx.now_iso()})
        return True

    # -- sales and points ------------------------------------------------------------------------------
    def _purchase_recorded(self, rec: Record) -> bool:
        d = rec.data
        existing = sq.get_purchase_by_uuid(self.db, rec.entity)
        if existing is not None:
            if existing["total_cents"] != d["total_cents"]:
                self.alarm("payload-differs", rec, f"purchase {rec.entity} arrived with another total; kept ours")
            return True
        cust = self._customer(d.get("customer"))
        if d.get("customer") and cust is None:
            return False
        products = {}
        for line in d["lines"]:
            p = prq.get_product_by_sku(self.db, line["sku"])
            if p is None:
                return False
            products[line["sku"]] = p["id"]
        store_id = None
        if d.get("store"):
            store = setq.get_store_by_name(self.db, d["store"])
            store_id = store["id"] if store else setq.insert_store(self.db, {
                "uuid": derived_uuid("store", d["store"]), "name": d["store"], "created_at": self.ctx.now_iso()})
        values = {k: d.get(k) for k in ("occurred_at", "register", "subtotal_cents", "redeem_discount_cents",
                                         "tax_cents", "total_cents", "points_earned", "points_redeemed", "source",
                                         "external_id", "created_at")}
        if values["external_id"] and sq.get_purchase_by_external_id(self.db, str(values["source"]),
                                                                    str(values["external_id"])):
            values["external_id"] = f"{values['external_id']}@{rec.node[:8]}"  # the same POS row imported twice
        pid = q.insert_row(self.db, "purchases", {**values, "uuid": rec.entity,
                                                  "customer_id": cust["id"] if cust else None, "store_id": store_id})
        sq.insert_purchase_lines(self.db, pid, [
            {**{k: v for k, v in line.items() if k != "sku"}, "product_id": products[line["sku"]]}
            for line in d["lines"]])
        if cust is not None and (cust["last_visit_at"] is None or d["occurred_at"] > cust["last_visit_at"]):
            cq.update_customer(self.db, cust["id"], {"last_visit_at": d["occurred_at"]})
        return True

    def _return_recorded(self, rec: Record) -> bool:
        d = rec.data
        if q.get_by_uuid(self.db, "returns", rec.entity) is not None:
            return True
        purchase = sq.get_purchase_by_uuid(self.db, d["purchase"])
        if purchase is None:
            return False
        lines = {ln["uuid"]: ln for ln in sq.list_purchase_lines(self.db, purchase["id"])}
        if any(x["line_uuid"] not in lines for x in d["lines"]):
            return False
        rid = q.insert_row(self.db, "returns", {
            "uuid": rec.entity, "purchase_id": purchase["id"], "occurred_at": d["at"], "reason": d.get("reason"),
            "source": d.get("source") or "counter", "external_id": None,
            "refund_cents": sum(x["refund_cents"] for x in d["lines"]),
            "points_reversed": sum(x["points_reversed"] for x in d["lines"]),
            "points_restored": sum(x["points_restored"] for x in d["lines"])})
        buyer = cq.get_customer(self.db, purchase["customer_id"]) if purchase["customer_id"] is not None else None
        survivor = self._customer(buyer["uuid"]) if buyer else None
        for x in d["lines"]:
            line = lines[x["line_uuid"]]
            q.insert_row(self.db, "return_lines", {
                "uuid": derived_uuid("return-line", rec.entity, x["line_uuid"]), "return_id": rid,
                "purchase_line_id": line["id"], "qty": x["qty"], "refund_cents": x["refund_cents"],
                "points_reversed": x["points_reversed"], "points_restored": x["points_restored"]})
            sq.add_returned_qty(self.db, line["id"], min(x["qty"], line["qty"] - line["returned_qty"]))
            told = settle_over_return(self.ctx, line, purchase, survivor["id"] if survivor else None, derived_uuid)
            if told:
                self.alarm("over-return", rec, told)
        return True

    def _ledger_entry(self, rec: Record) -> bool:
        d = rec.data
        if q.get_by_uuid(self.db, "points_ledger", rec.entity) is not None:
            return True
        own = cq.get_customer_by_uuid(self.db, d["customer"])
        survivor = self._customer(d["customer"])
        if own is None or survivor is None:
            return False
        purchase = sq.get_purchase_by_uuid(self.db, d["purchase"]) if d.get("purchase") else None
        ret = q.get_by_uuid(self.db, "returns", d["return"]) if d.get("return") else None
        if (d.get("purchase") and purchase is None) or (d.get("return") and ret is None):
            return False
        q.insert_row(self.db, "points_ledger", {
            "uuid": rec.entity, "customer_id": own["id"], "kind": d["kind"], "delta": d["delta"],
            "purchase_id": purchase["id"] if purchase else None, "return_id": ret["id"] if ret else None,
            "reason": d.get("reason"), "at": d.get("at") or self.ctx.now_iso()})
        cq.add_to_balance(self.db, survivor["id"], int(d["delta"]))
        return True


def payload_fingerprint(rec: Record) -> str:
    return json.dumps(rec.data, sort_keys=True)
