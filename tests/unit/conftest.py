"""Unit tests: the app's pure modules, with no app, no database and no HTTP, so they run in seconds."""

from __future__ import annotations

import pytest

# What the integration and browser tests build; a test that needs one belongs with them.
NOT_IN_UNIT_TESTS = {"app", "app_with", "make_app", "client", "runner", "get_page", "database_kind",
                     "database_url", "empty_database_url", "postgresql", "live_server", "page"}


@pytest.fixture(autouse=True)
def no_app_database_or_browser(request):
    used = NOT_IN_UNIT_TESTS & set(request.fixturenames)
    assert not used, f"a unit test asks for {sorted(used)}: move it to tests/integration or tests/browser"
