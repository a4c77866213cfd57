"""Coming back on another device, and leaving a shared computer, in a real browser."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet
from browser_helpers import press
from journey_helpers import start, submit

pytestmark = pytest.mark.browser

LIVER = "liver-laser-ablation"


def test_on_a_second_device_the_patient_finds_their_answers_from_the_start_page(app, page, live_server):
    first_device = app.test_client()
    code = start(first_device, LIVER)
    submit(first_device, "/about-you", {"name": "Ann Example"}, status=302)

    page.goto(live_server + "/")  # the address they were given, nothing more
    with page.expect_navigation():
        page.get_by_role("link", name="Carry on with your answers").click()
    page.get_by_label("Your resume code").fill(code.lower())  # as it might be typed
    press(page, "Continue")

    assert page.inner_text("h1") == "Prepare for your appointment"
    assert page.get_by_role("link", name="About you").is_visible()
    assert "Completed" in page.locator("#tasks-1-status").inner_text()
    page.get_by_role("link", name="About you").click()
    assert page.input_value("#name") == "Ann Example"


def test_after_signing_out_a_shared_computer_shows_nothing_of_the_patient(app, page, live_server):
    page.goto(f"{live_server}/procedures/{LIVER}")
    press(page, "Start now")
    code = page.inner_text(".app-resume-code")
    page.goto(live_server + "/about-you")
    page.fill("#name", "Ann Example")
    press(page, "Save and continue")
    with app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference))
    cookies = page.context.cookies()
    press(page, "Save and sign out")
    assert page.inner_text("h1") == "You have signed out"

    def shows_nothing_private(how: str) -> None:
        words = page.inner_text("body")
        for private in ("Ann Example", code, reference):
            assert private not in words, f"{private!r} shown after {how}"
        assert page.inner_text("h1") in ("You have signed out", "Carry on with your answers"), how

    page.go_back()
    shows_nothing_private("pressing Back")
    page.go_back()
    shows_nothing_private("pressing Back twice")
    page.reload()
    shows_nothing_private("reloading")
    page.go_forward()
    shows_nothing_private("going forward")

    # The cookie the browser held before signing out is refused by the server.
    page.context.clear_cookies()
    page.context.add_cookies(cookies)
    page.goto(live_server + "/about-you")
    shows_nothing_private("bringing back the old cookie")
    assert page.url.endswith("/resume")
