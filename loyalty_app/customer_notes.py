"""A customer's notes and tags: cleaned and limited before saving, tags case-insensitive, every change audited."""

from __future__ import annotations

from collections.abc import Iterable

from db import customers_queries as cq
from db import tags_queries as q
from loyalty_app.clean_text import one_line
from loyalty_app.context import ShopContext, Staff, new_uuid
from loyalty_app.customers import Customer, CustomerService, clean_notes
from loyalty_app.errors import NotFound, ValidationError

MAX_TAG = 30  # characters per tag
MAX_TAGS = 20  # tags per customer


def clean_tag(text: str) -> str:
    """A tag as saved: trimmed, one line, 1 to MAX_TAG characters, no comma (commas separate tags)."""
    tag = one_line(text)
    if not tag:
        raise ValidationError("a tag cannot be empty; nothing was saved")
    if "," in tag:
        raise ValidationError(f"a tag cannot contain a comma ('{tag}'): give each tag on its own; nothing was saved")
    if len(tag) > MAX_TAG:
        raise ValidationError(f"the tag '{tag[:MAX_TAG]}…' is too long: at most {MAX_TAG} characters; "
                              "nothing was saved")
    return tag


def tag_key(tag: str) -> str:
    """What makes two tags the same: 'VIP', 'vip' and ' Vip ' are one tag."""
    return one_line(tag).casefold()


def split_tags(text: str) -> list[str]:
    """Tags typed in one field, separated by commas: 'vip, nut allergy' → ['vip', 'nut allergy']."""
    return [t for t in (one_line(x) for x in text.split(",")) if t]


class NotesService:
    """Reads and writes a customer's notes and tags."""

    def __init__(self, ctx: ShopContext, customers: CustomerService) -> None:
        self.ctx = ctx
        self.customers = customers

    def notes(self, customer_id: int) -> str | None:
        c = self.customers.get(customer_id)
        row = cq.get_customer(self.ctx.db, c.id)
        return row["notes"] if row else None

    def tags(self, customer_id: int) -> list[str]:
        """The customer's tags as first written, in alphabetical order."""
        return [r["tag"] for r in q.list_tags(self.ctx.db, self.customers.get(customer_id).id)]

    def set_notes(self, customer_id: int, text: str, actor: Staff | None = None) -> str | None:
        """Replace the notes ('' clears them). Returns the notes as saved."""
        c = self.customers.get(customer_id)
        notes = clean_notes(text)
        if notes == self.notes(c.id):
            return notes
        with self.ctx.write():
            cq.update_customer(self.ctx.db, c.id, {"notes": notes, "updated_at": self.ctx.now_iso()})
            self.ctx.emit("customer.updated", c.uuid, {"notes": notes})
            self.ctx.audit("customer.notes", str(c.id), {"characters": len(notes or "")}, actor)
        return notes

    def add_tag(self, customer_id: int, text: str, actor: Staff | None = None) -> str:
        """Tag the customer; a tag they already have (in any case) is kept as it was. Returns the tag held."""
        c = self.customers.get(customer_id)
        tag = clean_tag(text)
        with self.ctx.write():
            existing = q.list_tags(self.ctx.db, c.id)
            for r in existing:
                if r["tag_key"] == tag_key(tag):
                    return str(r["tag"])
            if len(existing) >= MAX_TAGS:
                raise ValidationError(f"customer #{c.id} already has {MAX_TAGS} tags, the most a customer can "
                                      f"have: remove one first; nothing was saved")
            uid = new_uuid()
            q.insert_tag(self.ctx.db, {"uuid": uid, "customer_id": c.id, "tag": tag, "tag_key": tag_key(tag),
                                       "added_at": self.ctx.now_iso(), "staff_id": self.ctx.staff_id(actor)})
            self.ctx.emit("customer.tag_added", uid, {"customer": c.uuid, "tag": tag})
            self.ctx.audit("customer.tag_add", str(c.id), {"tag": tag}, actor)
        return tag

    def remove_tag(self, customer_id: int, text: str, actor: Staff | None = None) -> None:
        """Take a tag off (in any case); NotFound when the customer does not have it."""
        c = self.customers.get(customer_id)
        tag = one_line(text)
        with self.ctx.write():
            row = q.find_tag(self.ctx.db, c.id, tag_key(tag))
            if row is None:
                raise NotFound(f"customer #{c.id} has no tag '{tag}'; nothing was changed")
            q.delete_tag(self.ctx.db, row["id"])
            self.ctx.emit("customer.tag_removed", row["uuid"], {"customer": c.uuid, "tag": row["tag"]})
            self.ctx.audit("customer.tag_remove", str(c.id), {"tag": row["tag"]}, actor)

    def set_tags(self, customer_id: int, tags: Iterable[str], actor: Staff | None = None) -> list[str]:
        """Make the customer's tags exactly these (the counter's one field): all checked first, then one write."""
        wanted = [clean_tag(t) for t in tags]
        keys: dict[str, str] = {}
        for t in wanted:
            keys.setdefault(tag_key(t), t)  # 'Gold, GOLD' is one tag, as first written
        if len(keys) > MAX_TAGS:
            raise ValidationError(f"a customer can have at most {MAX_TAGS} tags ({len(keys)} given); "
                                  "nothing was saved")
        with self.ctx.write():
            held = {tag_key(t): t for t in self.tags(customer_id)}
            for key, tag in held.items():
                if key not in keys:
                    self.remove_tag(customer_id, tag, actor)
            for key, tag in keys.items():
                if key not in held:
                    self.add_tag(customer_id, tag, actor)
        return self.tags(customer_id)

    def save(self, customer_id: int, notes: str, tags: str, actor: Staff | None = None) -> tuple[str | None, list[str]]:
        """The screens' two fields at once: notes, and tags separated by commas. Both are checked before either
        is written, so a refused tag saves no notes either. Returns what was saved."""
        clean_notes(notes)
        wanted = split_tags(tags)
        for t in wanted:
            clean_tag(t)
        with self.ctx.write():
            saved_notes = self.set_notes(customer_id, notes, actor)
            saved_tags = self.set_tags(customer_id, wanted, actor)
        return saved_notes, saved_tags

    def customers_tagged(self, tag: str, limit: int | None = None, offset: int = 0) -> list[Customer]:
        """Live customers with this tag (in any case), by customer number."""
        return [Customer.from_row(r) for r in q.list_customers_tagged(self.ctx.db, tag_key(tag), limit, offset)]
