"""A live server for Playwright, driving Debian's Chromium (Playwright's own download fails here)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from browser_helpers import Audit
from support import ROOT

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


TAKING_SCREENSHOTS = os.environ.get("SCREENSHOTS") == "1"

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(autouse=True)
def no_policy_violations(request):
    """Every page a browser test opens must keep to the Content-Security-Policy: no blocked inline code."""
    if "page" not in request.fixturenames:
        yield []
        return
    page = request.getfixturevalue("page")
    blocked = []
    page.context.expose_function("reportPolicyViolation", lambda line: blocked.append(line))
    page.context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.reportPolicyViolation("
        "`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${e.documentURI}`))"
    )
    yield blocked
    assert not blocked, "Content-Security-Policy violations:\n" + "\n".join(blocked)


@pytest.fixture
def live_server(app):
    """The test app served on a free loopback port for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot for a person to look through (test-artifacts/ is git-ignored).

    Only when asked (SCREENSHOTS=1 make test): they took a quarter of each browser walk's time.
    """

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if TAKING_SCREENSHOTS:
            page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def audit(page, screenshot):
    """Check the page on screen with axe at 375 and 1280 px, and its reflow at 320 px; `audit.passed()` at the end."""
    return Audit(page, screenshot)
