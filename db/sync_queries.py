"""Multi-store sync: change records to publish, peers' progress, field clocks, alarms, and applying rows by UUID."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one, scalar
from db.tags_queries import move_tags

# Tables a remote record may insert into, keyed by their UUID column (nothing else is ever written by name).
SYNCED_TABLES = {"customers", "phones", "cards", "consent_events", "products", "purchases", "purchase_lines",
                 "returns", "return_lines", "points_ledger", "customer_merges", "points_programs", "stores"}


def list_changes_after(db: Database, seq: int, limit: int) -> list[Row]:
    return many(db, "SELECT * FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit))


def max_change_seq(db: Database) -> int:
    return int(scalar(db, "SELECT coalesce(max(seq), 0) FROM change_log") or 0)


def change_exists(db: Database, uuid: str) -> bool:
    return one(db, "SELECT 1 AS x FROM change_log WHERE uuid = ?", (uuid,)) is not None


def list_peers(db: Database, *, removed: bool = False) -> list[Row]:
    """The stores this node reads (``removed``: also those the owner removed)."""
    where = "" if removed else "WHERE removed_at IS NULL "
    return many(db, f"SELECT * FROM sync_peers {where}ORDER BY store_name, node_id")


def get_peer(db: Database, node_id: str) -> Row | None:
    return one(db, "SELECT * FROM sync_peers WHERE node_id = ?", (node_id,))


def upsert_peer(db: Database, node_id: str, values: dict[str, Any]) -> None:
    db.conn.execute("INSERT OR IGNORE INTO sync_peers (node_id) VALUES (?)", (node_id,))
    if values:
        sets = ", ".join(f"{k} = ?" for k in values)
        db.conn.execute(f"UPDATE sync_peers SET {sets} WHERE node_id = ?", [*values.values(), node_id])


def get_clock(db: Database, entity_uuid: str, field: str) -> str | None:
    return scalar(db, "SELECT hlc FROM sync_clocks WHERE entity_uuid = ? AND field = ?", (entity_uuid, field))


def set_clock(db: Database, entity_uuid: str, field: str, hlc: str) -> None:
    db.conn.execute(
        "INSERT INTO sync_clocks (entity_uuid, field, hlc) VALUES (?, ?, ?) "
        "ON CONFLICT(entity_uuid, field) DO UPDATE SET hlc = excluded.hlc",
        (entity_uuid, field, hlc),
    )


def local_hlc_of(db: Database, entity_uuid: str) -> str | None:
    """The clock of this node's own latest change to an entity (for last-writer-wins against remote ones)."""
    return scalar(db, "SELECT max(hlc) FROM change_log WHERE entity_uuid = ?", (entity_uuid,))


def insert_alarm(db: Database, values: dict[str, Any]) -> None:
    insert(db, "sync_alarms", values)


def alarm_seen(db: Database, kind: str, details: str) -> bool:
    return one(db, "SELECT 1 AS x FROM sync_alarms WHERE kind = ? AND details = ?", (kind, details)) is not None


def list_held(db: Database, node_id: str | None = None) -> list[Row]:
    """Records of other stores not applied: a signature that failed, a damaged file, or waiting on those."""
    if node_id is None:
        return many(db, "SELECT * FROM sync_held ORDER BY node_id, seq")
    return many(db, "SELECT * FROM sync_held WHERE node_id = ? ORDER BY seq", (node_id,))


def hold(db: Database, values: dict[str, Any]) -> None:
    db.conn.execute("INSERT OR REPLACE INTO sync_held (node_id, seq, reason, file, at) VALUES (?, ?, ?, ?, ?)",
                    (values["node_id"], values["seq"], values["reason"], values.get("file"), values["at"]))


def release(db: Database, node_id: str, seq: int) -> None:
    db.conn.execute("DELETE FROM sync_held WHERE node_id = ? AND seq = ?", (node_id, seq))


def list_alarms(db: Database, limit: int = 100) -> list[Row]:
    return many(db, "SELECT * FROM sync_alarms ORDER BY id DESC LIMIT ?", (limit,))


def get_by_uuid(db: Database, table: str, uuid: str) -> Row | None:
    if table not in SYNCED_TABLES:
        raise ValueError(f"not a synced table: {table}")
    return one(db, f"SELECT * FROM {table} WHERE uuid = ?", (uuid,))


