"""Importing a product list from CSV: new SKUs are added, known ones updated, each bad row explained by line."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from loyalty_app.context import ShopContext, Staff
from loyalty_app.errors import LoyaltyError, NotFound, ValidationError
from loyalty_app.money import parse_money
from loyalty_app.products import ProductService, size_in_name

# Column names a product list may use, mapped to ours (lower case, spaces and dashes as underscores).
ALIASES = {
    "sku": "sku", "code": "sku", "item_code": "sku", "name": "name", "product": "name", "item": "name",
    "price": "price", "unit_price": "price", "family": "family", "size": "size", "category": "category",
    "tags": "tags", "refill_days": "refill_days", "refill": "refill_days", "refill_interval": "refill_days",
    "barcode": "barcode", "gtin": "barcode", "ean": "barcode", "upc": "barcode", "launched_on": "launched_on",
    "launch_date": "launched_on", "launched": "launched_on", "active": "active",
}
YES = {"1", "yes", "y", "true", "active"}
NO = {"0", "no", "n", "false", "inactive"}


@dataclass(frozen=True)
class RowError:
    line: int  # line in the file (the header is line 1)
    sku: str
    message: str


@dataclass
class ImportSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    cancelled: bool = False

    def text(self) -> str:
        lines = [f"{len(self.added)} added, {len(self.updated)} updated, {len(self.errors)} with problems"]
        lines += [f"line {e.line} ({e.sku or 'no SKU'}): {e.message}" for e in self.errors]
        return "\n".join(lines)


def _header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _row_values(raw: dict[str, str], currency: str) -> dict[str, Any]:
    v = {k: (raw.get(k) or "").strip() for k in raw}
    out: dict[str, Any] = {"sku": v.get("sku", ""), "name": v.get("name", "")}
    if not out["sku"]:
        raise ValidationError("the SKU is empty")
    if v.get("price"):
        out["price_cents"] = parse_money(v["price"], currency=currency)
    for key in ("family", "size", "category", "tags", "barcode", "launched_on"):
        if v.get(key):
            out[key] = v[key]
    if v.get("refill_days"):
        try:
            out["refill_days"] = int(v["refill_days"])
        except ValueError as exc:
            raise ValidationError(f"refill days '{v['refill_days']}' is not a whole number") from exc
    if v.get("active"):
        flag = v["active"].lower()
        if flag not in YES | NO:
            raise ValidationError(f"active '{v['active']}' should be yes or no")
        out["active"] = flag in YES
    return out


class ProductImporter:
    """A product list from CSV into the catalogue (owner only)."""

    def __init__(self, ctx: ShopContext, products: ProductService) -> None:
        self.ctx = ctx
        self.products = products

    def import_products(self, text: str, *, actor: Staff | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        cancelled: Callable[[], bool] | None = None) -> ImportSummary:
        """Add or update products from CSV text (owner only). Good rows are saved even when others are not."""
        self.ctx.require_owner(actor, "importing products")
        sample = text[:4096]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), dialect)
        rows = list(reader)
        if not rows:
            raise ValidationError("the file is empty")
        header = [ALIASES.get(_header(h), "") for h in rows[0]]
        for needed in ("sku", "name", "price"):
            if needed not in header:
                raise ValidationError(f"the file needs a '{needed}' column (found: {', '.join(rows[0])})")
        summary = ImportSummary()
        body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(c.strip() for c in r)]
        for n, (line, cells) in enumerate(body):
            if cancelled and cancelled():
                summary.cancelled = True
                break
            raw = {h: c for h, c in zip(header, cells, strict=False) if h}
            sku = (raw.get("sku") or "").strip()
            try:
                values = _row_values(raw, self.ctx.currency)
                try:
                    self.products.find(values["sku"])
                    known = True
                except NotFound:
                    known = False
                if known:
                    sku_value = values.pop("sku")
                    if not values["name"]:
                        values.pop("name")
                    self.products.edit(sku_value, actor=actor, **values)
                    summary.updated.append(sku_value)
                else:
                    if not values["name"]:
                        raise ValidationError("a new product needs a name")
                    if "price_cents" not in values:
                        raise ValidationError("a new product needs a price")
                    active = values.pop("active", True)
                    if "family" not in values and "size" not in values and (derived := size_in_name(values["name"])):
                        values["family"], values["size"] = derived  # 'Basil oil (250 ml)', as a POS item list writes
                    self.products.add(actor=actor, **values)
                    if not active:
                        self.products.edit(values["sku"], actor=actor, active=False)
                    summary.added.append(values["sku"])
            except LoyaltyError as exc:
                summary.errors.append(RowError(line, sku, str(exc)))
            if progress:
                progress(n + 1, len(body))
        return summary
