"""Applying POS orders: each order (one version of it) written whole or not at all, and exactly once."""

from __future__ import annotations

from collections import Counter
from typing import Any

from db import import_queries as iq
from db import pos_queries as pq
from loyalty_app.clock import from_iso
from loyalty_app.errors import LoyaltyError
from loyalty_app.importers.deps import ImportDeps
from loyalty_app.importers.records import Basket, Line, Person
from loyalty_app.importers.writer import BatchWriter, Counts
from loyalty_app.pos.model import Connector, PosOrder, PullSummary, api_time
from loyalty_app.pos.till import TillRedemptions
from loyalty_app.sales import SaleItem


class OrderApplier:
    """Writes the orders of one pull through the importers' writer, resolvers and the counter's returns."""

    def __init__(self, shop: ImportDeps, connection: dict[str, Any], connector: Connector, summary: PullSummary) -> None:
        self.shop, self.ctx, self.db = shop, shop.ctx, shop.ctx.db
        self.conn_id = int(connection["id"])
        self.source = connector.source
        self.connector = connector
        self.summary = summary
        self._people: dict[str, Person | None] = {}
        self.till = TillRedemptions(shop)
        # A POS that lists newest first moves the watermark only once the whole pull is in (see newest_seen).
        self.ascending = getattr(connector, "ascending", True)
        self.newest_seen: str | None = None
        self._new_writer()

    def _new_writer(self) -> None:
        # After a rolled-back order the resolvers' in-memory indexes may name rows that were never saved.
        self.writer = BatchWriter(self.shop, self.source, award_points=True)

    # -- outside any transaction: what needs the network ----------------------------------------------------
    def prepare(self, order: PosOrder) -> None:
        """A customer named only by the POS's id is fetched (once) unless the shop already knows that id."""
        p = order.person
        if p is None or not p.pos_id or p.phone or p.email or p.pos_id in self.writer.customers.by_pos:
            return
        if p.pos_id not in self._people:
            self._people[p.pos_id] = self.connector.customer(p.pos_id)
        found = self._people[p.pos_id]
        if found is not None:
            order.person = Person(p.pos_id, found.name or p.name, found.phone, found.email)

    # -- one transaction per order --------------------------------------------------------------------------
    def apply(self, order: PosOrder) -> str:
        """What happened to the order: applied, reapplied, adopted, returned, cancelled, unchanged, rejected."""
        created_before = len(self.writer.customers.created)
        try:
            with self.ctx.write():
                prior = pq.get_order(self.db, self.conn_id, order.order_id)
                if prior is not None and prior["version"] == order.version and prior["status"] != "rejected":
                    outcome = "unchanged"
                else:
                    outcome = self._apply(order, prior)
                self._advance(order)
        except LoyaltyError as exc:
            self._new_writer()
            self._reject(order, str(exc))
            return "rejected"
        self.summary.customers_created += len(self.writer.customers.created) - created_before
        return outcome

    def _advance(self, order: PosOrder) -> None:
        seen = api_time(order.updated_at)
        if self.newest_seen is None or seen > self.newest_seen:
            self.newest_seen = seen
        if self.ascending:
            pq.advance_watermark(self.db, self.conn_id, seen)

    def _reject(self, order: PosOrder, reason: str) -> None:
        with self.ctx.write():
            self._save(order, "rejected", reason=reason)
            self._advance(order)
        self.summary.rejected += 1
        self.summary.problems.append(f"{order.kind} {order.key}: {reason}")

    def _save(self, order: PosOrder, status: str, *, reason: str | None = None, purchase_id: int | None = None,
              return_id: int | None = None, attached: int | None = None, total: int = 0) -> None:
        pq.save_order(self.db, {
            "connection_id": self.conn_id, "pos_order_id": order.order_id, "order_key": order.key,
            "version": order.version, "kind": order.kind, "status": status, "reason": reason,
            "purchase_id": purchase_id, "return_id": return_id, "attached_customer_id": attached,
            "total_cents": total, "occurred_at": order.occurred_at, "pos_updated_at": api_time(order.updated_at),
            "applied_at": self.ctx.now_iso()})

    def _apply(self, order: PosOrder, prior: dict[str, Any] | None) -> str:
        if order.kind == "return":
            return self._return(order, prior)
        current = prior["purchase_id"] if prior is not None else None
        attached = prior["attached_customer_id"] if prior is not None else None
        if order.cancelled:
            if current is not None:
                self._take_back(current, f"{order.key}:cancelled", "order cancelled at the till")
            self._save(order, "skipped", reason="cancelled at the till", purchase_id=current, attached=attached)
            self.summary.cancelled += 1
            return "cancelled"
        if current is None:
            pid = iq.purchase_id_for_key(self.db, self.source, order.key)
            if pid is not None:  # imported from the POS's export file before: linked, never counted twice
                self._save(order, "applied", reason="imported from a file before", purchase_id=pid,
                           total=sum(ln.net_cents for ln in order.lines))
                self._settle(order, pid)
                self.summary.sales_adopted += 1
                return "adopted"
            pid = self._write(order, order.key)
            self._save(order, "applied", purchase_id=pid, total=sum(ln.net_cents for ln in order.lines))
            self._settle(order, pid)
            self.summary.sales_applied += 1
            return "applied"
        if not self._changed(current, order, attached):
            self._save(order, "applied", purchase_id=current, attached=attached,
                       total=sum(ln.net_cents for ln in order.lines))
            self.summary.unchanged += 1
            return "unchanged"
        # Edited at the till: what the old version earned is taken back exactly, the new version is written whole.
        carried = {r["sku"].lower(): r["returned_qty"] for r in pq.purchase_lines_by_sku(self.db, current)
                   if r["returned_qty"]}
        self._take_back(current, f"{order.key}@{order.version}:edit", "order edited at the till")
        key = f"{order.key}@{order.version}"
        pid = self._record(order, key, attached) if attached is not None and not self._identified(order) \
            else self._write(order, key)
        if carried:
            self._carry_returns(pid, carried, key)
        self._save(order, "applied", purchase_id=pid, attached=attached, total=sum(ln.net_cents for ln in order.lines))
        self._settle(order, pid)
        self.summary.sales_reapplied += 1
        return "reapplied"

    def _settle(self, order: PosOrder, purchase_id: int) -> None:
        header = pq.purchase_header(self.db, purchase_id)
        self.summary.redemptions_confirmed += self.till.settle(order, header["customer_id"] if header else None,
                                                               self.conn_id)

    @staticmethod
    def _identified(order: PosOrder) -> bool:
        return order.person is not None and order.person.identified

    def _changed(self, purchase_id: int, order: PosOrder, attached: int | None) -> bool:
        header = pq.purchase_header(self.db, purchase_id)
        assert header is not None
        want = self.writer.customers.find(order.person) if self._identified(order) and order.person else attached
        if self._identified(order) and want is None:
            return True  # a customer the shop does not know yet was added at the till
        if want != header["customer_id"]:
            return True
        stored = Counter((r["sku"].lower(), r["qty"], r["net_cents"]) for r in pq.purchase_lines_by_sku(self.db,
                                                                                                      purchase_id))
        new: Counter[tuple[str, int, int]] = Counter()
        for ln in order.lines:
            hit = self.writer.products.find(ln)
            if hit is None:
                return True
            new[(hit[1].lower(), ln.qty, ln.net_cents)] += 1
        return stored != new

    def _write(self, order: PosOrder, key: str) -> int:
        """A sale through the importers' writer: customers matched, items filed and sizes read as imports do."""
        counts = Counts()
        basket = Basket("sale", key, order.occurred_at, order.person, order.store, list(order.lines))
        self.writer.write([basket], counts)
        if counts.problems:
            raise LoyaltyError(counts.problems[0].reason)
        pid = iq.purchase_id_for_key(self.db, self.source, key)
        if pid is None:
            raise LoyaltyError(f"order {key} could not be written")
        self.summary.points_awarded += counts.points_awarded
        return pid

    def _record(self, order: PosOrder, key: str, customer_id: int) -> int:
        """A sale for a customer attached at our counter (the POS does not know them): the counter's own sale."""
        items = []
        for ln in order.lines:
            _, sku = self.writer.products.resolve(ln)
            items.append(_sale_item(sku, ln))
        r = self.shop.sales.record_sale(customer_id, items, occurred_at=from_iso(order.occurred_at),
                                        store=order.store, source=self.source, external_id=key)
        self.summary.points_awarded += r.points_earned
        return r.purchase_id

    def _take_back(self, purchase_id: int, key: str, reason: str) -> None:
        left = [r for r in pq.purchase_lines_by_sku(self.db, purchase_id) if r["qty"] > r["returned_qty"]]
        if not left:
            return
        r = self.shop.sales.return_items(purchase_id, None, reason=reason, source=self.source, external_id=key)
        self.summary.points_reversed += r.points_reversed

    def _carry_returns(self, purchase_id: int, carried: dict[str, int], key: str) -> None:
        """Units already returned before the edit stay returned on the new version."""
        have = {r["sku"].lower(): r["qty"] for r in pq.purchase_lines_by_sku(self.db, purchase_id)}
        items = [(sku, min(qty, have[sku])) for sku, qty in carried.items() if have.get(sku)]
        if items:
            r = self.shop.sales.return_items(purchase_id, items, reason="returned before the order was edited",
                                             source=self.source, external_id=f"{key}:carried")
            self.summary.points_reversed += r.points_reversed

    def _return(self, order: PosOrder, prior: dict[str, Any] | None) -> str:
        if prior is not None and prior["status"] == "applied":
            return "unchanged"  # a return is never edited; a newer version changes nothing here
        if order.cancelled:
            self._save(order, "skipped", reason="cancelled at the till")
            return "cancelled"
        sale = pq.get_order(self.db, self.conn_id, order.sale_order_id) if order.sale_order_id else None
        pid = sale["purchase_id"] if sale is not None and sale["purchase_id"] is not None else (
            iq.purchase_id_for_key(self.db, self.source, order.sale_key) if order.sale_key else None)
        if pid is None:
            raise LoyaltyError(f"it takes back sale {order.sale_key or '(not named)'}, which was neither pulled nor "
                               "imported: import that sale from the POS's export, and the next pull applies it")
        items: list[tuple[str, int]] = []
        for ln in order.lines:
            hit = self.writer.products.find(ln)
            if hit is None:
                raise LoyaltyError(f"it returns '{ln.name or ln.sku}', which is not on sale {order.sale_key}")
            items.append((hit[1], ln.qty))
        done = iq.existing_return_keys(self.db, self.source, [order.key]).get(order.key) or self._file_twin(pid, items)
        if done is not None:  # the same refund came from the POS's export file: linked, never counted twice
            self._save(order, "applied", reason="imported from a file before", purchase_id=pid, return_id=done)
            return "adopted"
        r = self.shop.sales.return_items(pid, items, occurred_at=from_iso(order.occurred_at),
                                         reason="returned at the till", source=self.source, external_id=order.key)
        self.summary.points_reversed += r.points_reversed
        self.summary.returns_applied += 1
        self._save(order, "applied", purchase_id=pid, return_id=r.return_id, total=-r.refund_cents)
        return "returned"

    def _file_twin(self, purchase_id: int, items: list[tuple[str, int]]) -> int | None:
        """A refund of exactly these units imported from a file and not yet matched to a POS return."""
        want: dict[str, int] = {}
        for sku, qty in items:
            want[sku.lower()] = want.get(sku.lower(), 0) + qty
        for rid, got in pq.unclaimed_file_returns(self.db, purchase_id, self.source).items():
            if got == want:
                return rid
        return None


def _sale_item(sku: str, ln: Line) -> SaleItem:
    """A POS line as the counter's sale takes it, with the same amounts the importers' writer stores."""
    qty, net = ln.qty, ln.net_cents
    unit = ln.unit_cents if ln.unit_cents is not None and ln.unit_cents * qty >= net else -(-net // qty)
    return SaleItem(sku, qty, unit_price_cents=unit, discount_cents=unit * qty - net, tax_cents=ln.tax_cents)
