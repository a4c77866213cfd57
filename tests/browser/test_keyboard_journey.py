"""A patient on a 375 px phone completes the whole journey with the keyboard only, in English or in Welsh."""

import re
from functools import partial

import pytest

from browser_helpers import choose_language, words

pytestmark = pytest.mark.browser


MATCHES = "s => document.activeElement.matches(s)"
# WCAG 2.4.11: the focused element is on screen and nothing covers its centre
# (a radio's label may: clicking it is clicking the radio).
UNCOVERED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  if (box.bottom <= 0 || box.top >= innerHeight || box.right <= 0 || box.left >= innerWidth) return false;
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return !!top && (el.contains(top) || top.contains(el) || [...(el.labels || [])].some(l => l.contains(top)));
}"""
IS_BUTTON = ("t => document.activeElement.matches('button, a.nhsuk-button')"
             " && document.activeElement.textContent.includes(t)")


def tab_to(page, selector: str, limit: int = 400, check: str = MATCHES) -> None:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check, selector):
            style = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.boxShadow, s.backgroundColor]; }"
            )
            assert style[0] != "none" or style[1] != "none" or style[2] == "rgb(255, 235, 59)", (
                f"focus on {selector} is not visible: {style}"
            )
            assert page.evaluate(UNCOVERED), f"focus on {selector} is off screen or covered on {page.url}"
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def press_button(page, text: str) -> None:
    tab_to(page, text, check=IS_BUTTON)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_first_option_of_every_question(page) -> None:
    """Tab into each radio group (focus lands on its first option) and select it with Space."""
    for name in page.eval_on_selector_all("input[type=radio]", "els => [...new Set(els.map(e => e.name))]"):
        tab_to(page, f"input[name='{name}']")
        page.keyboard.press("Space")


@pytest.mark.parametrize("slug, language", [("breast-interstitial-laser-therapy", "en"),
                                            ("liver-laser-ablation", "en"),
                                            ("breast-interstitial-laser-therapy", "cy")])
def test_keyboard_only_journey_on_a_phone(page, live_server, screenshot, slug, language):
    say = partial(words, language)  # the interface's words in the journey's language
    short = slug.split("-")[0] + ("" if language == "en" else f"-{language}")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server + "/")
    choose_language(page, language)  # the header's switch, by keyboard
    screenshot(f"journey-{short}-01-start-375")

    tab_to(page, f"a[href='/procedures/{slug}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/procedures/{slug}")
    press_button(page, say("Start now"))
    page.wait_for_url("**/your-code")
    code = page.inner_text(".app-resume-code")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    screenshot(f"journey-{short}-02-your-code-375")
    tab_to(page, "a.nhsuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tasks")
    screenshot(f"journey-{short}-03-tasks-375")

    tab_to(page, "a[href='/about-you']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/about-you")
    # The skip link is the first stop, is visible, and jumps past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == say("Skip to main content")
    assert page.evaluate(UNCOVERED)
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#maincontent"
    tab_to(page, "#name", limit=5)  # straight to the form, not through the header
    page.keyboard.type("Ann Example")
    tab_to(page, "#nhs_number")
    page.keyboard.type("943 476 5910")  # wrong check digit first
    press_button(page, say("Save and continue"))
    assert page.title().startswith(say("Error:") + " ")
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    screenshot(f"journey-{short}-04-about-you-error-375")
    assert page.input_value("#name") == "Ann Example"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the error summary link moves focus to the field
    assert page.evaluate("document.activeElement.id") == "nhs_number"
    page.keyboard.press("Control+A")
    page.keyboard.type("943 476 5919")
    press_button(page, say("Save and continue"))
    page.wait_for_url("**/about-the-procedure")

    press_button(page, say("I have read this – continue"))
    page.wait_for_url("**/benefits-and-risks")
    press_button(page, say("I have read this – continue"))
    page.wait_for_url("**/questions")
    screenshot(f"journey-{short}-05-questions-375")

    tab_to(page, "input[name=ask_appointments]")
    page.keyboard.press("Space")
    tab_to(page, "#note_appointments")
    page.keyboard.type("Can they be on Mondays?")
    press_button(page, say("Save and continue"))
    page.wait_for_url("**/questions/most-important**")
    tab_to(page, "input[name=top]")
    page.keyboard.press("Space")
    press_button(page, say("Save and continue"))
    page.wait_for_url("**/what-matters")

    choose_first_option_of_every_question(page)
    screenshot(f"journey-{short}-06-what-matters-375")
    press_button(page, say("Save and continue"))
    page.wait_for_url("**/consent")

    choose_first_option_of_every_question(page)
    press_button(page, say("Save and continue"))
    page.wait_for_url("**/where-you-are")

    choose_first_option_of_every_question(page)
    screenshot(f"journey-{short}-07-where-you-are-375")
    press_button(page, say("Save and continue"))
    page.wait_for_url("**/check-answers")
    screenshot(f"journey-{short}-08-check-answers-375")
    assert "Can they be on Mondays?" in page.inner_text("main")
    assert "943 476 5919" in page.inner_text("main")

    press_button(page, say("Send my answers"))
    page.wait_for_url("**/confirmation")
    screenshot(f"journey-{short}-09-confirmation-375")
    assert say("Your answers have been sent") in page.inner_text("h1")
    assert page.get_attribute("html", "lang") == ("en-GB" if language == "en" else language)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    # The summary page, then its PDF, still by keyboard.
    tab_to(page, "a[href='/summary']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/summary")
    screenshot(f"journey-{short}-10-summary-375")
    assert "Can they be on Mondays?" in page.inner_text("main")
    tab_to(page, "a[href='/summary.pdf']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert re.fullmatch(r"procedure-summary-PFP-[A-Z0-9]{6}\.pdf", download.value.suggested_filename)
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(f"journey-{short}-11-summary-1280")
    page.emulate_media(media="print")
    screenshot(f"journey-{short}-12-summary-print")
    assert not page.is_visible(".nhsuk-header")
    # Lines to write the answers on, under every question.
    lines = page.eval_on_selector(".app-summary-answers .app-question", "e => getComputedStyle(e).backgroundImage")
    assert "answer-lines.svg" in lines
