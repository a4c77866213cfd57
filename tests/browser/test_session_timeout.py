"""A patient is warned before their session runs out, can renew it with one key, and loses nothing when it ends.

Playwright's clock drives the page's timers, so the two-hour session and its
five-minute warning run at their real settings without anyone waiting. One
test at the end runs on real time with a session of seconds: the browser's
cookie and the server's session really run out there.
"""

from __future__ import annotations

from functools import partial

import pytest

from browser_helpers import LANGUAGES, axe_violations, words
from support import SESSION_COOKIE

pytestmark = pytest.mark.browser

SESSION = 7200  # seconds: PERMANENT_SESSION_LIFETIME's default
WARNING = 300  # seconds before the end: SESSION_WARNING_SECONDS's default
WARNING_OPEN = "dialog#timeout[open] [data-timeout-state=warning]:not([hidden])"
ENDED_OPEN = "dialog#timeout[open] [data-timeout-state=ended]:not([hidden])"


def start_journey(page, live_server, language: str = "en") -> str:
    if language != "en":
        # A browser set to the language: every page is in it, before any choice is kept and after the cookie is gone.
        page.set_extra_http_headers({"Accept-Language": language})
    page.goto(live_server + "/procedures/liver-laser-ablation")
    with page.expect_navigation():
        page.click(f"button:has-text('{words(language, 'Start now')}')")
    return page.inner_text(".app-resume-code")


def on_about_you_with_a_fake_clock(page, live_server, language: str = "en") -> str:
    """A phone on the About you page, its timers on Playwright's clock; returns the resume code."""
    page.clock.install()
    page.set_viewport_size({"width": 375, "height": 800})
    code = start_journey(page, live_server, language)
    page.goto(live_server + "/about-you")
    return code


def seconds_pass(page, seconds: float) -> None:
    page.clock.run_for(int(seconds * 1000))


def renewed_by(page, key: str) -> None:
    """Press the key on the open warning: the session is renewed on the server and the dialog closes."""
    with page.expect_response("**/session/extend") as renewal:
        page.keyboard.press(key)
    assert renewal.value.status == 200
    assert (renewal.value.header_value("set-cookie") or "").startswith(SESSION_COOKIE + "=")
    page.wait_for_selector("dialog#timeout", state="hidden")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_warning_opens_five_minutes_before_the_session_ends(page, live_server, screenshot, language):
    on_about_you_with_a_fake_clock(page, live_server, language)
    page.focus("#name")

    seconds_pass(page, SESSION - WARNING - 1)
    assert page.is_hidden("dialog#timeout")
    seconds_pass(page, 1)
    page.wait_for_selector(WARNING_OPEN)
    screenshot("timeout-01-warning-375" + ("" if language == "en" else f"-{language}"))
    assert page.evaluate("document.activeElement.textContent.trim()") == words(language, "I need more time")
    assert page.inner_text("#timeout-warning-heading") == words(language, "Do you need more time?")
    remaining = page.inner_text("#timeout-warning-text [data-timeout-remaining]")
    assert remaining == words(language, "in {minutes} minutes").format(minutes=5)
    seconds_pass(page, WARNING - 59)
    assert page.inner_text("[data-timeout-remaining]") == words(language, "in less than a minute")
    assert axe_violations(page) == []


def test_enter_renews_the_session_and_gives_focus_back(page, live_server):
    on_about_you_with_a_fake_clock(page, live_server)
    page.focus("#name")
    seconds_pass(page, SESSION - WARNING)
    page.wait_for_selector(WARNING_OPEN)

    renewed_by(page, "Enter")
    assert page.evaluate("document.activeElement.id") == "name"  # focus goes back where it was
    # A whole session from now: the next warning comes a full session after the renewal.
    seconds_pass(page, SESSION - WARNING - 1)
    assert page.is_hidden("dialog#timeout")
    seconds_pass(page, 1)
    page.wait_for_selector(WARNING_OPEN)


def test_escape_renews_the_session_too(page, live_server):
    on_about_you_with_a_fake_clock(page, live_server)
    for _ in range(2):
        seconds_pass(page, SESSION - WARNING)
        page.wait_for_selector(WARNING_OPEN)
        renewed_by(page, "Escape")
    page.goto(live_server + "/tasks")
    assert page.url.endswith("/tasks")


@pytest.mark.parametrize("language", LANGUAGES)
def test_nothing_typed_is_lost_when_the_session_ends(page, live_server, screenshot, language):
    say = partial(words, language)
    code = on_about_you_with_a_fake_clock(page, live_server, language)
    page.fill("#name", "Ann Example")
    page.fill("#support_needs", "A hearing loop, please")

    seconds_pass(page, SESSION)
    page.wait_for_selector(ENDED_OPEN)
    screenshot("timeout-02-ended-375" + ("" if language == "en" else f"-{language}"))
    assert page.inner_text("#timeout-ended-heading") == say("Your session has ended")
    assert page.get_attribute("dialog#timeout", "aria-labelledby") == "timeout-ended-heading"
    page.keyboard.press("Enter")  # Close
    page.wait_for_selector("dialog#timeout", state="hidden")
    assert page.input_value("#name") == "Ann Example"

    # Two hours on, the browser has dropped the session cookie: Playwright's
    # clock moves the page's timers, not the cookie store, so drop it here.
    page.context.clear_cookies()
    with page.expect_navigation():
        page.click(f"button:has-text('{say('Save and continue')}')")
    assert page.inner_text("h1") == say("Your session ended: enter your code to save your answers")
    page.fill("#code", code)
    with page.expect_navigation():
        page.click(f"button:has-text('{say('Save my answers')}')")
    page.goto(live_server + "/about-you")
    assert page.input_value("#name") == "Ann Example"
    assert page.input_value("#support_needs") == "A hearing loop, please"


# On real time: the one test that waits, so the real timers, cookie and server stay covered together.

REAL_SESSION = 8  # seconds
REAL_WARNING = 4  # the dialog opens 4 s after each page or renewal


def session_expiry(page) -> float:
    return next(c["expires"] for c in page.context.cookies() if c["name"] == SESSION_COOKIE)


def wait_for_real_warning(page) -> None:
    page.wait_for_selector(WARNING_OPEN, timeout=REAL_SESSION * 1000)


@pytest.mark.fresh_app  # sessions of seconds
def test_on_real_time_renewals_keep_the_session_past_its_first_expiry(app, page, live_server):
    app.config.update(PERMANENT_SESSION_LIFETIME=REAL_SESSION, SESSION_WARNING_SECONDS=REAL_WARNING)
    page.set_viewport_size({"width": 375, "height": 800})
    start_journey(page, live_server)
    page.goto(live_server + "/about-you")
    page.focus("#name")
    first_expiry = session_expiry(page)

    wait_for_real_warning(page)
    assert page.evaluate("document.activeElement.textContent.trim()") == "I need more time"
    assert "will end in less than a minute" in page.inner_text("#timeout-warning-text")
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog#timeout", state="hidden")
    assert page.evaluate("document.activeElement.id") == "name"
    assert session_expiry(page) > first_expiry

    # Renew twice more by the other single action, Escape, and outlive the first expiry.
    for _ in range(2):
        wait_for_real_warning(page)
        page.keyboard.press("Escape")
        page.wait_for_selector("dialog#timeout", state="hidden")
    page.goto(live_server + "/tasks")
    assert page.url.endswith("/tasks"), "the renewed session had ended"
