-- Multi-store sync: what each peer has been read up to, per-field clocks for last-writer-wins, alarms.
CREATE TABLE sync_peers (
    node_id TEXT PRIMARY KEY,
    store_name TEXT,
    applied_seq INTEGER NOT NULL DEFAULT 0,
    last_seen_at TEXT,
    last_hlc TEXT
);

CREATE TABLE sync_clocks (
    entity_uuid TEXT NOT NULL,
    field TEXT NOT NULL,
    hlc TEXT NOT NULL,
    PRIMARY KEY (entity_uuid, field)
);

CREATE TABLE sync_alarms (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_uuid TEXT,
    node_id TEXT,
    details TEXT NOT NULL DEFAULT ''
);

CREATE INDEX change_log_entity ON change_log(entity_uuid);
CREATE INDEX customers_merged_into ON customers(merged_into) WHERE merged_into IS NOT NULL;

ALTER TABLE consent_events ADD COLUMN hlc TEXT;
