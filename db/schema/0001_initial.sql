-- Loyalty Desk schema, version 1. Money in integer cents, points in integers, times as UTC ISO-8601 text.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE stores (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('cashier', 'owner')),
    pin_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE points_programs (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    earn_points INTEGER NOT NULL CHECK (earn_points >= 0),
    earn_per_cents INTEGER NOT NULL CHECK (earn_per_cents > 0),
    redeem_points INTEGER NOT NULL CHECK (redeem_points > 0),
    redeem_cents INTEGER NOT NULL CHECK (redeem_cents > 0),
    min_redeem_points INTEGER NOT NULL DEFAULT 0,
    max_redeem_percent INTEGER NOT NULL DEFAULT 100 CHECK (max_redeem_percent BETWEEN 0 AND 100),
    expiry_mode TEXT NOT NULL DEFAULT 'never' CHECK (expiry_mode IN ('never', 'after_earning', 'inactivity')),
    expiry_months INTEGER NOT NULL DEFAULT 0,
    welcome_bonus INTEGER NOT NULL DEFAULT 0,
    changed_at TEXT NOT NULL,
    changed_by INTEGER REFERENCES staff(id)
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT,
    email TEXT,
    email_consent INTEGER NOT NULL DEFAULT 0,
    email_consent_at TEXT,
    email_consent_source TEXT,
    notes TEXT,
    points_balance INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_visit_at TEXT,
    merged_into INTEGER REFERENCES customers(id),
    erased_at TEXT
);
CREATE UNIQUE INDEX customers_email ON customers(email COLLATE NOCASE) WHERE email IS NOT NULL AND merged_into IS NULL;

CREATE VIRTUAL TABLE customers_fts USING fts5(
    name, email, content='customers', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts(rowid, name, email) VALUES (new.id, new.name, new.email);
END;
CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, email) VALUES ('delete', old.id, old.name, old.email);
END;
CREATE TRIGGER customers_fts_au AFTER UPDATE OF name, email ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, email) VALUES ('delete', old.id, old.name, old.email);
    INSERT INTO customers_fts(rowid, name, email) VALUES (new.id, new.name, new.email);
END;

CREATE TABLE phones (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    e164 TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL
);
CREATE INDEX phones_customer ON phones(customer_id);

CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    number TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lost')),
    issued_at TEXT NOT NULL,
    lost_at TEXT
);
CREATE INDEX cards_customer ON cards(customer_id);

CREATE TABLE consent_events (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    channel TEXT NOT NULL DEFAULT 'email',
    granted INTEGER NOT NULL,
    source TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff(id),
    at TEXT NOT NULL
);
CREATE INDEX consent_events_customer ON consent_events(customer_id);

CREATE TABLE customer_external_ids (
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    PRIMARY KEY (source, external_id)
);
CREATE INDEX customer_external_ids_customer ON customer_external_ids(customer_id);

CREATE TABLE customer_merges (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    survivor_id INTEGER NOT NULL REFERENCES customers(id),
    merged_id INTEGER NOT NULL REFERENCES customers(id),
    staff_id INTEGER REFERENCES staff(id),
    points_moved INTEGER NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    sku TEXT NOT NULL UNIQUE COLLATE NOCASE,
    barcode TEXT UNIQUE,
    name TEXT NOT NULL,
    family TEXT,
    category TEXT,
    tags TEXT NOT NULL DEFAULT '',
    size TEXT,
    size_quantity INTEGER,
    size_unit TEXT,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    refill_days INTEGER CHECK (refill_days IS NULL OR refill_days > 0),
    launched_on TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    needs_review INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX products_family ON products(family);
CREATE INDEX products_name ON products(name COLLATE NOCASE);

CREATE TABLE purchases (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    customer_id INTEGER REFERENCES customers(id),
    store_id INTEGER REFERENCES stores(id),
    register TEXT,
    staff_id INTEGER REFERENCES staff(id),
    occurred_at TEXT NOT NULL,
    subtotal_cents INTEGER NOT NULL,
    redeem_discount_cents INTEGER NOT NULL DEFAULT 0,
    tax_cents INTEGER NOT NULL DEFAULT 0,
    total_cents INTEGER NOT NULL,
    points_earned INTEGER NOT NULL DEFAULT 0,
    points_redeemed INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT 'counter',
    external_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX purchases_customer_time ON purchases(customer_id, occurred_at);
CREATE INDEX purchases_time ON purchases(occurred_at);
CREATE UNIQUE INDEX purchases_source_external ON purchases(source, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE purchase_lines (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id),
    line_no INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    qty INTEGER NOT NULL CHECK (qty > 0),
    unit_price_cents INTEGER NOT NULL,
    line_discount_cents INTEGER NOT NULL DEFAULT 0,
    net_cents INTEGER NOT NULL,
    redeem_discount_cents INTEGER NOT NULL DEFAULT 0,
    tax_cents INTEGER NOT NULL DEFAULT 0,
    points_earned INTEGER NOT NULL DEFAULT 0,
    points_redeemed INTEGER NOT NULL DEFAULT 0,
    returned_qty INTEGER NOT NULL DEFAULT 0 CHECK (returned_qty >= 0 AND returned_qty <= qty),
    UNIQUE (purchase_id, line_no)
);
CREATE INDEX purchase_lines_product ON purchase_lines(product_id);

CREATE TABLE returns (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    purchase_id INTEGER NOT NULL REFERENCES purchases(id),
    staff_id INTEGER REFERENCES staff(id),
    occurred_at TEXT NOT NULL,
    refund_cents INTEGER NOT NULL,
    points_reversed INTEGER NOT NULL,
    points_restored INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT 'counter',
    external_id TEXT,
    reason TEXT
);
CREATE INDEX returns_purchase ON returns(purchase_id);
CREATE UNIQUE INDEX returns_source_external ON returns(source, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE return_lines (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    return_id INTEGER NOT NULL REFERENCES returns(id),
    purchase_line_id INTEGER NOT NULL REFERENCES purchase_lines(id),
    qty INTEGER NOT NULL CHECK (qty > 0),
    refund_cents INTEGER NOT NULL,
    points_reversed INTEGER NOT NULL,
    points_restored INTEGER NOT NULL
);
CREATE INDEX return_lines_line ON return_lines(purchase_line_id);

CREATE TABLE points_ledger (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'reverse', 'adjust', 'expire', 'bonus', 'merge')),
    delta INTEGER NOT NULL,
    purchase_id INTEGER REFERENCES purchases(id),
    return_id INTEGER REFERENCES returns(id),
    reason TEXT,
    staff_id INTEGER REFERENCES staff(id),
    at TEXT NOT NULL
);
CREATE INDEX points_ledger_customer ON points_ledger(customer_id, at);
CREATE INDEX points_ledger_purchase ON points_ledger(purchase_id);

CREATE TRIGGER points_ledger_no_update BEFORE UPDATE ON points_ledger BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;
CREATE TRIGGER points_ledger_no_delete BEFORE DELETE ON points_ledger BEGIN
    SELECT RAISE(ABORT, 'the points ledger is append-only');
END;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff(id),
    action TEXT NOT NULL,
    subject TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    node_id TEXT NOT NULL,
    hlc TEXT NOT NULL,
    type TEXT NOT NULL,
    entity_uuid TEXT NOT NULL,
    data TEXT NOT NULL
)
