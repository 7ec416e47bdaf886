"""Mail: campaigns, decision keys, the outbox, suppressions, tokens, audiences and results data."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.rows import Row, insert, many, one, scalar

MARKETING = "('announce', 'refill', 'welcome', 'winback')"
# The customer row's column for each type of consent (the only names ever put into the SQL text).
CONSENT_COLUMNS = {"announcements": "consent_announcements", "refills": "consent_refills", "news": "consent_news"}
# An address on the list is not mailed; only consent given again (at the counter) after an unsubscribe lifts it.
# A bounce stays until the address changes.
SUPPRESSED = """SELECT 1 FROM mail_suppressions s WHERE s.email = c.email COLLATE NOCASE
    AND (s.reason != 'unsubscribed' OR c.email_consent_at IS NULL OR c.email_consent_at <= s.at)"""


# -- campaigns ---------------------------------------------------------------------------------------------

def get_announce_campaign(db: Database, product_id: int) -> Row | None:
    return one(db, "SELECT * FROM mail_campaigns WHERE kind = 'announce' AND product_id = ?", (product_id,))


def get_refill_campaign(db: Database) -> Row | None:
    return one(db, "SELECT * FROM mail_campaigns WHERE kind = 'refill'")


def get_campaign(db: Database, campaign_id: int) -> Row | None:
    return one(db, "SELECT * FROM mail_campaigns WHERE id = ?", (campaign_id,))


def insert_campaign(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "mail_campaigns", values)


def list_campaigns(db: Database) -> list[Row]:
    return many(db, """
        SELECT c.*, p.sku, p.name AS product_name,
               (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = c.id) AS emails,
               (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = c.id AND o.status = 'sent') AS sent,
               (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = c.id AND o.status = 'failed') AS failed,
               (SELECT COUNT(*) FROM mail_outbox o WHERE o.campaign_id = c.id AND o.status = 'queued') AS queued,
               (SELECT COUNT(DISTINCT u.customer_id) FROM mail_unsubscribes u WHERE u.campaign_id = c.id)
                   AS unsubscribes
        FROM mail_campaigns c LEFT JOIN products p ON p.id = c.product_id ORDER BY c.id DESC""")


# -- decisions and the outbox ------------------------------------------------------------------------------

def existing_keys(db: Database, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        marks = ", ".join("?" for _ in chunk)
        found |= {r[0] for r in db.conn.execute(f"SELECT key FROM mail_decisions WHERE key IN ({marks})", chunk)}
    return found


def insert_decision(db: Database, values: dict[str, Any]) -> bool:
    """Insert one decision key; False when the key exists already (decided before)."""
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cur = db.conn.execute(f"INSERT OR IGNORE INTO mail_decisions ({cols}) VALUES ({marks})", list(values.values()))
    return cur.rowcount == 1


def insert_outbox(db: Database, values: dict[str, Any]) -> int:
    return insert(db, "mail_outbox", values)


def get_outbox(db: Database, outbox_id: int) -> Row | None:
    return one(db, "SELECT * FROM mail_outbox WHERE id = ?", (outbox_id,))


def list_queued_ids(db: Database) -> list[int]:
    return [r[0] for r in db.conn.execute("SELECT id FROM mail_outbox WHERE status = 'queued' ORDER BY id")]


def list_outbox(db: Database, status: str | None = None, limit: int = 1000) -> list[Row]:
    where = "WHERE o.status = ?" if status else ""
    params: list[Any] = [status] if status else []
    return many(db, f"""
        SELECT o.id, o.uuid, o.kind, o.campaign_id, o.customer_id, c.name AS customer_name, o.to_address,
               o.subject, o.message_id, o.status, o.attempts, o.last_error, o.decided_at, o.sent_at, o.updated_at
        FROM mail_outbox o LEFT JOIN customers c ON c.id = o.customer_id {where}
        ORDER BY o.id DESC LIMIT ?""", [*params, limit])


def mark_sent(db: Database, outbox_id: int, at: str) -> None:
    db.conn.execute(
        "UPDATE mail_outbox SET status = 'sent', sent_at = ?, updated_at = ?, attempts = attempts + 1 "
        "WHERE id = ? AND status = 'queued'", (at, at, outbox_id))


def mark_attempt(db: Database, outbox_id: int, status: str, error: str, at: str) -> None:
    db.conn.execute(
        "UPDATE mail_outbox SET status = ?, last_error = ?, updated_at = ?, attempts = attempts + 1 "
        "WHERE id = ? AND status = 'queued'", (status, error, at, outbox_id))


def cancel_queued_to(db: Database, email: str, reason: str, at: str) -> int:
    cur = db.conn.execute(
        "UPDATE mail_outbox SET status = 'cancelled', last_error = ?, updated_at = ? "
        "WHERE to_address = ? COLLATE NOCASE AND status = 'queued'", (reason, at, email))
    return cur.rowcount


def requeue_failed(db: Database, at: str) -> int:
    cur = db.conn.execute(
        "UPDATE mail_outbox SET status = 'queued', updated_at = ? WHERE status = 'failed'", (at,))
    return cur.rowcount


def outbox_counts(db: Database) -> dict[str, int]:
    return {r["status"]: r["n"] for r in many(db, "SELECT status, COUNT(*) AS n FROM mail_outbox GROUP BY status")}


# -- consent, suppression, cap -----------------------------------------------------------------------------

def contactable_customers(db: Database, consent_type: str) -> list[Row]:
    """Customers with an email and consent to this type, not merged/erased and not on the suppression list."""
    return many(db, f"""
        SELECT c.id, c.uuid, c.name, c.email FROM customers c
        WHERE c.email IS NOT NULL AND c.{CONSENT_COLUMNS[consent_type]} = 1 AND c.merged_into IS NULL
          AND c.erased_at IS NULL AND NOT EXISTS ({SUPPRESSED})""")


def is_still_contactable(db: Database, customer_id: int, email: str, consent_type: str) -> bool:
    return bool(scalar(db, f"""
        SELECT 1 FROM customers c
        WHERE c.id = ? AND c.email = ? COLLATE NOCASE AND c.{CONSENT_COLUMNS[consent_type]} = 1
          AND c.erased_at IS NULL AND c.merged_into IS NULL
          AND NOT EXISTS ({SUPPRESSED})""",
        (customer_id, email)))


def cancel_queued_kinds(db: Database, customer_id: int, kinds: list[str], reason: str, at: str) -> int:
    """Cancel a customer's queued emails of these kinds (a withdrawn type of consent)."""
    marks = ", ".join("?" for _ in kinds)
    cur = db.conn.execute(
        f"UPDATE mail_outbox SET status = 'cancelled', last_error = ?, updated_at = ? "
        f"WHERE customer_id = ? AND status = 'queued' AND kind IN ({marks})", (reason, at, customer_id, *kinds))
    return cur.rowcount