def insert_row(db: Database, table: str, values: dict[str, Any]) -> int:
    if table not in SYNCED_TABLES:
        raise ValueError(f"not a synced table: {table}")
    return insert(db, table, values)


def customer_group_ids(db: Database, survivor_id: int) -> list[int]:
    return [r["id"] for r in many(db, "SELECT id FROM customers WHERE id = ? OR merged_into = ?",
                                  (survivor_id, survivor_id))]


def absorb_customer(db: Database, survivor_id: int, merged_id: int, at: str) -> None:
    """Make ``merged_id`` (and whatever was merged into it) part of ``survivor_id``'s group.

    Ledger rows stay where they are (the ledger is append-only); the survivor's cached balance takes the merged
    customer's, so the group's balance stays equal to the sum of its ledger rows."""
    moved = scalar(db, "SELECT points_balance FROM customers WHERE id = ?", (merged_id,)) or 0
    for table in ("phones", "cards", "consent_events", "customer_external_ids", "purchases"):
        db.conn.execute(f"UPDATE {table} SET customer_id = ? WHERE customer_id = ?", (survivor_id, merged_id))
    db.conn.execute("UPDATE customers SET merged_into = ? WHERE merged_into = ?", (survivor_id, merged_id))
    move_tags(db, merged_id, survivor_id)
    db.conn.execute("UPDATE customers SET merged_into = ?, points_balance = 0, updated_at = ? WHERE id = ?",
                    (survivor_id, at, merged_id))
    db.conn.execute("UPDATE customers SET points_balance = points_balance + ?, updated_at = ? WHERE id = ?",
                    (moved, at, survivor_id))


def latest_consent_event(db: Database, customer_id: int, consent_type: str) -> Row | None:
    """The deciding consent event of a customer for one type of email (its channel, or 'email' for every type):
    newest by clock; on a tie, a withdrawal wins."""
    return one(
        db,
        "SELECT e.*, coalesce(e.hlc, c.hlc, e.at) AS clock FROM consent_events e "
        "LEFT JOIN change_log c ON c.entity_uuid = e.uuid WHERE e.customer_id = ? AND e.channel IN (?, 'email') "
        "ORDER BY clock DESC, e.granted ASC LIMIT 1",
        (customer_id, consent_type),
    )


def uuids_without_changes(db: Database, table: str) -> list[str]:
    """Rows written before change records existed (bulk demo builds, imports): published once at set-up."""
    if table not in SYNCED_TABLES:
        raise ValueError(f"not a synced table: {table}")
    return [r["uuid"] for r in many(
        db, f"SELECT uuid FROM {table} WHERE uuid NOT IN (SELECT entity_uuid FROM change_log) ORDER BY id")]


def rows_for_backfill(db: Database, table: str, uuids: list[str]) -> list[Row]:
    """Full rows (with the UUIDs of what they point at) for publishing entities that predate change records."""
    if not uuids:
        return []
    marks = ",".join("?" for _ in uuids)
    sql = {
        "products": f"SELECT * FROM products WHERE uuid IN ({marks})",
        "customers": f"SELECT * FROM customers WHERE uuid IN ({marks})",
        "phones": f"SELECT p.*, c.uuid AS customer_uuid FROM phones p JOIN customers c ON c.id = p.customer_id "
                  f"WHERE p.uuid IN ({marks})",
        "cards": f"SELECT k.*, c.uuid AS customer_uuid FROM cards k JOIN customers c ON c.id = k.customer_id "
                 f"WHERE k.uuid IN ({marks})",
        "consent_events": f"SELECT e.*, c.uuid AS customer_uuid FROM consent_events e "
                          f"JOIN customers c ON c.id = e.customer_id WHERE e.uuid IN ({marks})",
        "purchases": f"SELECT p.*, c.uuid AS customer_uuid, s.name AS store FROM purchases p "
                     f"LEFT JOIN customers c ON c.id = p.customer_id LEFT JOIN stores s ON s.id = p.store_id "
                     f"WHERE p.uuid IN ({marks}) ORDER BY p.id",
        "returns": f"SELECT r.*, p.uuid AS purchase_uuid FROM returns r JOIN purchases p ON p.id = r.purchase_id "
                   f"WHERE r.uuid IN ({marks}) ORDER BY r.id",
        "points_ledger": f"SELECT l.*, c.uuid AS customer_uuid, p.uuid AS purchase_uuid, r.uuid AS return_uuid "
                         f"FROM points_ledger l JOIN customers c ON c.id = l.customer_id "
                         f"LEFT JOIN purchases p ON p.id = l.purchase_id LEFT JOIN returns r ON r.id = l.return_id "
                         f"WHERE l.uuid IN ({marks}) ORDER BY l.id",
    }[table]
    return many(db, sql, uuids)


