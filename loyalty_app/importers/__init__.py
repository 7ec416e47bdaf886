"""Sales and customers from POS exports (Square, Shopify, Loyverse, any mapped CSV) into the shop."""
