"""Benchmarks, apart from the product: `make bench` runs them (`python -m bench NAME`).

Nothing in the apps imports this package; it reads and writes through their services,
selectors and models like any other client, against a throwaway *_bench database.
"""
