"""The product catalogue."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one, update


def get_product(db: Database, product_id: int) -> Row | None:
    return one(db, "SELECT * FROM products WHERE id = ?", (product_id,))


def get_product_by_sku(db: Database, sku: str) -> Row | None:
    return one(db, "SELECT * FROM products WHERE sku = ?", (sku,))


def get_product_by_barcode(db: Database, barcode: str) -> Row | None:
    return one(db, "SELECT * FROM products WHERE barcode = ?", (barcode,))


def get_product_by_name(db: Database, name: str) -> Row | None:
    return one(db, "SELECT * FROM products WHERE name = ? COLLATE NOCASE ORDER BY active DESC, id LIMIT 1", (name,))


def search_products(db: Database, text: str, limit: int = 20, active_only: bool = True) -> list[Row]:
    like = f"%{text}%"
    active = "AND active = 1" if active_only else ""
    return many(
        db,
        f"SELECT * FROM products WHERE (name LIKE ? OR sku LIKE ? OR barcode = ?) {active} "
        "ORDER BY (name LIKE ?) DESC, name LIMIT ?",
        (like, like, text, f"{text}%", limit),
    )


def list_products(db: Database, include_inactive: bool = True) -> list[Row]:
    where = "" if include_inactive else "WHERE active = 1"
    return many(db, f"SELECT * FROM products {where} ORDER BY family, size_quantity, name")


def insert_product(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "products", values)


def update_product(db: Database, product_id: int, values: dict[str, Any]) -> None:
    update(db, "products", product_id, values)
