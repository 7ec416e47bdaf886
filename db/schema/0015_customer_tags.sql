-- A customer's tags, one row each: kept as first written, unique per customer by their case-folded key.
CREATE TABLE customer_tags (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    tag TEXT NOT NULL,
    tag_key TEXT NOT NULL,
    added_at TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff(id),
    UNIQUE (customer_id, tag_key)
);
CREATE INDEX customer_tags_key ON customer_tags(tag_key, customer_id);

-- The counter finds customers by the last four digits of any of their phones.
CREATE INDEX phones_last_four ON phones(substr(e164, -4));
