"""A pytest plugin for the guard in tests/integration/test_database_legs.py.

`pytest --collect-only -p database_legs` writes one JSON line per collected
test to the file named by $DATABASE_LEGS: its module, its name, whether it is
marked both_databases, and the database this copy of it runs on (none for a
test without an app).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_finish(session) -> None:
    with open(os.environ["DATABASE_LEGS"], "w") as out:
        for item in session.items:
            params = getattr(item, "callspec", None)
            out.write(json.dumps({
                "module": item.path.relative_to(ROOT).as_posix(),
                "test": item.originalname,
                "marked": item.get_closest_marker("both_databases") is not None,
                "database": params.params.get("database_kind") if params else None,
            }) + "\n")
