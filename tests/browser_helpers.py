"""Driving pages in Playwright as a person would, and checking them with axe-core."""

from __future__ import annotations

from functools import cache

from babel.messages.pofile import read_po

from support import ROOT

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (375, 1280)
REFLOW_WIDTH = 320  # a 1280 px screen zoomed to 400%


LANGUAGES = ("en", "cy")  # the languages a browser test may walk a journey in


@cache
def _catalogue(language: str) -> dict[str, str]:
    with (ROOT / "app" / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}


def words(language: str, english: str) -> str:
    """The interface's words as a patient in `language` reads them: the English, or its translation in the
    catalogue the app itself is built from (a message the catalogue lacks fails the test)."""
    return english if language == "en" else _catalogue(language)[english]


def choose_language(page, language: str) -> None:
    """Choose the page's language with the header's switch, by keyboard, as a patient would (no-op for English)."""
    if language == "en":
        return
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("l => document.activeElement.matches(`header a[href^='/language/${l}']`)", language):
            break
    else:
        raise AssertionError(f"Tab never reached the switch to {language}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == language


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 A and AA rules on the page as shown: one line per failing element."""
    if not page.evaluate("() => 'axe' in window"):
        # Evaluated by the test harness, not added as a <script>: the page's CSP blocks inline scripts.
        page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_22_AA
    )
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} | element {node['target']} | {node['failureSummary']}"
        for rule in result["violations"] for node in rule["nodes"]
    ]


def press(page, text: str) -> None:
    """Click the button with exactly this text and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=text, exact=True).click()


def answer_every_radio_group(page, option: int = 0) -> None:
    """Choose the same option (by position) in every radio group on the page."""
    names = dict.fromkeys(radio.get_attribute("name") for radio in page.locator("main input[type=radio]").all())
    for name in names:
        page.locator(f"input[name='{name}']").nth(option).check()


def has_errors(page) -> bool:
    return page.title().startswith("Error: ") and page.is_visible(".nhsuk-error-summary")


class Audit:
    """Audits the page on screen at each width, screenshots it, and remembers what failed (the `audit` fixture)."""

    def __init__(self, page, screenshot):
        self.page = page
        self.screenshot = screenshot
        self.failures: list[str] = []

    def __call__(self, name: str) -> None:
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            self.failures += [f"{name} ({self.page.url}) at {width}px: {v}" for v in axe_violations(self.page)]
            self.screenshot(f"pages/{name}-{width}")
        self.page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        overflow = self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            self.failures.append(f"{name} ({self.page.url}) scrolls sideways by {overflow}px at {REFLOW_WIDTH}px")
        self.page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    def passed(self) -> None:
        assert not self.failures, f"{len(self.failures)} accessibility failures:\n" + "\n".join(self.failures)
