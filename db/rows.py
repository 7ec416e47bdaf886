"""Small helpers shared by the query modules: rows as dicts, inserts that return the new id."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]


def one(db: Database, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Row | None:
    cur = db.conn.execute(sql, params)
    r = cur.fetchone()
    if r is None:
        return None
    return dict(zip([c[0] for c in cur.description], r, strict=True))


def many(db: Database, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Row]:
    cur = db.conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def scalar(db: Database, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
    r = db.conn.execute(sql, params).fetchone()
    return None if r is None else r[0]


def insert(db: Database, table: str, values: Mapping[str, Any]) -> int:
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cur = db.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(values.values()))
    assert cur.lastrowid is not None
    return cur.lastrowid


def update(db: Database, table: str, row_id: int, values: Mapping[str, Any]) -> None:
    if not values:
        return
    sets = ", ".join(f"{k} = ?" for k in values)
    db.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), row_id])
