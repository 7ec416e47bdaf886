"""The central PostgreSQL hub of a chain: an append-only table of every store's signed records keyed by
(node, seq) and read in the hub's own order, each store's status, and points checked under a row lock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: only a chain with a hub needs it, and it costs every start
    import psycopg

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS loyalty_records (hub_seq BIGSERIAL PRIMARY KEY, node TEXT NOT NULL, "
    "store TEXT, seq BIGINT NOT NULL, line TEXT NOT NULL, UNIQUE (node, seq))",
    "CREATE TABLE IF NOT EXISTS loyalty_status (node TEXT PRIMARY KEY, status TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS loyalty_customers (customer TEXT PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS loyalty_points (uuid TEXT PRIMARY KEY, customer TEXT NOT NULL, "
    "delta BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS loyalty_points_customer ON loyalty_points (customer)",
    "CREATE TABLE IF NOT EXISTS loyalty_holds (id BIGSERIAL PRIMARY KEY, customer TEXT NOT NULL, "
    "points BIGINT NOT NULL, node TEXT NOT NULL, after_seq BIGINT NOT NULL)",
)


class HubUnreachable(Exception):
    """The hub cannot be reached (or answered with an error): the store carries on offline."""


def connect(url: str, timeout: int = 3) -> psycopg.Connection[Any]:
    import psycopg

    try:
        conn = psycopg.connect(url, connect_timeout=timeout, autocommit=False)
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(7718)")  # two stores creating the tables at once
            for sql in SCHEMA:
                conn.execute(sql)
        return conn
    except psycopg.Error as exc:
        raise HubUnreachable(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__) from exc


def push(conn: psycopg.Connection[Any], node: str, store: str | None, lines: list[tuple[int, str]],
         points: list[tuple[str, str, int]]) -> None:
    """One store's records in one transaction: all of them, or none (a store killed mid-push sends them again)."""
    import psycopg

    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany("INSERT INTO loyalty_records (node, store, seq, line) VALUES (%s, %s, %s, %s) "
                            "ON CONFLICT (node, seq) DO NOTHING", [(node, store, s, t) for s, t in lines])
            cur.executemany("INSERT INTO loyalty_points (uuid, customer, delta) VALUES (%s, %s, %s) "
                            "ON CONFLICT (uuid) DO NOTHING", points)
    except psycopg.Error as exc:
        raise HubUnreachable(str(exc).strip().splitlines()[0]) from exc


def pull(conn: psycopg.Connection[Any], after: int, exclude_node: str, limit: int = 5000
         ) -> list[tuple[int, str, int, str]]:
    """Records after the hub's sequence ``after`` (hub_seq, node, seq, line), other stores' only."""
    import psycopg

    try:
        with conn.transaction():
            return [(int(a), str(b), int(c), str(d)) for a, b, c, d in conn.execute(
                "SELECT hub_seq, node, seq, line FROM loyalty_records WHERE hub_seq > %s AND node <> %s "
                "ORDER BY hub_seq LIMIT %s", (after, exclude_node, limit)).fetchall()]
    except psycopg.Error as exc:
        raise HubUnreachable(str(exc).strip().splitlines()[0]) from exc


def put_status(conn: psycopg.Connection[Any], node: str, status: str) -> None:
    """A store's signed status (its JSON text), replacing the one before."""
    import psycopg

    try:
        with conn.transaction():
            conn.execute("INSERT INTO loyalty_status (node, status) VALUES (%s, %s) ON CONFLICT (node) "
                         "DO UPDATE SET status = excluded.status", (node, status))
    except psycopg.Error as exc:
        raise HubUnreachable(str(exc).strip().splitlines()[0]) from exc


def statuses(conn: psycopg.Connection[Any]) -> dict[str, str]:
    """Every store's signed status as its JSON text, by node."""
    import psycopg

    try:
        with conn.transaction():
            return {str(n): str(s) for n, s in conn.execute("SELECT node, status FROM loyalty_status")}
    except psycopg.Error as exc:
        raise HubUnreachable(str(exc).strip().splitlines()[0]) from exc


def hold_points(conn: psycopg.Connection[Any], group: list[str], points: int, node: str, after_seq: int) -> int:
    """Check a redemption at the hub under the customer's row lock and hold the points until the store's record
    of it arrives (its records past ``after_seq``). Returns the balance left at the hub; below zero: refused,
    nothing held."""
    import psycopg

    key = min(group)
    try:
        with conn.transaction():
            conn.execute("INSERT INTO loyalty_customers (customer) VALUES (%s) ON CONFLICT DO NOTHING", (key,))
            conn.execute("SELECT customer FROM loyalty_customers WHERE customer = %s FOR UPDATE", (key,))
            row = conn.execute(
                "SELECT coalesce((SELECT sum(delta) FROM loyalty_points WHERE customer = ANY(%s)), 0) - "
                "coalesce((SELECT sum(h.points) FROM loyalty_holds h WHERE h.customer = %s AND h.after_seq >= "
                "coalesce((SELECT max(seq) FROM loyalty_records r WHERE r.node = h.node), 0)), 0)",
                (group, key)).fetchone()
            left = int(row[0] if row else 0) - points
            if left >= 0:
                conn.execute("INSERT INTO loyalty_holds (customer, points, node, after_seq) VALUES (%s, %s, %s, %s)",
                             (key, points, node, after_seq))
            return left
    except psycopg.Error as exc:
        raise HubUnreachable(str(exc).strip().splitlines()[0]) from exc
