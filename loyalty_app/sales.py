"""Recording a sale and returning it: prices, points earned and redeemed, all in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from db import customers_queries as cq
from db import points_queries as pq
from db import sales_queries as q
from db import settings_queries as sq
from loyalty_app.clean_text import one_line
from loyalty_app.clock import to_iso
from loyalty_app.context import ShopContext, Staff, new_uuid
from loyalty_app.errors import Conflict, NotFound, ValidationError
from loyalty_app.ledger import write_entry
from loyalty_app.limits import MAX_ROW_ID, check_points, check_quantity
from loyalty_app.money import check_amount
from loyalty_app.points_rules import PointsProgram, allocate, pro_rata
from loyalty_app.products import Product, ProductService
from loyalty_app.purchase_view import Purchase, PurchaseLine, PurchaseReturn, from_row
from loyalty_app.sale_checks import check_line_amount, check_totals, time_window


@dataclass(frozen=True)
class SaleItem:
    """One line as the cashier or an importer gives it. Prices default to the catalogue's."""

    code: str
    qty: int = 1
    unit_price_cents: int | None = None
    discount_cents: int = 0
    tax_cents: int = 0


@dataclass(frozen=True)
class SaleResult:
    purchase_id: int
    purchase_uuid: str
    subtotal_cents: int
    redeem_discount_cents: int
    total_cents: int
    points_earned: int
    points_redeemed: int
    points_balance: int | None


class ReturnLine(TypedDict):
    """What one returned line gives back (also the change record's lines, hence a dict)."""

    sku: str
    name: str
    qty: int
    line_uuid: str
    refund_cents: int
    points_reversed: int
    points_restored: int


@dataclass(frozen=True)
class ReturnResult:
    return_id: int
    purchase_id: int
    refund_cents: int
    points_reversed: int
    points_restored: int
    points_balance: int | None
    lines: list[ReturnLine] = field(default_factory=list)


@dataclass(frozen=True)
class ReturnPreview:
    """What a return would give back, before it is written: for the cashier to confirm."""

    purchase_id: int
    lines: list[ReturnLine]
    refund_cents: int
    points_reversed: int
    points_restored: int


def earned_points(program: PointsProgram, paid_by_line: list[int], *, member: bool, award: bool = True
                  ) -> tuple[int, list[int]]:
    """Points a basket earns on what was paid, and their exact split over its lines (counter and imports)."""
    earned = program.points_for(sum(paid_by_line)) if member and award else 0
    return earned, (allocate(earned, paid_by_line) if earned else [0] * len(paid_by_line))


@dataclass
class _Line:
    product: Product
    qty: int
    unit: int
    discount: int
    tax: int
    net: int = 0
    redeem_discount: int = 0
    earned: int = 0
    redeemed: int = 0


