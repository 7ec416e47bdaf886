"""Printing loyalty cards: one from the counter, or sheets of ten for a batch; a customer without a card gets one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from db import report_queries as rq
from loyalty_app.context import ShopContext, Staff
from loyalty_app.customers import CustomerService
from loyalty_app.errors import ValidationError
from loyalty_app.i18n import _
from loyalty_app.reports.export import page_size_for

if TYPE_CHECKING:
    from receipts.cards import CardFace

MAX_SHEET = 500


class CardPrinter:
    """Loyalty cards to print, issuing a card to whoever has none."""

    def __init__(self, ctx: ShopContext, customers: CustomerService) -> None:
        self.ctx = ctx
        self.customers = customers

    def card_face(self, customer_id: int, actor: Staff | None = None) -> CardFace:
        """The card to print for a customer: their newest active card, or a new one issued now."""
        c = self.customers.get(customer_id)
        active = [k.number for k in self.customers.cards(c.id) if k.status == "active"]
        number = active[-1] if active else self.customers.attach_card(c.id, actor=actor)
        from receipts.cards import CardFace  # reportlab only when a card is drawn

        return CardFace(self.ctx.shop_name, c.name or "", number, caption=_("Loyalty card"),
                        hint=_("Show this card at the till to collect and spend your points."),
                        member=_("Loyalty member"))

    def print_card(self, customer_id: int, actor: Staff | None = None) -> tuple[str, bytes]:
        """(card number, PDF of one card)."""
        from receipts.cards import card_pdf

        face = self.card_face(customer_id, actor)
        return face.card_number, card_pdf(face)

    def customers_without_card(self, count: int) -> list[int]:
        """The ``count`` most recent sign-ups who have no card yet."""
        if count <= 0:
            raise ValidationError("say how many new cards to print (1 or more)")
        return [int(r["id"]) for r in rq.list_customers_without_card(self.ctx.db, min(count, MAX_SHEET))]

    def print_sheet(self, customer_ids: list[int], actor: Staff | None = None, page_size: str | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> bytes | None:
        """Sheets of ten cards (A4, or Letter in the US and Canada); None when cancelled."""
        if not customer_ids:
            raise ValidationError("no customers to print cards for")
        if len(customer_ids) > MAX_SHEET:
            raise ValidationError(f"print at most {MAX_SHEET} cards at a time")
        faces = []
        for i, cid in enumerate(customer_ids):
            if cancelled and cancelled():
                return None
            faces.append(self.card_face(cid, actor))
            if progress:
                progress(i + 1, len(customer_ids))
        from receipts.cards import card_sheet_pdf

        return card_sheet_pdf(faces, page_size or page_size_for(self.ctx.region))
