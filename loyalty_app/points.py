"""The points program's settings and ledger: manual adjustments, history, and the idempotent expiry job."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from db import customers_queries as cq
from db import points_queries as pq
from db import settings_queries as sq
from loyalty_app.clean_text import one_line
from loyalty_app.clock import add_months, from_iso, to_iso
from loyalty_app.context import ShopContext, Staff, new_uuid
from loyalty_app.errors import ValidationError
from loyalty_app.ledger import write_entry
from loyalty_app.limits import check_points
from loyalty_app.points_rules import PointsProgram
from loyalty_app.program_impact import Impact, assess_change

PROGRAM_FIELDS = [f.name for f in fields(PointsProgram)]


@dataclass(frozen=True)
class LedgerEntry:
    """One line of a customer's points history."""

    kind: str  # earn | redeem | reverse | adjust | expire | bonus | transfer
    delta: int
    purchase_id: int | None
    reason: str | None
    staff: str | None  # who wrote it, when someone did
    at: str  # UTC ISO-8601


@dataclass(frozen=True)
class ProgramVersion:
    """The program as it was set at one moment, and by whom (None: at set-up)."""

    program: PointsProgram
    changed_at: str  # UTC ISO-8601
    changed_by_name: str | None


class PointsService:
    def __init__(self, ctx: ShopContext) -> None:
        self.ctx = ctx
        self._cached: tuple[int, PointsProgram] | None = None

    def program(self) -> PointsProgram:
        row = sq.get_current_program(self.ctx.db)
        if row is None:
            return PointsProgram()
        if self._cached and self._cached[0] == row["id"]:
            return self._cached[1]
        prog = PointsProgram(**{k: row[k] for k in PROGRAM_FIELDS})
        self._cached = (row["id"], prog)
        return prog

    def assess_change(self, new: PointsProgram) -> list[Impact]:
        """What replacing the current program with ``new`` does to points already earned (empty: nothing)."""
        return assess_change(self.ctx, self.program(), new)

    def set_program(self, program: PointsProgram, *, actor: Staff | None = None, first: bool = False) -> PointsProgram:
        """Save a new version of the program (kept with who and when). Owner only."""
        who = None if first else self.ctx.require_owner(actor, "changing the points program")
        program.validate()
        with self.ctx.write():
            uid = new_uuid()
            sq.insert_program(self.ctx.db, {**asdict(program), "uuid": uid, "changed_at": self.ctx.now_iso(),
                                            "changed_by": who.id if who else None})
            self.ctx.audit("program.change", None, asdict(program), who)
            self.ctx.emit("program.changed", uid, asdict(program))
        return self.program()

    def program_history(self) -> list[ProgramVersion]:
        """Every version of the program, newest first."""
        return [ProgramVersion(PointsProgram(**{k: r[k] for k in PROGRAM_FIELDS}), r["changed_at"],
                               r["changed_by_name"]) for r in sq.list_program_versions(self.ctx.db)]

    def balance(self, customer_id: int) -> int:
        return pq.get_balance(self.ctx.db, customer_id)

    def adjust(self, customer_id: int, delta: int, reason: str, *, actor: Staff | None = None) -> int:
        """A manual change with a reason and its author (owner only). Cannot take the balance below zero."""
        owner = self.ctx.require_owner(actor, "adjusting points")
        reason = one_line(reason or "")
        if not reason:
            raise ValidationError("a manual points change needs a reason")
        if not isinstance(delta, int) or delta == 0:
            raise ValidationError("the change must be a whole number of points, not zero")
        check_points(delta, "a manual points change", negative=True)
        with self.ctx.write():
            cust = cq.get_customer(self.ctx.db, customer_id)
            if cust is None:
                raise ValidationError(f"no customer #{customer_id}")
            balance = pq.get_balance(self.ctx.db, customer_id)
            if balance + delta < 0:
                raise ValidationError(f"cannot take {-delta} points: the balance is {balance}")
            check_points(balance + delta, "a balance")
            self._entry(customer_id, cust["uuid"], "adjust", delta, reason, owner)
            self.ctx.audit("points.adjust", str(customer_id), {"delta": delta, "reason": reason}, owner)
            return pq.get_balance(self.ctx.db, customer_id)

    def _entry(self, cid: int, cuid: str, kind: str, delta: int, reason: str, actor: Staff | None,
               at: str | None = None) -> None:
        write_entry(self.ctx, cid, kind, delta, reason, actor=actor, at=at, customer_uuid=cuid)

    def history(self, customer_id: int) -> list[LedgerEntry]:
        """The customer's ledger, oldest first (a merged duplicate's entries included)."""
        return [LedgerEntry(r["kind"], r["delta"], r["purchase_id"], r["reason"], r["staff_name"], r["at"])
                for r in pq.list_ledger(self.ctx.db, customer_id)]

    def expire(self, now: datetime | None = None) -> dict[str, int]:
        """Write due expiries as ledger entries. Running it twice writes nothing the second time."""
        program = self.program()
        now = now or self.ctx.now()
        done = {"customers": 0, "points": 0}
        if program.expiry_mode == "never":
            return done
        cutoff = to_iso(add_months(now, -program.expiry_months))
        with self.ctx.write():
            for row in pq.expiry_candidates(self.ctx.db, cutoff):
                due = self._due(row, program, cutoff)
                if due > 0:
                    self._entry(row["id"], row["uuid"], "expire", -due,
                                f"expired ({program.expiry_mode.replace('_', ' ')}, {program.expiry_months} months)",
                                None, to_iso(now))
                    done["customers"] += 1
                    done["points"] += due
            sq.set_setting(self.ctx.db, "last_expiry_run", to_iso(now))
        return done

    def _due(self, row: dict[str, Any], program: PointsProgram, cutoff: str) -> int:
        balance = int(row["points_balance"])
        if program.expiry_mode == "inactivity":
            # A customer who never came back after signing up (a welcome bonus only) is inactive since then.
            last = row["last_visit_at"] or row["created_at"]
            return balance if last <= cutoff else 0
        # FIFO: spending uses the oldest points first, so what expires is old credits not yet spent or expired.
        due = max(0, int(row["old_credits"]) - int(row["debits"])) - int(row["expired"])
        return min(max(due, 0), balance)

    def expire_if_due_today(self) -> dict[str, int] | None:
        """Start-up hook: run the expiry job once a day."""
        last = self.ctx.settings.get("last_expiry_run")
        now = self.ctx.now()
        if last and from_iso(last).astimezone(self.ctx.zone).date() == now.astimezone(self.ctx.zone).date():
            return None
        result = self.expire(now)
        self.ctx.reload_settings()
        return result
