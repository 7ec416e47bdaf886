"""The product catalogue: SKUs, barcodes, families of sizes, tags, prices, refill intervals."""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from db import products_queries as q
from loyalty_app.clean_text import one_line
from loyalty_app.context import ShopContext, Staff, new_uuid
from loyalty_app.errors import Conflict, NotFound, ValidationError
from loyalty_app.limits import MAX_REFILL_DAYS, check_whole
from loyalty_app.money import check_amount
from loyalty_app.views import json_field, plain

SIZE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(ml|l|cl|g|kg|oz|fl oz|lb|pcs?|ct)?\s*$", re.IGNORECASE)
TO_BASE = {"ml": ("ml", 1), "cl": ("ml", 10), "l": ("ml", 1000), "g": ("g", 1), "kg": ("g", 1000),
           "oz": ("oz", 1), "fl oz": ("fl oz", 1), "lb": ("oz", 16), "pc": ("pc", 1), "pcs": ("pc", 1),
           "ct": ("pc", 1), "": ("pc", 1)}


def parse_size(text: str | None) -> tuple[int | None, str | None]:
    """'250 ml' → (250, 'ml'); '1 l' → (1000, 'ml'); '1.5 kg' → (1500, 'g'); unknown → (None, None)."""
    if not text:
        return None, None
    m = SIZE.match(text)
    if not m:
        return None, None
    unit, factor = TO_BASE[(m.group(2) or "").lower()]
    quantity = Decimal(m.group(1).replace(",", ".")) * factor
    return int(quantity.to_integral_value(rounding=ROUND_HALF_UP)), unit


# A size written inside a product name, as POS exports give variants: "Basil oil (250 ml)", "Basil oil - 500ml",
# "1L Extra virgin", "Assam 100 g". The unit is required: "No. 5" or "Blend 2" is no size.
SIZE_IN_NAME = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(ml|cl|ltrs?|litres?|liters?|l|grams?|gr|g|kg|fl\.?\s?oz|oz|lbs?|pcs?|ct)(?![\w])",
    re.IGNORECASE)
UNIT_WORDS = {"ltr": "l", "ltrs": "l", "litre": "l", "litres": "l", "liter": "l", "liters": "l", "gram": "g",
              "grams": "g", "gr": "g", "lbs": "lb"}


def size_in_name(name: str) -> tuple[str, str] | None:
    """(family, size) read from a name holding exactly one size: 'Basil oil (250 ml)' → ('Basil oil', '250 ml').
    None when the name holds no size, or several ('2 x 250 ml' is a pack, not a size of one family)."""
    found = list(SIZE_IN_NAME.finditer(name))
    if len(found) != 1:
        return None
    m = found[0]
    if re.search(r"\d\s*[x×]\s*$", name[:m.start()], re.IGNORECASE):
        return None  # '6 x 250 ml': a pack of six
    unit = re.sub(r"[.\s]", "", m.group(2).lower())
    unit = "fl oz" if unit == "floz" else UNIT_WORDS.get(unit, unit)
    size = f"{m.group(1)} {unit}"
    if parse_size(size) == (None, None):
        return None
    rest = name[:m.start()] + " " + name[m.end():]
    rest = re.sub(r"\(\s*[,/-]?\s*\)|\[\s*\]", " ", rest)  # the brackets the size stood in
    rest = re.sub(r"\s*,\s*\)", ")", rest)
    family = " ".join(rest.split()).strip(" -–,/|:x")
    return (family, size) if family else None


def parse_tags(text: str | list[str] | None) -> list[str]:
    items = text if isinstance(text, list) else (text or "").split(",")
    return sorted({t.strip().lower() for t in items if t.strip()})


@dataclass(frozen=True)
class Product:
    id: int
    sku: str
    barcode: str | None
    name: str
    family: str | None
    size: str | None
    category: str | None
    tags: list[str]
    price_cents: int
    refill_days: int | None
    launched_on: str | None
    active: bool
    needs_review: bool
    size_quantity: int | None = json_field(hidden=True)
    size_unit: str | None = json_field(hidden=True)

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> Product:
        return cls(id=r["id"], sku=r["sku"], barcode=r["barcode"], name=r["name"], family=r["family"],
                   size=r["size"], category=r["category"], tags=parse_tags(r["tags"]), price_cents=r["price_cents"],
                   refill_days=r["refill_days"], launched_on=r["launched_on"], active=bool(r["active"]),
                   needs_review=bool(r["needs_review"]), size_quantity=r["size_quantity"], size_unit=r["size_unit"])


@dataclass(frozen=True)
class ProductDraft:
    """A new product's row as ``ProductService.add`` writes it (its columns, in the order of ``add``)."""

    sku: str
    name: str
    price_cents: int
    family: str | None
    size: str | None
    size_quantity: int | None
    size_unit: str | None
    category: str | None
    tags: str
    refill_days: int | None
    barcode: str | None
    launched_on: str
    uuid: str
    created_at: str
    updated_at: str
    needs_review: int


