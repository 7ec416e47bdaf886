"""Customers: sign-up by phone alone, several phones and cards, email consent as an event log, merges."""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from db import customers_queries as q
from db import tags_queries as tq
from loyalty_app.cards import CardError, new_card_number, validate_card_number
from loyalty_app.clean_text import one_line
from loyalty_app.consent_types import CONSENT_TYPES, ConsentRecord, EmailConsent, consent_records
from loyalty_app.context import ShopContext, Staff, new_uuid
from loyalty_app.errors import Conflict, NotFound, ValidationError
from loyalty_app.ledger import write_entry
from loyalty_app.limits import MAX_ROW_ID
from loyalty_app.phones import normalize_phone
from loyalty_app.points_rules import PointsProgram

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(text: str) -> str:
    email = text.strip()
    if not EMAIL.match(email):
        raise ValidationError(f"'{text}' is not an email address (it needs a name, an @ and a domain)")
    return email


def clean_name(text: str | None) -> str | None:
    """A customer's name as saved: one line without control characters, at most 200 characters (None if blank)."""
    if text is None:
        return None
    name = one_line(text)
    if len(name) > 200:
        raise ValidationError("a name is at most 200 characters")
    return name or None


MAX_NOTES = 500  # characters: a few sentences the cashier reads at a glance


def clean_notes(text: str) -> str | None:
    """Notes as saved: one line without control characters, at most MAX_NOTES characters (None if blank)."""
    notes = one_line(text)
    if len(notes) > MAX_NOTES:
        raise ValidationError(f"notes are at most {MAX_NOTES} characters (these are {len(notes)}); nothing was saved")
    return notes or None


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """Who a customer is: identity, phones, live cards, email consent, points (the CLI's --json of a customer)."""

    id: int
    uuid: str
    name: str | None
    phones: tuple[str, ...]
    cards: tuple[str, ...]
    email: str | None
    email_consent: bool  # agreed to at least one type of email
    consent: EmailConsent  # the answer for each type
    points_balance: int
    created_at: str
    last_visit: str | None
    notes: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    number: str
    status: str  # active | lost


@dataclass(frozen=True)
class Customer:
    id: int
    uuid: str
    name: str | None
    email: str | None
    email_consent: bool
    points_balance: int
    created_at: str
    last_visit_at: str | None
    consent: EmailConsent = EmailConsent()
    notes: str | None = None

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> Customer:
        return cls(r["id"], r["uuid"], r["name"], r["email"], bool(r["email_consent"]), r["points_balance"],
                   r["created_at"], r["last_visit_at"], EmailConsent.of(r), r.get("notes"))


