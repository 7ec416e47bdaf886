-- Mail: campaigns with control groups, the outbox, decision keys, the suppression list, unsubscribe tokens.

-- One campaign per announced product; refill reminders share one campaign of kind 'refill'.
CREATE TABLE mail_campaigns (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('announce', 'refill')),
    product_id INTEGER REFERENCES products(id),
    title TEXT NOT NULL,
    control_percent INTEGER NOT NULL DEFAULT 10 CHECK (control_percent BETWEEN 0 AND 50),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES staff(id)
);
CREATE UNIQUE INDEX mail_campaigns_product ON mail_campaigns(product_id) WHERE kind = 'announce';
CREATE UNIQUE INDEX mail_campaigns_refill ON mail_campaigns(kind) WHERE kind = 'refill';

-- Every email the shop decided to send, rendered at decision time, with its delivery state.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('announce', 'refill')),
    campaign_id INTEGER REFERENCES mail_campaigns(id),
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
CREATE INDEX mail_outbox_status ON mail_outbox(status, id);
-- The frequency cap looks up a customer's recent marketing emails.
CREATE INDEX mail_outbox_customer_time ON mail_outbox(customer_id, decided_at);
CREATE INDEX mail_outbox_campaign ON mail_outbox(campaign_id);

-- The unique keys of decisions: announce:<campaign>:<customer> or refill:<product>:<customer>:<cycle start>.
-- A control-group decision has a key but no outbox row. Written in the same transaction as the outbox row.
CREATE TABLE mail_decisions (
    key TEXT PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES mail_campaigns(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    product_id INTEGER REFERENCES products(id),
    grp TEXT NOT NULL CHECK (grp IN ('mail', 'control')),
    outbox_id INTEGER REFERENCES mail_outbox(id),
    decided_at TEXT NOT NULL
);
CREATE INDEX mail_decisions_campaign ON mail_decisions(campaign_id, grp);
CREATE INDEX mail_decisions_customer ON mail_decisions(customer_id);

-- Addresses that must never be mailed again: unsubscribed, bounced, complained.
CREATE TABLE mail_suppressions (
    email TEXT PRIMARY KEY COLLATE NOCASE,
    reason TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'complaint')),
    source TEXT NOT NULL,
    detail TEXT,
    at TEXT NOT NULL
);

-- Per-customer unsubscribe token carried in the unsubscribe mailto (no guessable ids in emails).
CREATE TABLE mail_tokens (
    customer_id INTEGER PRIMARY KEY REFERENCES customers(id),
    token TEXT NOT NULL UNIQUE
);

INSERT OR IGNORE INTO settings (key, value) VALUES ('mail_cap_days', '14');
INSERT OR IGNORE INTO settings (key, value) VALUES ('mail_control_percent', '10');
INSERT OR IGNORE INTO settings (key, value) VALUES ('mail_results_days', '30');
INSERT OR IGNORE INTO settings (key, value) VALUES ('mail_refill_every_days', '7');
