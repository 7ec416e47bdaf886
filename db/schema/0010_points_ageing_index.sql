-- The points report's ageing sums each customer's credits after a few cut-off dates: read in customer order from
-- an index of just the credits, the sums need no sort of a year of ledger rows.
CREATE INDEX points_ledger_credits ON points_ledger(customer_id, at, delta)
WHERE delta > 0 AND kind IN ('earn', 'bonus', 'adjust', 'merge');
