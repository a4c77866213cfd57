"""The information pages in a real browser, on a phone and a desktop."""

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "start": "/",
    "breast-overview": "/procedures/breast-interstitial-laser-therapy",
    "breast-benefits": "/procedures/breast-interstitial-laser-therapy/benefits-and-risks",
    "liver-overview": "/procedures/liver-laser-ablation",
    "liver-benefits": "/procedures/liver-laser-ablation/benefits-and-risks",
    "not-found": "/no-such-page",
}


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_screen_with_styles_loaded(page, live_server, screenshot, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + PAGES[name])
    # The self-hosted NHS.UK stylesheet is applied: the header is NHS blue.
    assert page.eval_on_selector("header.nhsuk-header", "e => getComputedStyle(e).backgroundColor") == "rgb(0, 94, 184)"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    screenshot(f"{name}-{width}")


def test_javascript_enhancements_run_without_console_errors(page, live_server):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server + "/")
    assert page.evaluate("document.body.classList.contains('nhsuk-frontend-supported')")
    assert errors == []


def test_skip_link_moves_focus_to_main_content(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#maincontent"


@pytest.mark.fresh_app
def test_inline_code_on_a_page_is_caught_as_a_policy_violation(app, page, live_server, no_policy_violations):
    """The check every browser test runs (conftest) does see what the policy blocks."""
    @app.get("/test-only-inline")
    def inline():
        return ("<!DOCTYPE html><html lang='en-GB'><head><title>Inline</title><style>p {}</style></head>"
                "<body><p style='color: red'>Inline</p><script>1</script></body></html>")

    page.goto(live_server + "/test-only-inline")
    page.wait_for_function("document.readyState === 'complete'")
    assert sorted(line.split()[0] for line in no_policy_violations) == [
        "script-src-elem", "style-src-attr", "style-src-elem"]
    no_policy_violations.clear()  # seen and expected: not a failure of this test