def recently_mailed(db: Database, since: str) -> set[int]:
    """Customers who were sent (or have queued) a marketing email decided at or after ``since``."""
    return {r[0] for r in db.conn.execute(
        f"SELECT DISTINCT customer_id FROM mail_outbox WHERE kind IN {MARKETING} "
        "AND status IN ('queued', 'sent') AND decided_at >= ? AND customer_id IS NOT NULL", (since,))}


def get_suppression(db: Database, email: str) -> Row | None:
    return one(db, "SELECT * FROM mail_suppressions WHERE email = ?", (email,))


def upsert_suppression(db: Database, email: str, reason: str, source: str, detail: str | None, at: str) -> None:
    db.conn.execute(
        "INSERT INTO mail_suppressions (email, reason, source, detail, at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(email) DO NOTHING", (email, reason, source, detail, at))


def list_suppressions(db: Database) -> list[Row]:
    return many(db, "SELECT * FROM mail_suppressions ORDER BY at DESC")


def get_token(db: Database, customer_id: int) -> str | None:
    return scalar(db, "SELECT token FROM mail_tokens WHERE customer_id = ?", (customer_id,))


def insert_token(db: Database, customer_id: int, token: str) -> None:
    db.conn.execute("INSERT INTO mail_tokens (customer_id, token) VALUES (?, ?)", (customer_id, token))


def customer_for_token(db: Database, token: str) -> Row | None:
    """The customer of an unsubscribe token (a per-type link's, or an older email's per-customer one) with the
    type it withdraws ('all' for the older ones) and the campaign of the email it came in."""
    return one(db, """
        SELECT c.id, c.email, l.consent_type, l.campaign_id FROM mail_unsubscribe_links l
        JOIN customers c ON c.id = l.customer_id WHERE l.token = :t
        UNION ALL
        SELECT c.id, c.email, 'all', NULL FROM mail_tokens t JOIN customers c ON c.id = t.customer_id
        WHERE t.token = :t LIMIT 1""", {"t": token})


def get_unsubscribe_link(db: Database, customer_id: int, consent_type: str, campaign_id: int | None,
                         preview_of: str | None = None) -> str | None:
    return scalar(db, "SELECT token FROM mail_unsubscribe_links WHERE customer_id = ? AND consent_type = ? "
                      "AND coalesce(campaign_id, 0) = coalesce(?, 0) AND coalesce(preview_of, '') = coalesce(?, '')",
                  (customer_id, consent_type, campaign_id, preview_of))


def set_unsubscribe_link_campaign(db: Database, token: str, campaign_id: int) -> None:
    db.conn.execute("UPDATE mail_unsubscribe_links SET campaign_id = ?, preview_of = NULL WHERE token = ?",
                    (campaign_id, token))


def insert_unsubscribe_link(db: Database, values: dict[str, Any]) -> None:
    insert(db, "mail_unsubscribe_links", values)


def insert_unsubscribe(db: Database, values: dict[str, Any]) -> None:
    insert(db, "mail_unsubscribes", values)


# -- audience and due data (the fallback until the suggestions module provides them) ------------------------

