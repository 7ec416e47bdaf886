-- Indexes for the owner's reports. Each covers what its query reads, so a period of sales is summed from the
-- indexes alone: purchases by time (and by store, and by customer) with the customer and store, and lines by
-- purchase with product, quantities and net amount; the ledger by time with what the points report sums.
CREATE INDEX purchases_report ON purchases(occurred_at, customer_id, store_id, subtotal_cents);
CREATE INDEX purchases_store_report ON purchases(store_id, occurred_at, customer_id, subtotal_cents);
CREATE INDEX purchases_customer_report ON purchases(customer_id, occurred_at, store_id);
CREATE INDEX purchase_lines_report ON purchase_lines(purchase_id, product_id, qty, returned_qty, net_cents);
CREATE INDEX points_ledger_report ON points_ledger(at, kind, delta, customer_id, purchase_id);
