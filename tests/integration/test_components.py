"""NHS.UK components are rendered once per distinct call and kept (app/components.py).

What is kept must give exactly what the NHS macro gives, for every call the
pages make, and must never hold anything a patient typed.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from app import components
from app.components import Components
from clinician_helpers import sent_answer_sets, sign_in
from journey_helpers import complete_all_sections, live, start, submit
from support import ROOT, check_page

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"
# Markup, quotes, a template expression, a line break, and the placeholder the cache itself uses.
HOSTILE = "<b>\"Zebedee\" & 'Quux'</b> {{ 7*7 }}\n\ue0000\ue001 end"
PATIENT_WORDS = ["Zebedee", "Quux", "Xylophone question", "Marmalade note", "7*7"]


@pytest.fixture
def compared(app, monkeypatch):
    """Render every component call twice, kept and straight from the NHS macro; collect any difference."""
    real = Components.render
    differences = []

    def render(self, template, params, caller=None):
        kept = real(self, template, params, caller)
        macro = self.macro(template)
        plain = components._with_values(params)
        direct = macro(plain, caller=caller) if caller else macro(plain)
        expected, got = str(direct), str(kept)
        if _multiline(plain):
            # A macro that indents its html also indents the lines of a value
            # inside it: only the layout of the HTML source differs.
            expected, got = " ".join(expected.split()), " ".join(got.split())
        if got != expected:
            differences.append((template, expected, got))
        return kept

    monkeypatch.setattr(Components, "render", render)
    return differences


def _multiline(value) -> bool:
    if isinstance(value, str):
        return "\n" in value
    if isinstance(value, dict):
        return any(_multiline(v) for v in value.values())
    if isinstance(value, list):
        return any(_multiline(v) for v in value)
    return False


def walk_patient_pages(app, client, slug):
    """Every journey page, with an error state, patient text full of markup, and the summary;
    returns the resume code."""
    for url in ["/", f"/procedures/{slug}", f"/procedures/{slug}/benefits-and-risks", "/resume"]:
        check_page(client.get(url))
    code = start(client, slug)
    complete_all_sections(client, slug, app)
    submit(client, "/about-you", {"nhs_number": "12", "appointment_date[day]": "40"}, status=200)
    submit(client, "/about-you", {"name": HOSTILE, "nhs_number": "485 777 3457", "support_needs": HOSTILE,
                                  "interpreter": "spoken",
                                  "language": HOSTILE[:60]}, status=302)
    questions = live(app, slug).procedure.all_questions
    submit(client, "/questions", {f"ask_{questions[0].id}": "y", f"note_{questions[0].id}": "Marmalade note",
                                  "own-0-text": "Xylophone question " + HOSTILE}, status=302)
    submit(client, "/questions/most-important", {"top": ["ask_" + questions[0].id]}, status=302)
    submit(client, "/what-matters", {"views": HOSTILE}, status=200)  # every rating missing: errors
    for url in ["/tasks", "/about-you", "/questions", "/questions/most-important", "/what-matters", "/consent",
                "/where-you-are", "/check-answers"]:
        check_page(client.get(url))
    submit(client, "/check-answers", status=302)
    for url in ["/confirmation", "/summary"]:
        check_page(client.get(url))
    return code


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_kept_components_match_the_nhs_macros_on_every_patient_page(app, client, compared, slug):
    walk_patient_pages(app, client, slug)
    assert app.extensions["components"].rendered, "no component was kept"
    assert not compared, "\n\n".join(f"{t}:\nmacro: {d}\nkept:  {k}" for t, d, k in compared[:3])


def test_kept_components_match_the_nhs_macros_on_staff_pages(app, client, compared, make_clinician):
    sent_answer_sets(app, 30, datetime(2027, 1, 1), [BREAST, LIVER], reviewed_every=3)
    sign_in(client, *make_clinician())
    page = check_page(client.get("/clinician/"))
    check_page(client.get(page.select_one("a[href*='after=']")["href"]))
    reference = page.select_one("table a")
    check_page(client.get(reference["href"]))
    assert not compared, "\n\n".join(f"{t}:\nmacro: {d}\nkept:  {k}" for t, d, k in compared[:3])


def test_nothing_a_patient_typed_is_kept(app, client):
    code = walk_patient_pages(app, client, BREAST)
    kept = app.extensions["components"].rendered
    everything = repr(list(kept.items()))
    reference = re.search(r"PFP-[A-Z0-9]{6}", check_page(client.get("/confirmation")).get_text()).group()
    for secret in [*PATIENT_WORDS, "Ann Example", "485 777 3457", reference, code]:
        assert secret not in everything, f"{secret!r} is kept by the component cache"


def test_text_shaped_like_a_placeholder_is_shown_as_typed(app, client):
    start(client, LIVER)
    submit(client, "/about-you", {"name": "\ue0000\ue001 & <i>me</i>"}, status=302)
    page = check_page(client.get("/about-you"))
    assert page.select_one("#name")["value"] == "\ue0000\ue001 & <i>me</i>"
    assert not page.select("main i")


def test_lines_typed_in_a_text_box_come_back_exactly(app, client):
    typed = "Large print, please.\n  Indented line\n\nAfter a blank line"
    start(client, LIVER)
    submit(client, "/about-you", {"support_needs": typed}, status=302)
    page = check_page(client.get("/about-you"))
    assert page.select_one("textarea#support_needs").string == typed


@pytest.mark.fresh_app  # an empty cache, so its count is this test's alone
def test_the_cache_keeps_at_most_its_limit(app, monkeypatch):
    monkeypatch.setattr(components, "KEPT", 5)
    with app.test_request_context():
        kept = app.extensions["components"]
        for n in range(12):
            kept.render("tag", {"text": f"Label {n}"})
        assert len(kept.rendered) == 5
        assert str(kept.render("tag", {"text": "Label 0"})).count("Label 0") == 1


def test_templates_use_the_kept_components_not_the_macros_directly():
    for template in (ROOT / "templates").rglob("*.html"):
        assert "nhsuk/components/" not in template.read_text(), (
            f"{template.relative_to(ROOT)} imports an NHS.UK macro: call the global of the same name "
            "(app/components.py), so its output is kept"
        )
