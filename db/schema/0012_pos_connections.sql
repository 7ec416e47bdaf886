-- Live POS connections: where each pull resumes, and which POS order (and version) became which purchase or return.
-- A POS customer's own id is kept in customer_external_ids under the POS's source, as file imports keep it.
CREATE TABLE pos_connections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL CHECK (kind IN ('square', 'shopify', 'loyverse')),
    api_base TEXT NOT NULL,
    location_id TEXT,
    token_env TEXT,
    since TEXT NOT NULL,
    watermark TEXT,
    cursor TEXT,
    cursor_from TEXT,
    last_pull_at TEXT,
    last_status TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE pos_orders (
    connection_id INTEGER NOT NULL REFERENCES pos_connections(id),
    pos_order_id TEXT NOT NULL,
    order_key TEXT NOT NULL,
    version TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sale', 'return')),
    status TEXT NOT NULL CHECK (status IN ('applied', 'rejected', 'skipped')),
    reason TEXT,
    purchase_id INTEGER REFERENCES purchases(id),
    return_id INTEGER REFERENCES returns(id),
    attached_customer_id INTEGER REFERENCES customers(id),
    total_cents INTEGER NOT NULL DEFAULT 0,
    occurred_at TEXT,
    pos_updated_at TEXT,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (connection_id, pos_order_id)
);
CREATE INDEX pos_orders_purchase ON pos_orders(purchase_id);
CREATE INDEX pos_orders_id ON pos_orders(pos_order_id);
CREATE INDEX pos_orders_time ON pos_orders(occurred_at);
CREATE INDEX pos_orders_key ON pos_orders(order_key);

-- Points redeemed at our counter for a sale rung on the POS: held until a pulled order carries the discount.
CREATE TABLE pos_redemptions (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    points INTEGER NOT NULL CHECK (points > 0),
    discount_cents INTEGER NOT NULL CHECK (discount_cents > 0),
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'reversed')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    settled_at TEXT,
    connection_id INTEGER REFERENCES pos_connections(id),
    pos_order_id TEXT,
    staff_id INTEGER REFERENCES staff(id)
);
CREATE INDEX pos_redemptions_pending ON pos_redemptions(status, customer_id);
