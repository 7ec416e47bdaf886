-- Sync that holds under faults: what each peer has acknowledged of ours, stores the owner removed, records held
-- back (a bad signature, a damaged file) without stalling the rest, and the same line returned in two stores.
ALTER TABLE sync_peers ADD COLUMN acked_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_peers ADD COLUMN removed_at TEXT;

CREATE TABLE sync_held (
    node_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    reason TEXT NOT NULL,
    file TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (node_id, seq)
);

CREATE TABLE sync_over_returns (
    id INTEGER PRIMARY KEY,
    purchase_line_id INTEGER NOT NULL UNIQUE REFERENCES purchase_lines(id),
    excess_qty INTEGER NOT NULL,
    excess_refund_cents INTEGER NOT NULL,
    excess_points_reversed INTEGER NOT NULL,
    excess_points_restored INTEGER NOT NULL,
    returns_seen INTEGER NOT NULL,
    at TEXT NOT NULL
);
