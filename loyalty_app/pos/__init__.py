"""Live POS connections: Square, Shopify and Loyverse orders pulled into the shop as purchases and returns."""