def list_customer_products(db: Database) -> list[Row]:
    """(customer, product) pairs with the last purchase time, net of fully returned lines."""
    return many(db, """
        SELECT p.customer_id, l.product_id, MAX(p.occurred_at) AS last_bought
        FROM purchase_lines l JOIN purchases p ON p.id = l.purchase_id
        WHERE p.customer_id IS NOT NULL AND l.returned_qty < l.qty
        GROUP BY p.customer_id, l.product_id""")


def list_products_for_mail(db: Database) -> list[Row]:
    return many(db, "SELECT id, sku, name, family, category, tags, refill_days, active FROM products")


# -- results -----------------------------------------------------------------------------------------------

def campaign_conversions(db: Database, campaign_id: int, window_days: int, product_id: int | None) -> dict[str, Row]:
    """Per group: members (mailed ones only when the email was sent) and how many bought within the window
    after their decision (the product, or anything when ``product_id`` is None)."""
    rows = many(db, """
        WITH m AS (
            SELECT d.customer_id, d.grp, MIN(d.decided_at) AS decided_at, MAX(o.status) AS status
            FROM mail_decisions d LEFT JOIN mail_outbox o ON o.id = d.outbox_id
            WHERE d.campaign_id = :cid
            GROUP BY d.customer_id, d.grp, substr(d.decided_at, 1, 10))
        SELECT grp, COUNT(*) AS members,
               COALESCE(SUM(EXISTS (
                   SELECT 1 FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id
                   WHERE p.customer_id = m.customer_id AND p.occurred_at > m.decided_at
                     AND p.occurred_at <= strftime('%Y-%m-%dT%H:%M:%SZ', m.decided_at, :window)
                     AND (:pid IS NULL OR l.product_id = :pid))), 0) AS converted
        FROM m WHERE grp = 'control' OR status = 'sent' GROUP BY grp""",
        {"cid": campaign_id, "window": f"+{int(window_days)} days", "pid": product_id})
    return {r["grp"]: r for r in rows}


def list_products_bought(db: Database, customer_id: int) -> list[Row]:
    return many(db, """
        SELECT pr.id, pr.name, pr.family, pr.category, pr.tags, MAX(p.occurred_at) AS last_bought
        FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id JOIN products pr ON pr.id = l.product_id
        WHERE p.customer_id = ? GROUP BY pr.id ORDER BY last_bought DESC""", (customer_id,))


def get_product_uuid(db: Database, product_id: int) -> str:
    return str(scalar(db, "SELECT uuid FROM products WHERE id = ?", (product_id,)))


LEASE_KEY = "mail_sender_lease"


def get_sender_lease(db: Database) -> str | None:
    return scalar(db, "SELECT value FROM settings WHERE key = ?", (LEASE_KEY,))


def set_sender_lease(db: Database, value: str) -> None:
    db.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (LEASE_KEY, value))


def erase_customer_mail(db: Database, customer_id: int, at: str) -> None:
    """Erasure: drop the stored emails' text and address and the unsubscribe token; queued mail is cancelled.
    The decisions stay, anonymous, so the campaign results stay true."""
    db.conn.execute(
        "UPDATE mail_outbox SET status = CASE status WHEN 'queued' THEN 'cancelled' ELSE status END, "
        "last_error = CASE status WHEN 'queued' THEN 'customer erased' ELSE last_error END, "
        "to_address = '', message = '', updated_at = ? WHERE customer_id = ?", (at, customer_id))
    db.conn.execute("DELETE FROM mail_tokens WHERE customer_id = ?", (customer_id,))
    db.conn.execute("DELETE FROM mail_unsubscribe_links WHERE customer_id = ?", (customer_id,))


# -- the gentle automations --------------------------------------------------------------------------------

def get_campaign_of_kind(db: Database, kind: str) -> Row | None:
    """The one campaign of a kind that has only one (refill, welcome, winback)."""
    return one(db, "SELECT * FROM mail_campaigns WHERE kind = ?", (kind,))


def list_welcome_candidates(db: Database, since: str) -> list[int]:
    """Customers who signed up since ``since`` (the welcome was switched on), not imported from a POS file."""
    return [r[0] for r in db.conn.execute(
        "SELECT id FROM customers WHERE created_at >= ? AND merged_into IS NULL AND erased_at IS NULL "
        "AND coalesce(email_consent_source, '') NOT LIKE 'import:%' ORDER BY id", (since,))]


def list_overdue_visitors(db: Database, now: str, min_visits: int, factor: float, min_days: int) -> list[Row]:
    """Customers with ``min_visits``+ visits away for over ``factor`` times their usual gap between visits and at
    least ``min_days`` days (every store's visits: the report summaries' per-customer totals)."""
    return many(db, """
        SELECT customer_id, visits, last_at, interval_days, days_since FROM (
            SELECT st.customer_id, st.visits, st.last_at,
                   (julianday(st.last_at) - julianday(st.first_at)) / (st.visits - 1) AS interval_days,
                   julianday(:now) - julianday(st.last_at) AS days_since
            FROM report_customer_stats st WHERE st.scope = 0 AND st.visits >= :visits)
        WHERE interval_days >= 1 AND days_since > :factor * interval_days AND days_since >= :min_days
        ORDER BY customer_id""", {"now": now, "visits": min_visits, "factor": factor, "min_days": min_days})