def lines_with_skus(db: Database, purchase_id: int) -> list[Row]:
    return many(db, "SELECT l.*, p.sku FROM purchase_lines l JOIN products p ON p.id = l.product_id "
                    "WHERE l.purchase_id = ? ORDER BY l.line_no", (purchase_id,))


def return_lines_with_uuids(db: Database, return_id: int) -> list[Row]:
    return many(db, "SELECT r.*, l.uuid AS line_uuid FROM return_lines r JOIN purchase_lines l "
                    "ON l.id = r.purchase_line_id WHERE r.return_id = ? ORDER BY r.id", (return_id,))


def unacknowledged_redeemed(db: Database, customer_id: int, acked_seq: int) -> int:
    """Points this node redeemed for a customer's group in its own records past ``acked_seq`` (what every other
    store has taken in so far)."""
    return int(scalar(
        db,
        "SELECT coalesce(-sum(l.delta), 0) FROM points_ledger l JOIN change_log c ON c.entity_uuid = l.uuid "
        "WHERE l.kind = 'redeem' AND c.seq > ? AND l.customer_id IN "
        "(SELECT id FROM customers WHERE id = ? OR merged_into = ?)",
        (acked_seq, customer_id, customer_id)) or 0)


def local_phone_hlc(db: Database, e164: str) -> str | None:
    """The clock of this node's own latest add or removal of a phone number."""
    return scalar(db, "SELECT max(hlc) FROM change_log WHERE type IN ('phone.added', 'phone.removed') "
                      "AND json_extract(data, '$.e164') = ?", (e164,))


def local_tag_hlc(db: Database, customer_uuid: str, tag: str) -> str | None:
    """The clock of this node's own latest add or removal of a customer's tag (any case)."""
    return scalar(db, "SELECT max(hlc) FROM change_log WHERE type IN ('customer.tag_added', 'customer.tag_removed') "
                      "AND json_extract(data, '$.customer') = ? AND lower(json_extract(data, '$.tag')) = lower(?)",
                  (customer_uuid, tag))


def list_overdrafts(db: Database) -> list[Row]:
    return many(db, "SELECT id, uuid, name, points_balance FROM customers WHERE points_balance < 0 "
                    "AND merged_into IS NULL ORDER BY points_balance")


def get_over_return(db: Database, purchase_line_id: int) -> Row | None:
    return one(db, "SELECT * FROM sync_over_returns WHERE purchase_line_id = ?", (purchase_line_id,))


def upsert_over_return(db: Database, purchase_line_id: int, values: dict[str, Any]) -> None:
    """What the returns of one line handed back beyond it (one row per line, kept up to date)."""
    cols = ["purchase_line_id", *values]
    db.conn.execute(
        f"INSERT INTO sync_over_returns ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
        f"ON CONFLICT(purchase_line_id) DO UPDATE SET {', '.join(f'{k} = excluded.{k}' for k in values)}",
        [purchase_line_id, *values.values()])


def count_returns_of_line(db: Database, purchase_line_id: int) -> int:
    return int(scalar(db, "SELECT count(*) FROM return_lines WHERE purchase_line_id = ?", (purchase_line_id,)) or 0)


def list_over_returns(db: Database) -> list[Row]:
    return many(db, "SELECT o.*, l.purchase_id, p.sku, l.qty FROM sync_over_returns o "
                    "JOIN purchase_lines l ON l.id = o.purchase_line_id JOIN products p ON p.id = l.product_id "
                    "ORDER BY o.id")


def customer_group_uuids(db: Database, customer_id: int) -> list[str]:
    """The uuids of a customer and of everyone merged into them (their points are one balance)."""
    return [r["uuid"] for r in many(db, "SELECT uuid FROM customers WHERE id = ? OR merged_into = ?",
                                    (customer_id, customer_id))]
