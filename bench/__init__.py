"""Benchmarks for `make bench`: seeding data at scale and timing pages against it. Not tests, not app code."""
