"""Mail drafts, pictures and each campaign member's revenue (the owner's words and the closed loop)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, many, one, scalar

DRAFT_COLUMNS = ("subject", "message", "subject_b", "message_b", "picture_id", "updated_at", "updated_by")


def get_draft(db: Database, kind: str, product_id: int | None) -> Row | None:
    """The draft with its picture's name, type and bytes (None without a picture)."""
    return one(db, """
        SELECT d.*, p.name AS picture_name, p.content_type AS picture_type, p.data AS picture_data
        FROM mail_drafts d LEFT JOIN mail_pictures p ON p.id = d.picture_id
        WHERE d.kind = ? AND COALESCE(d.product_id, 0) = COALESCE(?, 0)""", (kind, product_id))


def upsert_draft(db: Database, kind: str, product_id: int | None, values: dict[str, Any]) -> None:
    cols = ", ".join(DRAFT_COLUMNS)
    marks = ", ".join("?" for _ in DRAFT_COLUMNS)
    sets = ", ".join(f"{c} = excluded.{c}" for c in DRAFT_COLUMNS)
    db.conn.execute(
        f"INSERT INTO mail_drafts (kind, product_id, {cols}) VALUES (?, ?, {marks}) "
        f"ON CONFLICT (kind, COALESCE(product_id, 0)) DO UPDATE SET {sets}",
        [kind, product_id, *(values[c] for c in DRAFT_COLUMNS)])


def ensure_picture(db: Database, sha256: str, name: str, content_type: str, data: bytes) -> int:
    """The picture's id, stored once per content."""
    db.conn.execute("INSERT INTO mail_pictures (sha256, name, content_type, data) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(sha256) DO NOTHING", (sha256, name, content_type, data))
    return int(scalar(db, "SELECT id FROM mail_pictures WHERE sha256 = ?", (sha256,)))


def get_picture_data(db: Database, picture_id: int) -> bytes | None:
    value = scalar(db, "SELECT data FROM mail_pictures WHERE id = ?", (picture_id,))
    return None if value is None else bytes(value)


def set_outbox_picture(db: Database, outbox_id: int, picture_id: int) -> None:
    db.conn.execute("UPDATE mail_outbox SET picture_id = ? WHERE id = ?", (picture_id, outbox_id))


def set_decision_variant(db: Database, key: str, variant: str) -> None:
    db.conn.execute("UPDATE mail_decisions SET variant = ? WHERE key = ?", (variant, key))


def campaign_members(db: Database, campaign_id: int, window_days: int, product_id: int | None) -> list[Row]:
    """Each member of a campaign's groups (mailed ones only once the email was sent; a refill reminder's
    customer once per day decided): group, variant, whether they bought within the window after the decision
    and the revenue of what they bought (the product, or anything when ``product_id`` is None), in cents after
    line discounts and returns, before points discounts and tax."""
    return many(db, """
        WITH m AS (
            SELECT d.customer_id, d.grp, MAX(d.variant) AS variant, MIN(d.decided_at) AS decided_at,
                   MAX(o.status) AS status
            FROM mail_decisions d LEFT JOIN mail_outbox o ON o.id = d.outbox_id
            WHERE d.campaign_id = :cid
            GROUP BY d.customer_id, d.grp, substr(d.decided_at, 1, 10))
        SELECT m.grp, m.variant, COUNT(l.id) > 0 AS converted,
               COALESCE(SUM(l.net_cents * (l.qty - l.returned_qty) / l.qty), 0) AS revenue_cents
        FROM m LEFT JOIN purchases p ON p.customer_id = m.customer_id AND p.occurred_at > m.decided_at
             AND p.occurred_at <= strftime('%Y-%m-%dT%H:%M:%SZ', m.decided_at, :window)
        LEFT JOIN purchase_lines l ON l.purchase_id = p.id AND (:pid IS NULL OR l.product_id = :pid)
        WHERE m.grp = 'control' OR m.status = 'sent'
        GROUP BY m.customer_id, m.grp, m.decided_at""",
        {"cid": campaign_id, "window": f"+{int(window_days)} days", "pid": product_id})


def variant_subjects(db: Database, campaign_id: int) -> dict[str, str]:
    """The subject each A/B variant's recipients got (the latest, if the owner changed it between runs)."""
    rows = many(db, """
        SELECT d.variant, o.subject FROM mail_decisions d JOIN mail_outbox o ON o.id = d.outbox_id
        WHERE d.campaign_id = ? AND d.variant IS NOT NULL ORDER BY o.id""", (campaign_id,))
    return {r["variant"]: r["subject"] for r in rows}
