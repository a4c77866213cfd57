"""The Welsh pages pass the same walk as the English ones: axe at 375 and 1280 px, reflow, no JavaScript.

The keyboard-only journey and the session timeout dialog are the English tests, walked in Welsh too
(test_keyboard_journey.py, test_session_timeout.py).

The journey starts in English and switches with the header's "Cymraeg"
link, as a patient would; the screenshots (pages/cy-*) are for a Welsh
speaker to look through.
"""

from __future__ import annotations

import subprocess

import pytest

from browser_helpers import answer_every_radio_group, press
from support import ROOT

pytestmark = pytest.mark.browser

BREAST = "breast-interstitial-laser-therapy"
SAVE = "Cadw a pharhau"
READ = "Rydw i wedi darllen hwn – parhau"


def in_welsh(page) -> bool:
    return page.get_attribute("html", "lang") == "cy"


def has_welsh_errors(page) -> bool:
    return page.title().startswith("Gwall: ") and page.is_visible(".nhsuk-error-summary")


def switch_to_welsh(page, live_server: str) -> None:
    page.goto(f"{live_server}/")
    with page.expect_navigation():
        page.locator("header a", has_text="Cymraeg").click()
    assert in_welsh(page)


def test_the_welsh_journey_passes_axe_and_reflows_at_every_width(page, live_server, audit):
    switch_to_welsh(page, live_server)
    audit("cy-start")
    page.goto(f"{live_server}/procedures/{BREAST}")
    assert in_welsh(page)  # remembered for the session
    audit("cy-breast-overview")
    press(page, "Dechrau nawr")
    audit("cy-breast-your-code")
    page.goto(live_server + "/tasks")
    audit("cy-breast-tasks")

    page.goto(live_server + "/about-you")
    page.fill("#nhs_number", "123")
    press(page, SAVE)
    assert has_welsh_errors(page)
    audit("cy-breast-about-you-errors")
    page.fill("#nhs_number", "943 476 5919")
    press(page, SAVE)
    audit("cy-breast-about-the-procedure")
    press(page, READ)
    audit("cy-breast-benefits-and-risks")
    press(page, READ)
    page.locator("main input[type=checkbox]").first.check()
    press(page, SAVE)
    press(page, SAVE)
    for section in ("what-matters", "consent", "where-you-are"):
        press(page, SAVE)
        assert has_welsh_errors(page)
        audit(f"cy-breast-{section}-errors")
        answer_every_radio_group(page, 1)
        press(page, SAVE)

    page.wait_for_url("**/check-answers")
    audit("cy-breast-check-answers")
    press(page, "Anfon fy atebion")
    audit("cy-breast-confirmation")
    page.goto(live_server + "/summary")
    audit("cy-breast-summary")
    audit.passed()

    pdf = page.request.get(live_server + "/summary.pdf").body()
    out = ROOT / "test-artifacts" / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    (out / "welsh-summary.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out / "welsh-summary.pdf"),
                    str(out / "welsh-summary")], check=True)
    assert list(out.glob("welsh-summary-*1.png"))


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    yield context.new_page()
    context.close()


def test_the_welsh_journey_works_without_javascript(no_script_page, live_server, screenshot):
    page = no_script_page
    switch_to_welsh(page, live_server)
    page.goto(f"{live_server}/procedures/{BREAST}")
    press(page, "Dechrau nawr")
    page.goto(live_server + "/about-you")
    page.fill("#name", "Ann Example")
    press(page, SAVE)
    press(page, READ)
    press(page, READ)
    page.locator("main input[type=checkbox]").first.check()
    press(page, SAVE)
    press(page, SAVE)
    for _ in range(3):
        answer_every_radio_group(page)
        press(page, SAVE)
    page.wait_for_url("**/check-answers")
    assert in_welsh(page) and "Ann Example" in page.inner_text("main")
    screenshot("no-js-cy-check-answers-375")
    press(page, "Anfon fy atebion")
    assert page.inner_text("h1") == "Mae eich atebion wedi cael eu hanfon"