class SaleService:
    def __init__(self, ctx: ShopContext, products: ProductService, program: Any) -> None:
        self.ctx = ctx
        self.products = products
        self._program = program
        # Checks a redemption must also pass (e.g. the offline cap while another store is out of touch).
        self.redeem_guards: list[Callable[[int, int], None]] = []
        # Checks every sale must pass, given its source (e.g. none at our counter beside a connected POS).
        self.sale_guards: list[Callable[[str], None]] = []

    def price(self, items: list[SaleItem]) -> list[_Line]:
        """Resolve and validate the lines (unknown SKU, bad quantity, absurd amounts) before anything is written."""
        if not items:
            raise ValidationError("a sale needs at least one item")
        lines = []
        currency = self.ctx.currency
        for it in items:
            check_quantity(it.qty, f"the quantity of {it.code}")
            product = self.products.find(it.code)
            unit = product.price_cents if it.unit_price_cents is None else it.unit_price_cents
            if unit < 0 or it.discount_cents < 0 or it.tax_cents < 0:
                raise ValidationError(f"price, discount and tax for {it.code} cannot be negative")
            for cents, what in ((unit, "price"), (it.discount_cents, "discount"), (it.tax_cents, "tax")):
                check_amount(cents, f"the {what} of {it.code}", currency)
            net = unit * it.qty - it.discount_cents
            check_line_amount(net, f"the line of {it.code}", currency)
            if net < 0:
                raise ValidationError(f"the discount on {it.code} is larger than the line")
            lines.append(_Line(product, it.qty, unit, it.discount_cents, it.tax_cents, net))
        return lines

    def store_id(self, name: str | None) -> int | None:
        name = one_line(name or self.ctx.settings.get("default_store") or "")
        if not name:
            return None
        row = sq.get_store_by_name(self.ctx.db, name)
        if row:
            return int(row["id"])
        return sq.insert_store(self.ctx.db, {"uuid": new_uuid(), "name": name, "created_at": self.ctx.now_iso()})

    def record_sale(self, customer_id: int | None, items: list[SaleItem], *, redeem_points: int = 0,
                    occurred_at: datetime | None = None, store: str | None = None, register: str | None = None,
                    actor: Staff | None = None, source: str = "counter", external_id: str | None = None,
                    award_points: bool = True) -> SaleResult:
        """Validate, price and write one sale with its points in a single transaction."""
        for sale_guard in self.sale_guards:
            sale_guard(source)
        lines = self.price(items)
        program: PointsProgram = self._program()
        check_points(redeem_points, "points to redeem")
        if redeem_points and customer_id is None:
            raise ValidationError("an anonymous sale cannot redeem points")
        subtotal = sum(ln.net for ln in lines)
        member = customer_id is not None and award_points
        check_totals(subtotal, sum(ln.tax for ln in lines), program.points_for(subtotal) if member else 0,
                     self.ctx.currency)
        if occurred_at is not None:
            time_window(self.ctx).check(occurred_at)
        when = to_iso(occurred_at or self.ctx.now())
        if redeem_points and customer_id is not None:
            for guard in self.redeem_guards:
                guard(customer_id, redeem_points)
        with self.ctx.write():
            balance = pq.get_balance(self.ctx.db, customer_id) if customer_id is not None else 0
            cust: dict[str, Any] = {}
            if customer_id is not None:
                row = cq.get_customer(self.ctx.db, customer_id)
                if row is None or row["merged_into"] or row["erased_at"]:
                    raise NotFound(f"no customer #{customer_id}")
                cust = row
            discount = program.check_redemption(redeem_points, balance, subtotal)
            for ln, d, r in zip(lines, allocate(discount, [ln.net for ln in lines]),
                                allocate(redeem_points, [ln.net for ln in lines]), strict=True):
                ln.redeem_discount, ln.redeemed = d, r
            paid = subtotal - discount
            earned, split = earned_points(program, [ln.net - ln.redeem_discount for ln in lines],
                                          member=customer_id is not None, award=award_points)
            for ln, e in zip(lines, split, strict=True):
                ln.earned = e
            tax = sum(ln.tax for ln in lines)
            uid = new_uuid()
            values = {
                "uuid": uid, "customer_id": customer_id, "store_id": self.store_id(store), "register": register,
                "staff_id": self.ctx.staff_id(actor), "occurred_at": when, "subtotal_cents": subtotal,
                "redeem_discount_cents": discount, "tax_cents": tax, "total_cents": paid + tax,
                "points_earned": earned, "points_redeemed": redeem_points, "source": source,
                "external_id": external_id, "created_at": self.ctx.now_iso(),
            }
            pid = q.insert_purchase(self.ctx.db, values)
            line_rows = [{
                "uuid": new_uuid(), "line_no": i + 1, "product_id": ln.product.id, "qty": ln.qty,
                "unit_price_cents": ln.unit, "line_discount_cents": ln.discount, "net_cents": ln.net,
                "redeem_discount_cents": ln.redeem_discount, "tax_cents": ln.tax, "points_earned": ln.earned,
                "points_redeemed": ln.redeemed,
            } for i, ln in enumerate(lines)]
            q.insert_purchase_lines(self.ctx.db, pid, line_rows)
            cuid = cust["uuid"] if customer_id is not None else None
            # The purchase's record goes out before the ledger entries that point at it.
            self.ctx.emit("purchase.recorded", uid, {
                **{k: v for k, v in values.items() if k not in ("uuid", "customer_id", "store_id", "staff_id")},
                "customer": cuid, "store": store or self.ctx.settings.get("default_store"), "lines": [
                    {**{k: v for k, v in row.items() if k != "product_id"}, "sku": ln.product.sku}
                    for row, ln in zip(line_rows, lines, strict=True)]})
            if customer_id is not None:
                link: dict[str, Any] = {"actor": actor, "at": when, "purchase_id": pid, "purchase_uuid": uid,
                                        "customer_uuid": cuid}
                if redeem_points:
                    write_entry(self.ctx, customer_id, "redeem", -redeem_points, "redeemed on purchase", **link)
                if earned:
                    write_entry(self.ctx, customer_id, "earn", earned, "earned on purchase", **link)
                last = cust["last_visit_at"]
                if last is None or when > last:
                    cq.update_customer(self.ctx.db, customer_id, {"last_visit_at": when})
            new_balance = pq.get_balance(self.ctx.db, customer_id) if customer_id is not None else None
        return SaleResult(pid, uid, subtotal, discount, paid + tax, earned, redeem_points, new_balance)

    def purchase(self, purchase_id: int) -> Purchase:
        """A purchase with its lines and what has been returned of each."""
        p = q.get_purchase(self.ctx.db, purchase_id) if _row_id(purchase_id) else None
        if p is None:
            raise NotFound(f"no purchase #{purchase_id}")
        return from_row(Purchase, p,
                        lines=[from_row(PurchaseLine, r) for r in q.list_purchase_lines(self.ctx.db, purchase_id)],
                        returns=[from_row(PurchaseReturn, r) for r in q.list_returns(self.ctx.db, purchase_id)])

    def return_items(self, purchase_id: int, items: list[tuple[str, int]] | None = None, *,
                     actor: Staff | None = None, occurred_at: datetime | None = None, reason: str | None = None,
                     source: str = "counter", external_id: str | None = None) -> ReturnResult:
        """Return lines (SKU or line number, qty) of a purchase, or everything not yet returned.

        Reverses exactly the points the returned units earned and gives back the points redeemed on them,
        pro rata in integers. The balance may go below zero only here (points already spent).
        """
        if occurred_at is not None:
            time_window(self.ctx).check(occurred_at, "the return's time")
        when = to_iso(occurred_at or self.ctx.now())
        reason = (one_line(reason) or None) if reason is not None else None
        with self.ctx.write():
            p = q.get_purchase(self.ctx.db, purchase_id) if _row_id(purchase_id) else None
            if p is None:
                raise NotFound(f"no purchase #{purchase_id}")
            lines = q.list_purchase_lines(self.ctx.db, purchase_id)
            wanted = self._match_return(lines, items)
            if not wanted:
                raise Conflict(f"everything on purchase #{purchase_id} has already been returned")
            return_uuid = new_uuid()
            rid = q.insert_return(self.ctx.db, {
                "uuid": return_uuid, "purchase_id": purchase_id, "staff_id": self.ctx.staff_id(actor),
                "occurred_at": when, "refund_cents": 0, "points_reversed": 0, "points_restored": 0,
                "source": source, "external_id": external_id, "reason": reason})
            out = self._plan_return(wanted)
            for (line, qty), planned in zip(wanted, out, strict=True):
                q.insert_return_line(self.ctx.db, {
                    "uuid": new_uuid(), "return_id": rid, "purchase_line_id": line["id"], "qty": qty,
                    "refund_cents": planned["refund_cents"], "points_reversed": planned["points_reversed"],
                    "points_restored": planned["points_restored"]})
                q.add_returned_qty(self.ctx.db, line["id"], qty)
            refund = sum(x["refund_cents"] for x in out)
            reversed_pts = sum(x["points_reversed"] for x in out)
            restored = sum(x["points_restored"] for x in out)
            q.update_return_totals(self.ctx.db, rid, refund, reversed_pts, restored)
            self.ctx.emit("return.recorded", return_uuid, {"purchase": p["uuid"], "at": when, "reason": reason,
                                                           "source": source, "external_id": external_id,
                                                           "lines": out})
            balance = None
            cid = p["customer_id"]
            if cid is not None:
                cust = cq.get_customer(self.ctx.db, cid)
                assert cust is not None
                link: dict[str, Any] = {"actor": actor, "at": when, "purchase_id": purchase_id,
                                        "purchase_uuid": p["uuid"],
                        "return_id": rid, "return_uuid": return_uuid, "customer_uuid": cust["uuid"]}
                if reversed_pts:
                    write_entry(self.ctx, cid, "reverse", -reversed_pts,
                                f"return on purchase #{purchase_id}: points earned taken back", **link)
                if restored:
                    write_entry(self.ctx, cid, "reverse", restored,
                                f"return on purchase #{purchase_id}: redeemed points given back", **link)
                balance = pq.get_balance(self.ctx.db, cid)
        return ReturnResult(rid, purchase_id, refund, reversed_pts, restored, balance, out)

    @staticmethod
    def _plan_return(wanted: list[tuple[dict[str, Any], int]]) -> list[ReturnLine]:
        """What each returned line gives back: money, points earned taken back, redeemed points returned."""
        out: list[ReturnLine] = []
        for line, qty in wanted:
            before = line["returned_qty"]
            paid = line["net_cents"] - line["redeem_discount_cents"] + line["tax_cents"]
            out.append({"sku": line["sku"], "name": line["name"], "qty": qty, "line_uuid": line["uuid"],
                        "refund_cents": pro_rata(paid, line["qty"], before, qty),
                        "points_reversed": pro_rata(line["points_earned"], line["qty"], before, qty),
                        "points_restored": pro_rata(line["points_redeemed"], line["qty"], before, qty)})
        return out

    def preview_return(self, purchase_id: int, items: list[tuple[str, int]] | None = None) -> ReturnPreview:
        """What return_items would do, without writing: for the cashier to confirm."""
        if not _row_id(purchase_id) or q.get_purchase(self.ctx.db, purchase_id) is None:
            raise NotFound(f"no purchase #{purchase_id}")
        lines = self._plan_return(self._match_return(q.list_purchase_lines(self.ctx.db, purchase_id), items))
        if not lines:
            raise Conflict(f"everything on purchase #{purchase_id} has already been returned")
        return ReturnPreview(purchase_id, lines, sum(x["refund_cents"] for x in lines),
                             sum(x["points_reversed"] for x in lines), sum(x["points_restored"] for x in lines))

    @staticmethod
    def _match_return(lines: list[dict[str, Any]], items: list[tuple[str, int]] | None
                      ) -> list[tuple[dict[str, Any], int]]:
        if items is None:
            return [(ln, ln["qty"] - ln["returned_qty"]) for ln in lines if ln["qty"] > ln["returned_qty"]]
        remaining = {ln["id"]: ln["qty"] - ln["returned_qty"] for ln in lines}
        chosen: dict[int, int] = {}
        for code, qty in items:
            check_quantity(qty, f"the quantity to return of {code}")
            matches = [ln for ln in lines if ln["sku"].lower() == str(code).lower() or str(ln["line_no"]) == str(code)]
            if not matches:
                raise NotFound(f"{code} is not on this purchase")
            left = qty
            for ln in matches:
                take = min(left, remaining[ln["id"]] - chosen.get(ln["id"], 0))
                if take > 0:
                    chosen[ln["id"]] = chosen.get(ln["id"], 0) + take
                    left -= take
            if left:
                already = sum(ln["returned_qty"] for ln in matches)
                bought = sum(ln["qty"] for ln in matches)
                raise Conflict(f"cannot return {qty} × {code}: {bought} bought, {already} already returned")
        by_id = {ln["id"]: ln for ln in lines}
        return [(by_id[i], n) for i, n in chosen.items()]


def _row_id(number: int) -> bool:
    """Could a row have this number (10^20 cannot: it is no purchase, not an overflow)?"""
    return 0 < number <= MAX_ROW_ID
