-- Refill rhythms of every customer, computed by the suggestion statistics rebuild, so that "who is due" (the
-- refill report, the reminder emails) reads rows instead of recomputing 50,000 histories. Sales, returns,
-- merges and erasures since the rebuild mark their customer in suggestion_due_dirty (triggers, whatever service
-- wrote), and readers recompute just those customers. The REAL columns are rhythm maths (days, millilitres).
-- The key's columns come first: SQLite 3.40's integrity_check misreads NOT NULL columns declared before them.
CREATE TABLE suggestion_due (
    lapse_day INTEGER NOT NULL,        -- after this day the rhythm has stopped (nothing to remind)
    customer_id INTEGER NOT NULL,
    unit TEXT NOT NULL,                -- 'family:<name>' or 'product:<id>', as suggestion_rhythms
    product_id INTEGER NOT NULL,       -- what they bought last time in this unit
    last_day INTEGER NOT NULL,         -- local day ordinal of the last purchase
    last_amount REAL NOT NULL,
    typical_amount REAL NOT NULL,
    days_per_amount REAL NOT NULL,
    intervals INTEGER NOT NULL,
    sigma REAL NOT NULL,
    basis TEXT NOT NULL,
    due_day INTEGER NOT NULL,          -- local day ordinal the refill is due
    -- Clustered by lapse day: "who is due today" reads the running rhythms in one range, none of the lapsed.
    PRIMARY KEY (lapse_day, customer_id, unit)
) WITHOUT ROWID;

CREATE TABLE suggestion_due_dirty (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL
);

CREATE TRIGGER suggestion_due_on_sale AFTER INSERT ON purchases WHEN NEW.customer_id IS NOT NULL
BEGIN
    INSERT INTO suggestion_due_dirty (customer_id) VALUES (NEW.customer_id);
END;

CREATE TRIGGER suggestion_due_on_repoint AFTER UPDATE OF customer_id ON purchases
WHEN NEW.customer_id IS NOT OLD.customer_id
BEGIN
    INSERT INTO suggestion_due_dirty (customer_id)
    SELECT c FROM (SELECT NEW.customer_id AS c UNION ALL SELECT OLD.customer_id) WHERE c IS NOT NULL;
END;

CREATE TRIGGER suggestion_due_on_return AFTER UPDATE OF returned_qty ON purchase_lines
BEGIN
    INSERT INTO suggestion_due_dirty (customer_id)
    SELECT customer_id FROM purchases WHERE id = NEW.purchase_id AND customer_id IS NOT NULL;
END;

CREATE TRIGGER suggestion_due_on_leave AFTER UPDATE OF merged_into, erased_at ON customers
WHEN NEW.merged_into IS NOT OLD.merged_into OR NEW.erased_at IS NOT OLD.erased_at
BEGIN
    INSERT INTO suggestion_due_dirty (customer_id) VALUES (NEW.id);
END;
