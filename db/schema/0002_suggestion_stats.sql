-- Suggestion statistics: co-purchase counts and buying rhythms, rebuilt in a background job and caught up
-- from new purchases in memory. Scores are derived from these counts when loaded (never stored as money).
CREATE TABLE suggestion_products (
    product_id INTEGER PRIMARY KEY REFERENCES products(id),
    baskets INTEGER NOT NULL,          -- purchases that contained the product
    buyers INTEGER NOT NULL            -- distinct customers who bought it
);

CREATE TABLE suggestion_pairs (
    kind TEXT NOT NULL CHECK (kind IN ('basket', 'customer')),
    product_id INTEGER NOT NULL,
    other_id INTEGER NOT NULL,
    together INTEGER NOT NULL,         -- baskets (or customers within the window) holding both
    PRIMARY KEY (kind, product_id, other_id)
) WITHOUT ROWID;

CREATE TABLE suggestion_rhythms (
    unit TEXT PRIMARY KEY,             -- 'family:<name>' or 'product:<id>'
    buyers INTEGER NOT NULL,           -- customers with at least one repeat purchase
    days_per_amount REAL NOT NULL,     -- median days one unit of size lasts among those buyers
    spread REAL NOT NULL               -- standard deviation of their log rhythms (how much buyers differ)
) WITHOUT ROWID;

CREATE TABLE suggestion_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID
