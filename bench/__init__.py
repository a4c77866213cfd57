"""Benchmarks for `make bench`: seeding data at scale and timing pages against it. Not tests, not app code.

They share some of the test suite's helpers (the throwaway PostgreSQL, what a
patient fills in on each page), so tests/ goes on the path here.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
