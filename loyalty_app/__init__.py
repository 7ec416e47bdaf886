"""The shop's brain: customers, products, sales, one points program, and the services the screens call."""

__version__ = "0.1.0"
