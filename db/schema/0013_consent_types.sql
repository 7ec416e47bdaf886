-- Consent per type of email: announcements (new products), refill reminders, news (welcome, we miss you).
-- Whoever had the single consent keeps it as all three, recorded as one event per type (source 'migration',
-- dated and clocked like the consent it restates); nobody else gains any.
ALTER TABLE customers ADD COLUMN consent_announcements INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN consent_refills INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN consent_news INTEGER NOT NULL DEFAULT 0;

INSERT INTO consent_events (uuid, customer_id, channel, granted, source, staff_id, at, hlc)
SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)
       || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(lower(hex(randomblob(2))), 2) || '-'
       || lower(hex(randomblob(6))),
       c.id, t.kind, 1, 'migration', NULL, coalesce(c.email_consent_at, c.created_at),
       (SELECT max(coalesce(e.hlc, l.hlc)) FROM consent_events e LEFT JOIN change_log l ON l.entity_uuid = e.uuid
        WHERE e.customer_id = c.id)
FROM customers c, (SELECT 'announcements' AS kind UNION ALL SELECT 'refills' UNION ALL SELECT 'news') t
WHERE c.email_consent = 1;

UPDATE customers SET consent_announcements = 1, consent_refills = 1, consent_news = 1 WHERE email_consent = 1;

-- The gentle automations' emails: a welcome after sign-up, "we miss you" after an overdue rhythm.
-- SQLite cannot widen a CHECK in place: the campaigns, the outbox and the decisions that point at both are
-- copied into new tables, the old ones dropped (children first, so no reference ever dangles) and the new ones
-- renamed, which re-points the references to the final names.
CREATE TABLE mail_campaigns_new (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('announce', 'refill', 'welcome', 'winback')),
    product_id INTEGER REFERENCES products(id),
    title TEXT NOT NULL,
    control_percent INTEGER NOT NULL DEFAULT 10 CHECK (control_percent BETWEEN 0 AND 50),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES staff(id)
);
INSERT INTO mail_campaigns_new SELECT * FROM mail_campaigns;

CREATE TABLE mail_outbox_new (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('announce', 'refill', 'welcome', 'winback')),
    campaign_id INTEGER REFERENCES mail_campaigns_new(id),
    customer_id INTEGER REFERENCES customers(id),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    message TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    decided_at TEXT NOT NULL,
    sent_at TEXT,
    updated_at TEXT NOT NULL
);
INSERT INTO mail_outbox_new SELECT * FROM mail_outbox;

CREATE TABLE mail_decisions_new (
    key TEXT PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES mail_campaigns_new(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    product_id INTEGER REFERENCES products(id),
    grp TEXT NOT NULL CHECK (grp IN ('mail', 'control')),
    outbox_id INTEGER REFERENCES mail_outbox_new(id),
    decided_at TEXT NOT NULL
);
INSERT INTO mail_decisions_new SELECT * FROM mail_decisions;

DROP TABLE mail_decisions;
DROP TABLE mail_outbox;
DROP TABLE mail_campaigns;
ALTER TABLE mail_campaigns_new RENAME TO mail_campaigns;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
ALTER TABLE mail_decisions_new RENAME TO mail_decisions;

CREATE UNIQUE INDEX mail_campaigns_product ON mail_campaigns(product_id) WHERE kind = 'announce';
-- One campaign each for refill reminders, welcomes and "we miss you".
CREATE UNIQUE INDEX mail_campaigns_refill ON mail_campaigns(kind) WHERE kind IN ('refill', 'welcome', 'winback');
CREATE INDEX mail_outbox_status ON mail_outbox(status, id);
CREATE INDEX mail_outbox_customer_time ON mail_outbox(customer_id, decided_at);
CREATE INDEX mail_outbox_campaign ON mail_outbox(campaign_id);
CREATE INDEX mail_decisions_campaign ON mail_decisions(campaign_id, grp);
CREATE INDEX mail_decisions_customer ON mail_decisions(customer_id);

-- Each email's unsubscribe link names a random token standing for customer + type (+ campaign); 'all' withdraws
-- every type. The older per-customer tokens (mail_tokens) in emails already sent keep meaning "all".
CREATE TABLE mail_unsubscribe_links (
    token TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    consent_type TEXT NOT NULL CHECK (consent_type IN ('announcements', 'refills', 'news', 'all')),
    campaign_id INTEGER REFERENCES mail_campaigns(id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX mail_unsubscribe_links_key
    ON mail_unsubscribe_links(customer_id, consent_type, coalesce(campaign_id, 0));

-- Which campaign's email an unsubscribe came from (kept, anonymous, after an erasure, like the decisions).
CREATE TABLE mail_unsubscribes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    campaign_id INTEGER REFERENCES mail_campaigns(id),
    consent_type TEXT NOT NULL,
    source TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX mail_unsubscribes_campaign ON mail_unsubscribes(campaign_id);

INSERT OR IGNORE INTO settings (key, value) VALUES ('mail_welcome', 'off');
INSERT OR IGNORE INTO settings (key, value) VALUES ('mail_winback', 'off');
INSERT OR IGNORE INTO settings (key, value) VALUES ('mail_winback_min_days', '60');
