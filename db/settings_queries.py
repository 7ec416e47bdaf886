"""Shop settings (key/value), stores, the points program's versions, the audit log and change records."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one, scalar


def get_settings(db: Database) -> dict[str, str]:
    return {r["key"]: r["value"] for r in many(db, "SELECT key, value FROM settings")}


def set_setting(db: Database, key: str, value: str) -> None:
    db.conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def get_store_by_name(db: Database, name: str) -> Row | None:
    return one(db, "SELECT * FROM stores WHERE name = ?", (name,))


def insert_store(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "stores", values)


def list_stores(db: Database) -> list[Row]:
    return many(db, "SELECT * FROM stores ORDER BY name")


def get_current_program(db: Database) -> Row | None:
    return one(db, "SELECT * FROM points_programs ORDER BY id DESC LIMIT 1")


def list_program_versions(db: Database) -> list[Row]:
    return many(
        db,
        "SELECT p.*, s.name AS changed_by_name FROM points_programs p LEFT JOIN staff s ON s.id = p.changed_by "
        "ORDER BY p.id DESC",
    )


def insert_program(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "points_programs", values)


def insert_audit(db: Database, at: str, staff_id: int | None, action: str, subject: str | None,
                 details: dict[str, Any]) -> None:
    insert(db, "audit_log", {"at": at, "staff_id": staff_id, "action": action, "subject": subject,
                             "details": json.dumps(details, sort_keys=True, default=str)})


def list_audit(db: Database, limit: int = 200) -> list[Row]:
    return many(
        db,
        "SELECT a.*, s.name AS staff_name FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id "
        "ORDER BY a.id DESC LIMIT ?",
        (limit,),
    )


def insert_change(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "change_log", values)


def last_change_hlc(db: Database) -> str | None:
    return scalar(db, "SELECT hlc FROM change_log ORDER BY seq DESC LIMIT 1")
