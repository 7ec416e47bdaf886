"""Finding (or creating) the loyalty customer and the product each imported row names, from in-memory indexes."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from db import customers_queries as cq
from db import import_queries as iq
from loyalty_app.context import new_uuid
from loyalty_app.customers import clean_name
from loyalty_app.errors import LoyaltyError, NotFound
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.importers.records import Line, Person
from loyalty_app.importers.square_transactions import UNITEMISED_SKU
from loyalty_app.products import size_in_name


class CustomerResolver:
    """Links rows to customers by the POS's customer id, then phone (E.164), then email; creates when needed.

    Indexes are loaded once and kept up to date as customers are created, so a phone written two ways
    (normalised to one E.164) never makes a second customer.
    """

    def __init__(self, shop: ImportDeps, source: str, *, batched: bool = False) -> None:
        self.shop = shop
        self.source = source
        self._load_indexes()
        self._complete = False  # the indexes hold every stored key: true inside a batch that checked it
        self.created: set[int] = set()
        self.linked: set[int] = set()
        # Batched (the sales importer): new customers get their ids at once and are written by ``flush``, in a
        # few statements, inside the batch's transaction before its sales.
        self.batched = batched
        self._next_id: int | None = None
        self._new: list[tuple[Any, ...]] = []
        self._new_phones: list[tuple[Any, ...]] = []
        self._new_pos: list[tuple[str, str, int]] = []
        self._pending: dict[int, int] = {}  # customer id → its row in ``_new``

    def _load_indexes(self) -> None:
        db = self.shop.ctx.db
        self._version = iq.data_version(db)  # read first: a change committed while loading shows as a new version
        self.by_phone = iq.phone_index(db)
        self.by_email = iq.email_index(db)
        self.by_pos = iq.external_index(db, self.source)

    def begin_batch(self) -> None:
        """Inside the batch's transaction: when another connection changed the file since the indexes were read
        (a sign-up at the counter), read them again; either way they now hold every stored key until the batch
        ends, so a person they lack is new without asking the database three times."""
        if iq.data_version(self.shop.ctx.db) != self._version:
            self._load_indexes()
        self._complete = True

    def end_batch(self) -> None:
        self._complete = False

    def find(self, p: Person) -> int | None:
        for key, index in ((p.pos_id, self.by_pos), (p.phone, self.by_phone),
                           (p.email.lower() if p.email else None, self.by_email)):
            if key and key in index:
                return index[key]
        return None

    def resolve(self, p: Person | None, *, create: bool = True, email_consent: bool = False) -> int | None:
        """The customer this person is (linking new keys to them), a new one, or None for an anonymous row."""
        if p is None or not p.identified:
            return None
        cid = self.find(p) or (None if self._complete else self._find_stored(p))
        if cid is None:
            if not create:
                return None
            if self.batched and not (email_consent and p.email):
                cid = self._new_customer(p)
            else:
                cid = self.shop.customers.create_from_import(
                    name=p.name, phone_e164=p.phone, email=p.email, email_consent=email_consent and bool(p.email),
                    source=self.source, external_id=p.pos_id)
            self.created.add(cid)
            self._remember(cid, p)
            return cid
        if cid not in self.created:
            self.linked.add(cid)
        self._attach(cid, p)
        return cid

    def _new_customer(self, p: Person) -> int:
        """What ``create_from_import`` writes (without consent), kept until ``flush``: id, phone, POS id."""
        if self._next_id is None:  # read inside the batch's transaction: nobody else can add one meanwhile
            self._next_id = iq.max_customer_id(self.shop.ctx.db) + 1
        cid, self._next_id = self._next_id, self._next_id + 1
        now = self.shop.ctx.now_iso()
        self._pending[cid] = len(self._new)
        self._new.append((cid, new_uuid(), clean_name(p.name), p.email, now))
        if p.phone:
            self._new_phones.append((new_uuid(), cid, p.phone, now))
        if p.pos_id:
            self._new_pos.append((self.source, p.pos_id, cid))
        return cid

    def _attach_pending(self, cid: int, p: Person) -> None:
        now = self.shop.ctx.now_iso()
        if p.pos_id and p.pos_id not in self.by_pos:
            self._new_pos.append((self.source, p.pos_id, cid))
            self.by_pos[p.pos_id] = cid
        if p.phone and p.phone not in self.by_phone:
            self._new_phones.append((new_uuid(), cid, p.phone, now))
            self.by_phone[p.phone] = cid
        if p.email and p.email.lower() not in self.by_email:
            i = self._pending[cid]
            row = self._new[i]
            if not row[3]:
                self._new[i] = (*row[:3], p.email, row[4])
                self.by_email[p.email.lower()] = cid

    def flush(self) -> None:
        """Write the customers created since the last flush, with the change records the service writes."""
        if not self._new:
            self._next_id = None
            return
        ctx = self.shop.ctx
        iq.insert_new_customers(ctx.db, self._new, self._new_phones, self._new_pos)
        cuid = {c[0]: c[1] for c in self._new}
        rows = [(new_uuid(), ctx.node_id, ctx.next_hlc(), "customer.created", uid,
                 json.dumps({"name": name, "email": email, "created_at": at}, sort_keys=True))
                for _, uid, name, email, at in self._new]
        rows += [(new_uuid(), ctx.node_id, ctx.next_hlc(), "phone.added", uid,
                  json.dumps({"customer": cuid[cid], "e164": e164}, sort_keys=True))
                 for uid, cid, e164, _ in self._new_phones]
        iq.insert_changes(ctx.db, rows)
        self._new, self._new_phones, self._new_pos, self._next_id = [], [], [], None
        self._pending = {}

    def _find_stored(self, p: Person) -> int | None:
        """Before creating: someone may have been signed up at the counter since the indexes were loaded."""
        db = self.shop.ctx.db
        row = ((cq.find_customer_by_external_id(db, self.source, p.pos_id) if p.pos_id else None)
               or (cq.find_customer_by_phone(db, p.phone) if p.phone else None)
               or (cq.find_customer_by_email(db, p.email) if p.email else None))
        if row is None:
            return None
        cid = int(row["merged_into"] or row["id"])
        self._remember(cid, p)
        return cid

    def _remember(self, cid: int, p: Person) -> None:
        if p.pos_id:
            self.by_pos[p.pos_id] = cid
        if p.phone:
            self.by_phone[p.phone] = cid
        if p.email:
            self.by_email[p.email.lower()] = cid

    def _attach(self, cid: int, p: Person) -> None:
        """Keys the POS knows and the shop did not: the POS id, an unowned phone, an email when none is set."""
        db = self.shop.ctx.db
        if cid in self._pending:  # created in this batch, not written yet: its rows take the new keys
            self._attach_pending(cid, p)
            return
        if p.pos_id and p.pos_id not in self.by_pos:
            cq.insert_external_id(db, self.source, p.pos_id, cid)
            self.by_pos[p.pos_id] = cid
        if p.phone and p.phone not in self.by_phone:
            try:
                self.shop.customers.add_phone(cid, p.phone)
                self.by_phone[p.phone] = cid
            except LoyaltyError:
                pass  # a phone the shop refuses is simply not attached; the sale still links
        if p.email and p.email.lower() not in self.by_email:
            row = cq.get_customer(db, cid)
            if row is not None and not row["email"]:
                cq.update_customer(db, cid, {"email": p.email, "updated_at": self.shop.ctx.now_iso()})
                self.shop.ctx.emit("customer.updated", row["uuid"], {"email": p.email})
                self.by_email[p.email.lower()] = cid


class ProductResolver:
    """Products by SKU, then GTIN (barcode), then exact name; unknown ones are created flagged for review.

    A row's SKU is its identity: a SKU not in the catalogue is a new product even when another SKU has the same
    name (sizes, flavours and pack variants often share one). Only a row with no SKU falls back to GTIN and name.
    """

    def __init__(self, shop: ImportDeps, *, batched: bool = False) -> None:
        self.shop = shop
        self.by_sku: dict[str, tuple[int, str]] = {}
        self.by_barcode: dict[str, tuple[int, str]] = {}
        self.by_name: dict[str, tuple[int, str]] = {}
        self.shared_names: set[str] = set()  # names of more than one product: a row without SKU takes the first
        self.known_up_to = 0  # the highest product id in the indexes
        self._load(iq.product_rows(shop.ctx.db))
        self.created = 0
        # Batched (the sales importer): new products get their ids at once and are written by ``flush``, in two
        # statements, inside the batch's transaction before its sales.
        self.batched = batched
        self._next_id: int | None = None
        self._new: list[dict[str, Any]] = []

    def _load(self, rows: list[Any]) -> None:
        for r in rows:
            self._remember(r["id"], r["sku"], r["barcode"], r["name"])
            self.known_up_to = max(self.known_up_to, r["id"])

    def begin_batch(self) -> None:
        """Inside the batch's transaction: products added at the counter since the indexes were read join them."""
        self._load(iq.product_rows(self.shop.ctx.db, after_id=self.known_up_to))

    def flush(self) -> None:
        """Write the products created since the last flush, with the change record ``ProductService.add`` writes."""
        self._next_id = None
        if not self._new:
            return
        ctx = self.shop.ctx
        iq.insert_new_products(ctx.db, self._new)
        iq.insert_changes(ctx.db, [(new_uuid(), ctx.node_id, ctx.next_hlc(), "product.upserted", v["uuid"],
                                    json.dumps({k: x for k, x in v.items() if k not in ("id", "uuid")},
                                               sort_keys=True, default=str)) for v in self._new])
        self._new = []

    def _remember(self, pid: int, sku: str, barcode: str | None, name: str) -> None:
        entry = (pid, sku)
        self.by_sku.setdefault(sku.lower(), entry)
        if barcode:
            self.by_barcode.setdefault(barcode, entry)
        key = " ".join(name.lower().split())
        if self.by_name.setdefault(key, entry)[0] != pid:
            self.shared_names.add(key)

    def shared_name(self, ln: Line) -> str | None:
        """The name a line without SKU or barcode was matched by, when several products have it."""
        if ln.sku or ln.gtin or not ln.name or not self.shared_names:
            return None
        key = " ".join(ln.name.lower().split())
        return key if key in self.shared_names else None

    def find(self, ln: Line) -> tuple[int, str] | None:
        if ln.sku:
            return self.by_sku.get(ln.sku.lower())
        if ln.gtin:
            hit = self.by_barcode.get(ln.gtin) or self.by_sku.get(ln.gtin.lower())
            if hit:
                return hit
        if ln.name:
            return self.by_name.get(" ".join(ln.name.lower().split()))
        return None

    def resolve(self, ln: Line) -> tuple[int, str]:
        """(product id, SKU); raises LoyaltyError when a new product cannot be made from the row."""
        hit = self.find(ln)
        if hit:
            return hit
        gtin = ln.gtin if ln.gtin and ln.gtin.isdigit() and ln.gtin not in self.by_barcode else None
        name = ln.name or ln.sku or ln.gtin
        if not name:
            raise LoyaltyError("the line names no product")
        sku = ln.sku or gtin or "POS-" + hashlib.sha1(name.lower().encode()).hexdigest()[:10].upper()
        if self.batched:
            return self._new_product(ln, sku, name, gtin)
        try:  # added at the counter since the import began?
            known = self.shop.products.find(sku)
            if known.sku.lower() == sku.lower():  # the SKU itself, not another product's barcode
                self._remember(known.id, known.sku, known.barcode, known.name)
                return known.id, known.sku
        except NotFound:
            pass
        unit = ln.unit_cents if ln.unit_cents is not None else ln.net_cents // max(ln.qty, 1)
        family, size = size_in_name(name) or (None, None)
        product = self.shop.products.add(sku=sku, name=name, price_cents=max(unit, 0), category=ln.category,
                                         family=family, size=size, barcode=gtin,
                                         needs_review=sku != UNITEMISED_SKU, owner_check=False)
        self.created += 1
        self._remember(product.id, product.sku, product.barcode, product.name)
        if ln.sku is None and ln.name:
            self.by_name[" ".join(ln.name.lower().split())] = (product.id, product.sku)
        return product.id, product.sku

    def _new_product(self, ln: Line, sku: str, name: str, gtin: str | None) -> tuple[int, str]:
        """What ``ProductService.add`` writes, kept until ``flush``; the indexes know every product of the shop
        (``begin_batch``), so only a SKU they lack is new."""
        hit = self.by_sku.get(sku.lower())
        if hit:
            return hit
        unit = ln.unit_cents if ln.unit_cents is not None else ln.net_cents // max(ln.qty, 1)
        # POS exports write a variant's size into its name: sizes of one product become one family, so that
        # refill rhythms follow the product whatever the size and a bigger size can be suggested.
        family, size = size_in_name(name) or (None, None)
        draft = self.shop.products.draft(sku=sku, name=name, price_cents=max(unit, 0), category=ln.category,
                                         family=family, size=size, barcode=gtin, needs_review=sku != UNITEMISED_SKU)
        values = dict(vars(draft))  # its fields in order; asdict's deep copy of plain values cost 3,000 imports 0.2 s
        if self._next_id is None:  # read inside the batch's transaction: nobody else can add one meanwhile
            self._next_id = max(iq.max_product_id(self.shop.ctx.db), self.known_up_to) + 1
        pid, self._next_id = self._next_id, self._next_id + 1
        self._new.append({"id": pid, **values})
        self.created += 1
        self._remember(pid, values["sku"], values["barcode"], values["name"])
        self.known_up_to = max(self.known_up_to, pid)
        if ln.sku is None and ln.name:
            self.by_name[" ".join(ln.name.lower().split())] = (pid, values["sku"])
        return pid, values["sku"]
