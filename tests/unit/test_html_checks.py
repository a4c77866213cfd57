"""The HTML check every fetched page passes (tests/html_checks.py) catches what it says it does."""

from __future__ import annotations

import pytest

from html_checks import problems

GOOD = ('<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body>'
        '<a class="nhsuk-skip-link" href="#main">Skip to main content</a>'
        '<header>Service</header><section aria-label="About this service">Beta</section>'
        '<nav aria-label="Back"><a href="/">Back</a></nav>'
        '<main id="main"><h1>Title</h1><h2>Part</h2><h3>Detail</h3><h2>Next</h2>'
        '<span role="img" aria-label="x"></span></main><footer><h2>Links</h2></footer></body></html>')


def test_a_good_page_passes():
    assert problems(GOOD) == []


@pytest.mark.parametrize("bad, says", [
    (GOOD.replace('role="img"', 'role="text"'), "role='text' on <span> is not a WAI-ARIA role"),
    (GOOD.replace("<h2>Part</h2><h3>", "<h3>"), "<h3> “Detail” skips a level after h1"),
    (GOOD.replace('<section aria-label="About this service">Beta</section>', "<div>Beta</div>"),
     "“Beta” is outside every landmark (in <div>)"),
    (GOOD.replace("<h2>Next</h2>", "<p><div>Next</div></p>"), "parse error"),
    (GOOD.replace("<!DOCTYPE html>", ""), "parse error"),
])
def test_each_rule_is_caught(bad, says):
    assert any(says in line for line in problems(bad)), problems(bad)
