"""A patient is warned before their session runs out, can renew it with one key, and loses nothing when it ends.

The session lasts seconds here, not hours, so the timers really run out.
"""

from __future__ import annotations

import pytest

from browser_helpers import axe_violations
from support import SESSION_COOKIE

pytestmark = pytest.mark.browser

LIFETIME = 8  # seconds
WARNING = 4  # the dialog opens 4 s after each page or renewal


@pytest.fixture
def short_sessions(app):
    app.config.update(PERMANENT_SESSION_LIFETIME=LIFETIME, SESSION_WARNING_SECONDS=WARNING)
    return app


def start_journey(page, live_server) -> str:
    page.goto(live_server + "/procedures/liver-laser-ablation")
    with page.expect_navigation():
        page.click("button:has-text('Start now')")
    return page.inner_text(".app-resume-code")


def session_expiry(page) -> float:
    return next(c["expires"] for c in page.context.cookies() if c["name"] == SESSION_COOKIE)


def wait_for_warning(page) -> None:
    page.wait_for_selector("dialog#timeout[open] [data-timeout-state=warning]:not([hidden])", timeout=LIFETIME * 1000)


@pytest.mark.fresh_app  # sessions of seconds
def test_warning_renews_the_session_with_one_key(short_sessions, page, live_server, screenshot):
    page.set_viewport_size({"width": 375, "height": 800})
    start_journey(page, live_server)
    page.goto(live_server + "/about-you")
    page.focus("#name")
    first_expiry = session_expiry(page)

    wait_for_warning(page)
    screenshot("timeout-01-warning-375")
    assert page.evaluate("document.activeElement.textContent.trim()") == "I need more time"
    assert "will end in less than a minute" in page.inner_text("#timeout-warning-text")
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog#timeout", state="hidden")
    assert page.evaluate("document.activeElement.id") == "name"  # focus goes back where it was
    assert session_expiry(page) > first_expiry

    # Renew twice more by the other single action, Escape, and outlive the first expiry.
    for _ in range(2):
        wait_for_warning(page)
        page.keyboard.press("Escape")
        page.wait_for_selector("dialog#timeout", state="hidden")
    page.goto(live_server + "/tasks")
    assert page.url.endswith("/tasks"), "the renewed session had ended"


@pytest.mark.fresh_app  # sessions of seconds
def test_nothing_typed_is_lost_when_the_session_ends(short_sessions, page, live_server, screenshot):
    page.set_viewport_size({"width": 375, "height": 800})
    code = start_journey(page, live_server)
    page.goto(live_server + "/about-you")
    page.fill("#name", "Ann Example")
    page.fill("#support_needs", "A hearing loop, please")

    page.wait_for_selector("dialog#timeout[open] [data-timeout-state=ended]:not([hidden])", timeout=LIFETIME * 2000)
    screenshot("timeout-02-ended-375")
    assert page.inner_text("#timeout-ended-heading") == "Your session has ended"
    assert page.get_attribute("dialog#timeout", "aria-labelledby") == "timeout-ended-heading"
    page.keyboard.press("Enter")  # Close
    page.wait_for_selector("dialog#timeout", state="hidden")
    assert page.input_value("#name") == "Ann Example"

    with page.expect_navigation():
        page.click("button:has-text('Save and continue')")
    assert "Your session ended" in page.inner_text("h1")
    page.fill("#code", code)
    with page.expect_navigation():
        page.click("button:has-text('Save my answers')")
    page.goto(live_server + "/about-you")
    assert page.input_value("#name") == "Ann Example"
    assert page.input_value("#support_needs") == "A hearing loop, please"