class CustomerService:
    def __init__(self, ctx: ShopContext, program: Any) -> None:
        self.ctx = ctx
        self._program = program  # callable returning the current PointsProgram

    # -- reading -----------------------------------------------------------------------------------------
    def pos_ids(self, customer_id: int) -> list[tuple[str, str]]:
        """(source, the POS's customer id) an import linked to this customer, as `lookup pos:ID` finds them."""
        return sorted((r["source"], r["external_id"]) for r in q.list_external_ids(self.ctx.db, customer_id))

    def get(self, customer_id: int) -> Customer:
        row = q.get_customer(self.ctx.db, customer_id) if 0 < customer_id <= MAX_ROW_ID else None
        if row is None:
            raise NotFound(f"no customer #{customer_id}")
        while row["merged_into"]:
            row = q.get_customer(self.ctx.db, row["merged_into"])
            assert row is not None
        return Customer.from_row(row)

    def phones(self, customer_id: int) -> list[str]:
        return [p["e164"] for p in q.list_phones(self.ctx.db, customer_id)]

    def cards(self, customer_id: int) -> list[Card]:
        return [Card(c["number"], c["status"]) for c in q.list_cards(self.ctx.db, customer_id)]

    def consent_records(self, customer_id: int) -> dict[str, ConsentRecord]:
        """Who recorded each type's answer, and when (shown beside the checkboxes)."""
        return consent_records(self.ctx, customer_id)

    def list(self, limit: int | None = None, offset: int = 0) -> builtins.list[Customer]:
        return [Customer.from_row(r) for r in q.list_customers(self.ctx.db, limit, offset)]

    def summary(self, c: Customer) -> CustomerSummary:
        """The view used by the CLI's --json and the screens."""
        return CustomerSummary(
            c.id, c.uuid, c.name, tuple(self.phones(c.id)),
            tuple(x.number for x in self.cards(c.id) if x.status == "active"),
            c.email, c.email_consent, c.consent, c.points_balance, c.created_at, c.last_visit_at,
            c.notes, tuple(t["tag"] for t in tq.list_tags(self.ctx.db, c.id)),
        )

    # -- signing up and editing --------------------------------------------------------------------------
    def sign_up(self, phone: str | None = None, *, name: str | None = None, email: str | None = None,
                email_consent: bool = False, consent_source: str = "counter", phones: builtins.list[str] | None = None,
                card: str | None = None, actor: Staff | None = None,
                consent: Mapping[str, bool] | None = None) -> Customer:
        """A new customer from one phone number (the rest optional). Everything validated before writing.
        ``email_consent`` agrees to every type of email; ``consent`` ({type: yes}) to chosen ones."""
        raw_phones = ([phone] if phone else []) + list(phones or [])
        e164s = list(dict.fromkeys(normalize_phone(p, self.ctx.region) for p in raw_phones))
        if not e164s and not email:
            raise ValidationError("a phone number is needed to sign up a customer")
        mail = normalize_email(email) if email else None
        answers = EmailConsent.every(email_consent).changed(consent or {})
        if answers.any and not mail:
            raise ValidationError("email consent needs an email address")
        program: PointsProgram = self._program()
        # The uniqueness checks run inside the write lock, so two counters cannot both take the same phone.
        with self.ctx.write():
            for e in e164s:
                owner = q.find_customer_by_phone(self.ctx.db, e)
                if owner:
                    raise Conflict(f"{e} already belongs to customer #{owner['id']} {owner['name'] or ''}".rstrip())
            if mail and q.find_customer_by_email(self.ctx.db, mail):
                raise Conflict(f"{mail} already belongs to another customer")
            card_number = self._check_new_card(card) if card else None
            cid = self._insert(clean_name(name), mail, answers, consent_source, actor)
            for e in e164s:
                self._insert_phone(cid, e)
            if card_number:
                self._insert_card(cid, card_number)
            if program.welcome_bonus:
                self._ledger(cid, "bonus", program.welcome_bonus, "welcome bonus", actor)
        return self.get(cid)

    def create_from_import(self, *, name: str | None, phone_e164: str | None, email: str | None,
                           email_consent: bool, source: str, external_id: str | None) -> int:
        """Inside an importer's transaction: a customer known by phone, email or the POS's id."""
        cid = self._insert(clean_name(name), email, EmailConsent.every(email_consent), f"import:{source}", None)
        if phone_e164:
            self._insert_phone(cid, phone_e164)
        if external_id:
            q.insert_external_id(self.ctx.db, source, external_id, cid)
        return cid

    def _insert(self, name: str | None, email: str | None, consent: EmailConsent, source: str,
                actor: Staff | None) -> int:
        now = self.ctx.now_iso()
        uid = new_uuid()
        cid = q.insert_customer(self.ctx.db, {
            "uuid": uid, "name": name, "email": email, **_consent_columns(consent),
            "email_consent_at": now if consent.any else None, "email_consent_source": source if consent.any else None,
            "created_at": now, "updated_at": now,
        })
        self.ctx.emit("customer.created", uid, {"name": name, "email": email, "created_at": now})
        self._consent_events(cid, uid, EmailConsent(), consent, source, actor)
        return cid

    def _insert_phone(self, cid: int, e164: str) -> None:
        uid = new_uuid()
        q.insert_phone(self.ctx.db, {"uuid": uid, "customer_id": cid, "e164": e164, "added_at": self.ctx.now_iso()})
        self.ctx.emit("phone.added", uid, {"customer": self._uuid(cid), "e164": e164})

    def _insert_card(self, cid: int, number: str) -> None:
        uid = new_uuid()
        q.insert_card(self.ctx.db, {"uuid": uid, "customer_id": cid, "number": number,
                                    "issued_at": self.ctx.now_iso()})
        self.ctx.emit("card.added", uid, {"customer": self._uuid(cid), "number": number})

    def _uuid(self, cid: int) -> str:
        row = q.get_customer(self.ctx.db, cid)
        assert row is not None
        return str(row["uuid"])

    def _consent_event(self, cid: int, cuid: str, granted: bool, source: str, actor: Staff | None,
                       channel: str = "email") -> None:
        """One consent event; the channel 'email' answers for every type at once."""
        uid = new_uuid()
        q.insert_consent_event(self.ctx.db, {"uuid": uid, "customer_id": cid, "channel": channel,
                                             "granted": int(granted), "source": source,
                                             "staff_id": self.ctx.staff_id(actor), "at": self.ctx.now_iso()})
        self.ctx.emit("consent.event", uid, {"customer": cuid, "granted": granted, "source": source,
                                             "channel": channel})

    def _consent_events(self, cid: int, cuid: str, old: EmailConsent, new: EmailConsent, source: str,
                        actor: Staff | None) -> None:
        changed = [t for t in CONSENT_TYPES if old.granted(t) != new.granted(t)]
        if len(changed) == len(CONSENT_TYPES) and len({new.granted(t) for t in changed}) == 1:
            self._consent_event(cid, cuid, new.granted(changed[0]), source, actor)
        else:
            for t in changed:
                self._consent_event(cid, cuid, new.granted(t), source, actor, channel=t)

    def _ledger(self, cid: int, kind: str, delta: int, reason: str, actor: Staff | None) -> None:
        write_entry(self.ctx, cid, kind, delta, reason, actor=actor)

    def _check_new_card(self, text: str) -> str:
        number = validate_card_number(text)
        existing = q.find_card(self.ctx.db, number)
        if existing:
            raise Conflict(f"card {number} is already issued to customer #{existing['customer_id']}")
        return number

    def edit(self, customer_id: int, *, name: str | None = None, email: str | None = None,
             notes: str | None = None, actor: Staff | None = None) -> Customer:
        """Change name, email or notes; an empty string clears the field."""
        c = self.get(customer_id)
        values: dict[str, Any] = {}
        if name is not None:
            values["name"] = clean_name(name)
        if email is not None:
            mail = normalize_email(email) if email.strip() else None
            if mail:
                other = q.find_customer_by_email(self.ctx.db, mail)
                if other and other["id"] != c.id:
                    raise Conflict(f"{mail} already belongs to another customer")
            values["email"] = mail
            if mail is None and c.email_consent:
                values.update(_consent_columns(EmailConsent()), email_consent_at=None, email_consent_source=None)
        if notes is not None:
            values["notes"] = clean_notes(notes)
        if not values:
            return c
        with self.ctx.write():
            values["updated_at"] = self.ctx.now_iso()
            q.update_customer(self.ctx.db, c.id, values)
            if values.get("email_consent") == 0:
                self._consent_event(c.id, c.uuid, False, "email removed", actor)
            self.ctx.emit("customer.updated", c.uuid, {k: v for k, v in values.items() if k != "updated_at"})
            if "notes" in values:
                self.ctx.audit("customer.notes", str(c.id), {"characters": len(values["notes"] or "")}, actor)
        return self.get(c.id)

    def set_email_consent(self, customer_id: int, granted: bool, source: str = "counter",
                          actor: Staff | None = None) -> Customer:
        """Record consent to every type given or withdrawn, with when and where (counter, import, unsubscribe...)."""
        c = self.get(customer_id)
        if granted and not c.email:
            raise ValidationError("email consent needs an email address first")
        now = self.ctx.now_iso()
        with self.ctx.write():
            q.update_customer(self.ctx.db, c.id, {
                **_consent_columns(EmailConsent.every(granted)), "email_consent_at": now,
                "email_consent_source": source, "updated_at": now})
            self._consent_event(c.id, c.uuid, granted, source, actor)
        return self.get(c.id)

    def set_consent(self, customer_id: int, answers: Mapping[str, bool], source: str = "counter",
                    actor: Staff | None = None) -> Customer:
        """Record consent per type ({'announcements': False, ...}); only the types that change get an event."""
        c = self.get(customer_id)
        new = c.consent.changed(answers)
        if new == c.consent:
            return c
        if new.any and not c.email:
            raise ValidationError("email consent needs an email address first")
        now = self.ctx.now_iso()
        with self.ctx.write():
            q.update_customer(self.ctx.db, c.id, {**_consent_columns(new), "email_consent_at": now,
                                                  "email_consent_source": source, "updated_at": now})
            self._consent_events(c.id, c.uuid, c.consent, new, source, actor)
        return self.get(c.id)

    def add_phone(self, customer_id: int, phone: str, actor: Staff | None = None) -> str:
        c = self.get(customer_id)
        e164 = normalize_phone(phone, self.ctx.region)
        with self.ctx.write():
            owner = q.find_customer_by_phone(self.ctx.db, e164)
            if owner and owner["id"] == c.id:
                return e164
            if owner:
                raise Conflict(f"{e164} already belongs to customer #{owner['id']} {owner['name'] or ''}".rstrip())
            self._insert_phone(c.id, e164)
        return e164

    def remove_phone(self, customer_id: int, phone: str, actor: Staff | None = None) -> None:
        c = self.get(customer_id)
        e164 = normalize_phone(phone, self.ctx.region)
        rows = [p for p in q.list_phones(self.ctx.db, c.id) if p["e164"] == e164]
        if not rows:
            raise NotFound(f"{e164} is not one of this customer's phones")
        with self.ctx.write():
            q.delete_phone(self.ctx.db, rows[0]["id"])
            self.ctx.emit("phone.removed", rows[0]["uuid"], {"customer": c.uuid, "e164": e164})

    def attach_card(self, customer_id: int, number: str | None = None, actor: Staff | None = None) -> str:
        """Attach a scanned card, or issue a new number when none is given."""
        c = self.get(customer_id)
        card = self._check_new_card(number) if number else self._fresh_card_number()
        with self.ctx.write():
            self._insert_card(c.id, card)
        return card

    def _fresh_card_number(self) -> str:
        for _ in range(100):
            n = new_card_number()
            if not q.card_number_exists(self.ctx.db, n):
                return n
        raise Conflict("could not find a free card number")

    def report_card_lost(self, number: str, actor: Staff | None = None) -> Customer:
        card = q.find_card(self.ctx.db, validate_card_number(number))
        if card is None:
            raise NotFound(f"card {number} is not known")
        with self.ctx.write():
            q.update_card(self.ctx.db, card["id"], {"status": "lost", "lost_at": self.ctx.now_iso()})
            self.ctx.emit("card.lost", card["uuid"], {"number": card["number"]})
        return self.get(card["customer_id"])

    def customer_for_card(self, number: str) -> Customer:
        """The card's customer; a lost card is refused with advice, an unknown one is NotFound."""
        t = validate_card_number(number)
        card = q.find_card(self.ctx.db, t)
        if card is None:
            raise NotFound(f"card {t} is not known: sign the customer up or find them by phone")
        if card["status"] == "lost":
            raise CardError(f"card {t} was reported lost: find the customer by phone instead")
        return self.get(card["customer_id"])

    # -- merging -----------------------------------------------------------------------------------------
    def merge(self, survivor_id: int, duplicate_id: int, actor: Staff | None = None) -> Customer:
        """Move the duplicate's phones, cards, history and points onto the survivor (owner only)."""
        owner = self.ctx.require_owner(actor, "merging customers")
        keep, dup = self.get(survivor_id), self.get(duplicate_id)
        if keep.id == dup.id:
            raise ValidationError("a customer cannot be merged with themselves")
        with self.ctx.write():
            points = dup.points_balance  # the duplicate's whole group, as the balance shows it
            q.move_customer_children(self.ctx.db, dup.id, keep.id)
            if points:
                self._ledger(dup.id, "merge", -points, f"merged into customer #{keep.id}", owner)
                self._ledger(keep.id, "merge", points, f"merged from customer #{dup.id}", owner)
            now = self.ctx.now_iso()
            fill: dict[str, Any] = {"updated_at": now}
            if not keep.name and dup.name:
                fill["name"] = dup.name
            if not keep.email and dup.email:
                q.update_customer(self.ctx.db, dup.id, {"email": None})
                dup_row = q.get_customer(self.ctx.db, dup.id) or {}
                fill.update(email=dup.email, **_consent_columns(dup.consent),
                            email_consent_at=dup_row.get("email_consent_at"),
                            email_consent_source=dup_row.get("email_consent_source"))
            last = max(filter(None, [keep.last_visit_at, dup.last_visit_at]), default=None)
            fill["last_visit_at"] = last
            q.update_customer(self.ctx.db, keep.id, fill)
            q.update_customer(self.ctx.db, dup.id, {"merged_into": keep.id, "updated_at": now})
            uid = new_uuid()
            q.insert_merge(self.ctx.db, {"uuid": uid, "survivor_id": keep.id, "merged_id": dup.id,
                                         "staff_id": owner.id, "points_moved": points, "at": now})
            self.ctx.emit("customer.merged", uid, {"survivor": keep.uuid, "merged": dup.uuid})
            self.ctx.audit("customer.merge", f"{keep.id}<-{dup.id}", {"points_moved": points}, owner)
        return self.get(keep.id)


def _consent_columns(consent: EmailConsent) -> dict[str, int]:
    """The customer row's columns for these answers: one per type, and ``email_consent`` for any of them."""
    return {"email_consent": int(consent.any), **{f"consent_{t}": int(consent.granted(t)) for t in CONSENT_TYPES}}
