-- What the counter shows beside a customer (refill dates and at most three suggestions), prepared for the day by
-- the start-up job, so that a lookup reads one row instead of ranking the customer's history. A row answers only
-- for its local day and context (currency, zone offset) and while the customer has no change mark in
-- suggestion_due_dirty after its ``seq`` (a sale, a return, a merge, an import); any product change or a rebuild of
-- the statistics empties the table. Anything else is computed at the counter as before.
CREATE TABLE counter_hints (
    customer_id INTEGER PRIMARY KEY,
    day INTEGER NOT NULL,              -- local day ordinal the hints were ranked for
    context TEXT NOT NULL,             -- what else they depend on, as the reader spells it
    seq INTEGER NOT NULL,              -- the newest change mark the customer's history was read after
    hints TEXT NOT NULL                -- JSON: {"refill_due": [...], "suggestions": [...]}
);

-- The counter asks "has this customer changed since?" on every lookup: one index probe.
CREATE INDEX suggestion_due_dirty_customer ON suggestion_due_dirty(customer_id, seq);

CREATE TRIGGER counter_hints_on_product_insert AFTER INSERT ON products
BEGIN
    DELETE FROM counter_hints;
END;

CREATE TRIGGER counter_hints_on_product_update AFTER UPDATE ON products
BEGIN
    DELETE FROM counter_hints;
END;

CREATE TRIGGER counter_hints_on_product_delete AFTER DELETE ON products
BEGIN
    DELETE FROM counter_hints;
END;
