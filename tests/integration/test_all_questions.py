"""Every question of the live version, before starting: read on screen, or printed blank to answer on paper."""

from __future__ import annotations

import subprocess

import pytest

from journey_helpers import live
from support import check_page, text_of

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"


def every_question(questionnaire):
    """What each page asks, in its words: its title, each question (or the page's title, when that is its question),
    each hint and each answer to choose from."""
    for page in questionnaire.pages:
        yield page.title
        for item in page.items:
            yield item.label
            if item.hint:
                yield item.hint
            if item.kind == "choice":
                yield from (choice.page for choice in item.choices.choices)


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_the_procedure_page_shows_every_question_of_the_live_version_read_only(app, client, slug):
    overview = check_page(client.get(f"/procedures/{slug}"))
    link = overview.find("a", string="See all the questions")
    page = check_page(client.get(link["href"]))
    text = text_of(page.select_one("main"))
    for words in every_question(live(app, slug).questionnaire):
        assert " ".join(words.split()) in text, words
    assert not page.select("main input, main textarea, main select, main form"), "nothing to fill in here"
    assert page.find("a", href=f"/procedures/{slug}")  # back to start answering online


def test_an_unknown_procedure_has_no_questions_page(client):
    assert client.get("/procedures/no-such-thing/questions").status_code == 404
    assert client.get("/procedures/no-such-thing/questions.pdf").status_code == 404


def test_the_blank_questionnaire_prints_every_question_with_boxes_and_lines(app, client):
    page = check_page(client.get(f"/procedures/{BREAST}/questions"))
    link = page.find("a", href=f"/procedures/{BREAST}/questions.pdf")
    assert link and link.has_attr("download")
    response = client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"questions-{BREAST}.pdf" in response.headers["Content-Disposition"]
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True,
                                   check=True).stdout.decode().split())
    for words in every_question(live(app, BREAST).questionnaire):
        assert " ".join(words.split()) in text, words
    assert "☐" in text and "Write your answer here:" in text
    assert "This is not a consent form." in text
