-- Indexes for the owner's reports: sales by store and time, lines by purchase with what the reports sum
-- (a covering index, so a month of lines is read without touching the table), the ledger by time.
CREATE INDEX purchases_store_time ON purchases(store_id, occurred_at);
CREATE INDEX purchase_lines_report ON purchase_lines(purchase_id, product_id, qty, returned_qty, net_cents);
CREATE INDEX points_ledger_at ON points_ledger(at);
