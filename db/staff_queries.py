"""Staff members and their PIN hashes."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one, update


def get_staff_by_name(db: Database, name: str) -> Row | None:
    return one(db, "SELECT * FROM staff WHERE name = ?", (name,))


def get_staff(db: Database, staff_id: int) -> Row | None:
    return one(db, "SELECT * FROM staff WHERE id = ?", (staff_id,))


def list_staff(db: Database) -> list[Row]:
    return many(db, "SELECT * FROM staff ORDER BY name")


def insert_staff(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "staff", values)


def update_staff(db: Database, staff_id: int, values: dict[str, Any]) -> None:
    update(db, "staff", staff_id, values)


def count_owners(db: Database) -> int:
    r = one(db, "SELECT count(*) AS n FROM staff WHERE role = 'owner' AND active = 1")
    return int(r["n"]) if r else 0
