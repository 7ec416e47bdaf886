"""Benchmarks: each bench_<topic>.py module has run() -> dict; `python -m bench [topic ...]` runs them."""