class ProductService:
    def __init__(self, ctx: ShopContext) -> None:
        self.ctx = ctx

    def get(self, product_id: int) -> Product:
        r = q.get_product(self.ctx.db, product_id)
        if r is None:
            raise NotFound(f"no product #{product_id}")
        return Product.from_row(r)

    def find(self, code: str) -> Product:
        """A product by SKU or barcode, as typed or scanned; NotFound says what was not found."""
        text = code.strip()
        r = q.get_product_by_sku(self.ctx.db, text) or q.get_product_by_barcode(self.ctx.db, text)
        if r is None:
            raise NotFound(f"unknown product '{text}' (no SKU or barcode matches)")
        return Product.from_row(r)

    def search(self, text: str, limit: int = 20) -> builtins.list[Product]:
        return [Product.from_row(r) for r in q.search_products(self.ctx.db, text.strip(), limit)]

    def list(self, include_inactive: bool = True) -> builtins.list[Product]:
        return [Product.from_row(r) for r in q.list_products(self.ctx.db, include_inactive)]

    def add(self, *, sku: str, name: str, price_cents: int, family: str | None = None, size: str | None = None,
            category: str | None = None, tags: str | builtins.list[str] | None = None, refill_days: int | None = None,
            barcode: str | None = None, launched_on: str | None = None, needs_review: bool = False,
            actor: Staff | None = None, owner_check: bool = True) -> Product:
        """Add a product (owner only at the counter; importers add flagged products in their own job)."""
        if owner_check:
            self.ctx.require_owner(actor, "adding products")
        values = self._validated(sku=sku, name=name, price_cents=price_cents, family=family, size=size,
                                 category=category, tags=tags, refill_days=refill_days, barcode=barcode,
                                 launched_on=launched_on)
        if q.get_product_by_sku(self.ctx.db, values["sku"]):
            raise Conflict(f"SKU {values['sku']} already exists")
        if values["barcode"] and q.get_product_by_barcode(self.ctx.db, values["barcode"]):
            raise Conflict(f"barcode {values['barcode']} already belongs to another product")
        now = self.ctx.now_iso()
        values.update(uuid=new_uuid(), created_at=now, updated_at=now, needs_review=int(needs_review),
                      launched_on=values["launched_on"] or self.ctx.now().date().isoformat())
        with self.ctx.write():
            pid = q.insert_product(self.ctx.db, values)
            self.ctx.emit("product.upserted", values["uuid"], {k: v for k, v in values.items() if k != "uuid"})
        return self.get(pid)

    def draft(self, *, sku: str, name: str, price_cents: int, family: str | None = None, size: str | None = None,
              category: str | None = None, barcode: str | None = None, needs_review: bool = False) -> ProductDraft:
        """The row ``add`` would insert (checked, with its uuid and dates; ValidationError if not), for an importer
        that writes many new products at once, each with the change record ``add`` writes."""
        values = self._validated(sku=sku, name=name, price_cents=price_cents, family=family, size=size,
                                 category=category, tags=None, refill_days=None, barcode=barcode, launched_on=None)
        now = self.ctx.now_iso()
        values.update(uuid=new_uuid(), created_at=now, updated_at=now, needs_review=int(needs_review),
                      launched_on=self.ctx.now().date().isoformat())
        return ProductDraft(**values)

    def edit(self, sku: str, *, actor: Staff | None = None, clear: tuple[str, ...] = (),
             **changes: Any) -> Product:
        """Change any of the fields of ``add`` (and ``active``); owner only. A None change leaves a field as it
        is; the optional fields named in ``clear`` (refill_days, barcode, launched_on, ...) are emptied."""
        self.ctx.require_owner(actor, "editing products")
        current = self.find(sku)
        merged = {**plain(current), **{k: v for k, v in changes.items() if v is not None}}
        for key in clear:
            if key in ("sku", "name", "price_cents"):
                raise ValidationError(f"a product's {key.replace('_cents', '')} cannot be emptied")
            merged[key] = None
        values = self._validated(sku=merged["sku"], name=merged["name"], price_cents=merged["price_cents"],
                                 family=merged["family"], size=merged["size"], category=merged["category"],
                                 tags=merged["tags"], refill_days=merged["refill_days"], barcode=merged["barcode"],
                                 launched_on=merged["launched_on"])
        values["active"] = int(bool(merged["active"]))
        values["needs_review"] = int(bool(changes.get("needs_review", False)))
        values["updated_at"] = self.ctx.now_iso()
        with self.ctx.write():
            q.update_product(self.ctx.db, current.id, values)
            row = q.get_product(self.ctx.db, current.id)
            assert row is not None
            self.ctx.emit("product.upserted", row["uuid"], values)
        return self.get(current.id)

    def _validated(self, *, sku: str, name: str, price_cents: int, family: str | None, size: str | None,
                   category: str | None, tags: str | builtins.list[str] | None, refill_days: int | None,
                   barcode: str | None, launched_on: str | None) -> dict[str, Any]:
        sku = (sku or "").strip()
        name = one_line(name or "")
        if not sku:
            raise ValidationError("a product needs a SKU")
        if not name:
            raise ValidationError("a product needs a name")
        if not isinstance(price_cents, int) or price_cents < 0:
            raise ValidationError("a price is zero or more")
        check_amount(price_cents, f"the price of {sku}", self.ctx.currency)
        if refill_days is not None and refill_days <= 0:
            raise ValidationError("a refill interval is a positive number of days")
        if refill_days is not None:
            check_whole(refill_days, "a refill interval", 1, MAX_REFILL_DAYS, "days")
        if barcode is not None:
            barcode = barcode.strip() or None
            if barcode and not barcode.isdigit():
                raise ValidationError(f"barcode '{barcode}' must be digits (a GTIN)")
        if launched_on:
            try:
                date.fromisoformat(launched_on)
            except ValueError as exc:
                raise ValidationError(f"launch date '{launched_on}' is not a date like 2026-03-01") from exc
        size = one_line(size or "") or None
        qty, unit = parse_size(size)
        return {"sku": sku, "name": name, "price_cents": price_cents, "family": one_line(family or "") or None,
                "size": size, "size_quantity": qty, "size_unit": unit,
                "category": one_line(category or "") or None, "tags": ",".join(parse_tags(tags)),
                "refill_days": refill_days, "barcode": barcode, "launched_on": launched_on}
