"""The counter: the screen a cashier lives in all day."""
