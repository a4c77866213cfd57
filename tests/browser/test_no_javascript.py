"""The whole journey works with JavaScript switched off in the browser."""

from __future__ import annotations

import re

import pytest

from browser_helpers import answer_every_radio_group, press

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    yield context.new_page()
    context.close()


def follow(page, text: str) -> None:
    with page.expect_navigation():
        page.locator("main a", has_text=text).first.click()


@pytest.mark.parametrize("slug", ["breast-interstitial-laser-therapy", "liver-laser-ablation"])
def test_whole_journey_without_javascript(page, live_server, screenshot, slug):
    short = slug.split("-")[0]
    page.goto(f"{live_server}/procedures/{slug}")
    assert "js-enabled" not in (page.get_attribute("body", "class") or "")  # the module script never ran
    press(page, "Start now")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page.inner_text(".app-resume-code"))
    follow(page, "Continue")
    follow(page, "About you")

    page.fill("#nhs_number", "943 476 5910")
    press(page, "Save and continue")
    assert page.title().startswith("Error: ")
    page.fill("#name", "Ann Example")
    page.fill("#nhs_number", "943 476 5919")
    press(page, "Save and continue")
    press(page, "I have read this – continue")
    press(page, "I have read this – continue")

    page.locator("main input[type=checkbox]").first.check()
    page.fill("#own-0-text", "Can my daughter come in with me?")
    press(page, "Add another question")  # a server round trip, not a script
    page.fill("#own-1-text", "Will I need to stay overnight?")
    press(page, "Save and continue")
    for box in page.locator("main input[type=checkbox]").all()[:3]:
        box.check()
    press(page, "Save and continue")

    answer_every_radio_group(page)
    page.fill("#views", "I am worried about pain.")
    press(page, "Save and continue")
    answer_every_radio_group(page)
    press(page, "Save and continue")
    answer_every_radio_group(page)
    press(page, "Save and continue")

    page.wait_for_url("**/check-answers")
    screenshot(f"no-js-{short}-check-answers-375")
    main = page.inner_text("main")
    for typed in ["Ann Example", "943 476 5919", "Can my daughter come in with me?", "Will I need to stay overnight?",
                  "I am worried about pain."]:
        assert typed in main
    assert page.is_hidden("dialog#timeout")  # the warning needs JavaScript; closed, it shows nothing

    # Change an answer from check answers and come back to it.
    with page.expect_navigation():
        page.locator("a[href*='/about-you']").first.click()
    page.fill("#name", "Ann B Example")
    press(page, "Save and continue")
    page.wait_for_url("**/check-answers")
    assert "Ann B Example" in page.inner_text("main")

    press(page, "Send my answers")
    assert "Your answers have been sent" in page.inner_text("h1")
    follow(page, "summary")
    assert "Will I need to stay overnight?" in page.inner_text("main")
    screenshot(f"no-js-{short}-summary-375")
    with page.expect_download() as download:
        page.click("a[href='/summary.pdf']")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
