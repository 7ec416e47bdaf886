"""Suggestions at the counter and in emails: refill due, cross-sell, up-sell, new products, and their evaluation."""
