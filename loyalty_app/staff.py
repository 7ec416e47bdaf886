"""Staff: cashiers and owners, PINs hashed with scrypt, wrong PINs rate-limited."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from db import staff_queries as q
from loyalty_app.clean_text import one_line
from loyalty_app.clock import from_iso, to_iso
from loyalty_app.context import ShopContext, Staff, new_uuid
from loyalty_app.errors import Conflict, NotFound, PermissionDenied, StaffLocked, ValidationError

MAX_ATTEMPTS = 5
LOCK_SECONDS = 60
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
# One answer for a name nobody has and for a wrong PIN, so trying PINs does not tell which names exist.
WRONG_NAME_OR_PIN = "wrong name or PIN"
# A hash no PIN matches: an unknown name costs the same scrypt work as a wrong PIN (no answer by timing either).
_NO_ONE = "scrypt$" + base64.b64encode(b"\0" * 16).decode() + "$" + base64.b64encode(b"\0" * 32).decode()


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def pin_matches(pin: str, stored: str) -> bool:
    try:
        _, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    digest = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt_b64), dklen=32, **SCRYPT)
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))


def check_pin_format(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise ValidationError("a PIN is 4 to 12 digits")


@dataclass(frozen=True)
class StaffMember:
    """One person on the staff list: who they are, owner or cashier, and whether they can sign in."""

    id: int
    name: str
    role: str
    active: bool


class StaffService:
    def __init__(self, ctx: ShopContext) -> None:
        self.ctx = ctx

    def add(self, name: str, role: str, pin: str, *, actor: Staff | None = None, first_owner: bool = False) -> Staff:
        """Add a staff member (owner only, except the very first owner of a new shop)."""
        if not first_owner or q.count_owners(self.ctx.db) > 0:
            self.ctx.require_owner(actor, "adding staff")
        name = one_line(name)
        if not name:
            raise ValidationError("a staff member needs a name")
        if role not in ("cashier", "owner"):
            raise ValidationError("a role is 'cashier' or 'owner'")
        check_pin_format(pin)
        if q.get_staff_by_name(self.ctx.db, name):
            raise Conflict(f"there is already a staff member called {name}")
        with self.ctx.write():
            staff_id = q.insert_staff(self.ctx.db, {
                "uuid": new_uuid(), "name": name, "role": role, "pin_hash": hash_pin(pin),
                "created_at": self.ctx.now_iso(),
            })
            self.ctx.audit("staff.add", name, {"role": role}, actor)
        return Staff(staff_id, name, role)

    def sign_in(self, name: str, pin: str) -> Staff:
        """Check a PIN; after five wrong tries the name is locked for a minute (StaffLocked).

        An unknown or inactive name and a wrong PIN get the same refusal, WRONG_NAME_OR_PIN.
        """
        row = q.get_staff_by_name(self.ctx.db, one_line(name))
        if row is None or not row["active"]:
            pin_matches(pin, _NO_ONE)
            raise PermissionDenied(WRONG_NAME_OR_PIN)
        now = self.ctx.now()
        if row["locked_until"] and from_iso(row["locked_until"]) > now:
            raise StaffLocked(f"too many wrong PINs for {row['name']}: try again in a minute")
        if not pin_matches(pin, row["pin_hash"]):
            attempts = row["failed_attempts"] + 1
            values: dict[str, object] = {"failed_attempts": attempts}
            if attempts >= MAX_ATTEMPTS:
                values = {"failed_attempts": 0, "locked_until": to_iso(now + timedelta(seconds=LOCK_SECONDS))}
            with self.ctx.write():
                q.update_staff(self.ctx.db, row["id"], values)
            raise PermissionDenied(WRONG_NAME_OR_PIN)
        if row["failed_attempts"] or row["locked_until"]:
            with self.ctx.write():
                q.update_staff(self.ctx.db, row["id"], {"failed_attempts": 0, "locked_until": None})
        staff = Staff(row["id"], row["name"], row["role"])
        self.ctx.actor = staff
        return staff

    def verify_owner(self, pin: str, name: str | None = None) -> Staff:
        """An owner's PIN for one owner-only action at the counter (does not change who is signed in)."""
        previous = self.ctx.actor
        candidates = [name] if name else [r["name"] for r in q.list_staff(self.ctx.db)
                                          if r["role"] == "owner" and r["active"]]
        locked: list[str] = []
        try:
            for candidate in candidates:
                try:
                    staff = self.sign_in(candidate, pin)
                except StaffLocked as exc:
                    locked.append(str(exc))
                    continue
                except PermissionDenied:
                    continue
                if staff.is_owner:
                    return staff
            # Saying "not an owner's PIN" to an owner who is locked out would send them guessing again.
            if locked:
                raise StaffLocked(locked[0])
            raise PermissionDenied("that is not an owner's PIN")
        finally:
            self.ctx.actor = previous

    def identify(self, name: str) -> Staff:
        """Who a cashier-level command records, without a PIN (LOYALTY_STAFF on the command line)."""
        row = q.get_staff_by_name(self.ctx.db, one_line(name))
        if row is None or not row["active"]:
            raise NotFound(f"no active staff member called {name}")
        # Without a PIN nobody gets owner powers, whatever their role.
        return Staff(row["id"], row["name"], "cashier")

    def list(self) -> list[StaffMember]:
        return [StaffMember(r["id"], r["name"], r["role"], bool(r["active"])) for r in q.list_staff(self.ctx.db)]

    def set_pin(self, name: str, pin: str, *, actor: Staff | None = None) -> None:
        self.ctx.require_owner(actor, "setting a PIN")
        check_pin_format(pin)
        row = q.get_staff_by_name(self.ctx.db, name)
        if row is None:
            raise NotFound(f"no staff member called {name}")
        with self.ctx.write():
            q.update_staff(self.ctx.db, row["id"], {"pin_hash": hash_pin(pin), "failed_attempts": 0,
                                                    "locked_until": None})
            self.ctx.audit("staff.set_pin", name, {}, actor)

    def set_active(self, name: str, active: bool, *, actor: Staff | None = None) -> None:
        owner = self.ctx.require_owner(actor, "changing staff")
        row = q.get_staff_by_name(self.ctx.db, name)
        if row is None:
            raise NotFound(f"no staff member called {name}")
        if not active and row["id"] == owner.id:
            raise Conflict("you cannot deactivate yourself")
        if not active and row["role"] == "owner" and q.count_owners(self.ctx.db) <= 1:
            raise Conflict("the last owner cannot be deactivated")
        with self.ctx.write():
            q.update_staff(self.ctx.db, row["id"], {"active": int(active)})
            self.ctx.audit("staff.activate" if active else "staff.deactivate", name, {}, actor)
