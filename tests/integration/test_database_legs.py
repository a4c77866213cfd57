"""The guard on which tests run twice: every storage test runs on SQLite and on PostgreSQL.

Storage tests live in the modules below, each marked both_databases (tests/conftest.py
gives a marked test its PostgreSQL leg). A test moved into them without the
marker, a marker dropped, or a parametrisation that loses a leg fails here.
test_engines.py is not among them: each of its tests checks one engine's own
settings, on that engine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict

import pytest

from support import ROOT

# Models, saving and rollback, faults, two writers, list queries and paging,
# migrations, purge, audit, exports that read rows, deployment on several servers.
STORAGE_MODULES = {
    f"tests/integration/{name}.py" for name in (
        "test_audit", "test_bad_input", "test_clinician_list", "test_clinician_sessions", "test_database",
        "test_deployment", "test_exported_answers", "test_faults", "test_migrations", "test_query_counts",
        "test_saving", "test_stored_summaries", "test_content_versions", "test_reminders", "test_leaving",
        "test_content_publishing",
    )
}
BOTH = {"sqlite", "postgresql"}


def missing_legs(collected: list[dict]) -> list[str]:
    """What is wrong with the storage tests among these, one line each; nothing when all is well."""
    legs: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    problems = []
    for test in collected:
        name = f"{test['module']}::{test['test']}"
        if test["module"] in STORAGE_MODULES and not test["marked"]:
            problems.append(f"{name} is in a storage module but not marked both_databases")
        if test["marked"]:
            legs[test["module"], test["test"]].append(test["database"])
    for (module, test), databases in legs.items():
        if set(databases) != BOTH or databases.count("sqlite") != databases.count("postgresql"):
            problems.append(f"{module}::{test} runs on {sorted(databases, key=str)}, not on both databases alike")
    return problems


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> list[dict]:
    """Every test in the suite as pytest collects it, with its marker and database."""
    out = tmp_path_factory.mktemp("legs") / "legs.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "database_legs", "-p", "no:cacheprovider",
         str(ROOT / "tests")],
        cwd=ROOT, env={**os.environ, "DATABASE_LEGS": str(out), "PYTHONPATH": str(ROOT / "tests")},
        capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_every_storage_test_runs_on_sqlite_and_postgresql(collected):
    storage = [t for t in collected if t["module"] in STORAGE_MODULES]
    assert {t["module"] for t in storage} == STORAGE_MODULES, "a storage module was renamed or emptied: update the list"
    assert missing_legs(collected) == []


def test_tests_outside_storage_run_once_on_sqlite(collected):
    once = [t for t in collected if not t["marked"] and t["database"] is not None]
    assert once and {t["database"] for t in once} == {"sqlite"}


def test_the_guard_names_a_storage_test_that_lost_its_postgresql_leg():
    module = "tests/integration/test_faults.py"
    lost_leg = [{"module": module, "test": "test_x", "marked": True, "database": "sqlite"}]
    unmarked = [{"module": module, "test": "test_y", "marked": False, "database": "sqlite"}]
    assert missing_legs(lost_leg) == [f"{module}::test_x runs on ['sqlite'], not on both databases alike"]
    assert missing_legs(unmarked) == [f"{module}::test_y is in a storage module but not marked both_databases"]
