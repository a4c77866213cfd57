"""One English sentence changed: the check names its stale Welsh field; the Welsh page shows it in English."""

import shutil
import subprocess

import pytest

from journey_helpers import live, section_answers, start, submit
from support import ROOT, check_page, edit, text_of

LIVER = "liver-laser-ablation.toml"
OLD = "The fibres carry laser light that heats the tumour to destroy it."
NEW = "The fibres carry laser light that heats the tumour and destroys it."


@pytest.mark.fresh_app
def test_a_changed_english_sentence_is_named_by_the_check_and_shown_in_english_on_the_welsh_page(
        app, content_dir, client):
    edit(content_dir, LIVER, OLD, NEW)
    app.config["CONTENT_DIR"] = str(content_dir)
    runner = app.test_cli_runner()

    checked = runner.invoke(args=["content", "check"])
    assert checked.exit_code == 1 and "Traceback" not in checked.output
    assert "Translation: liver-laser-ablation.cy.toml: summary: stale: the English has changed" in checked.output
    assert "1 translated field is stale or missing" in checked.output

    published = runner.invoke(args=["content", "publish"])
    assert published.exit_code == 0, published.output  # the English correction reaches patients at once
    assert "liver-laser-ablation  published version" in published.output

    client.get("/language/cy")
    page = check_page(client.get("/procedures/liver-laser-ablation"))
    summary = page.select_one(".nhsuk-lede-text")
    english = summary.select_one("span[lang=en]")
    assert english is not None and NEW in english.get_text()
    assert "Nid yw'r rhan hon ar gael yn Gymraeg eto." in text_of(summary)
    steps = [text_of(li) for li in page.select("main ol li")]
    assert steps[0].startswith("Mae nodwydd fain")  # every other field still in Welsh, unmarked
    assert not page.select("main ol span[lang=en]")
    assert "Drafft cyntaf yw'r fersiwn Gymraeg hon" in text_of(page)  # no translator has checked it


STANDARD = "standard-questions.toml"
ASKED_OLD = "How many appointments will I need?"  # the first question: Ann ticks it and writes a note
ASKED_NEW = "How many appointments will I need in all?"
QUESTION_OLD = "What is known about how well this works in the longer term?"  # the last: ticked, no note
# Longer than the 80 characters a top question has on the PDF's page one, so it is cut there.
QUESTION_NEW = "What is known about how well this works over the longer term, after five years or more?"
QUESTION_CUT = "What is known about how well this works over the longer term, after five years…"
POINT_OLD = "Your team should explain the risks and benefits, and listen to your views and concerns."
POINT_NEW = "Your team should tell you the risks and benefits, and listen to your views and concerns."
NOTE = "Nid yw'r rhan hon ar gael yn Gymraeg eto."


def marked_english(tag, english: str) -> bool:
    """Whether `english` sits in a lang="en" element inside `tag`, with the Welsh note beside it."""
    spans = [s for s in tag.select("span[lang=en]") if text_of(s) == english]
    return bool(spans) and NOTE in text_of(spans[0].parent)


@pytest.mark.fresh_app
def test_a_stale_question_and_consent_point_show_in_english_marked_as_english_on_their_pages_and_check_answers(
        app, content_dir, client):
    shutil.copy(ROOT / "app" / "content" / STANDARD, content_dir.parent / STANDARD)
    shutil.copy(ROOT / "app" / "content" / "standard-questions.cy.toml", content_dir.parent)
    edit(content_dir.parent, STANDARD, ASKED_OLD, ASKED_NEW)
    edit(content_dir, LIVER, QUESTION_OLD, QUESTION_NEW)
    edit(content_dir, LIVER, POINT_OLD, POINT_NEW)
    app.config.update(CONTENT_DIR=str(content_dir), STANDARD_QUESTIONS=str(content_dir.parent / STANDARD))
    published = app.test_cli_runner().invoke(args=["content", "publish"])
    assert published.exit_code == 0, published.output

    client.get("/language/cy")
    start(client, "liver-laser-ablation")
    seen = set()
    for url, data in section_answers(live(app, "liver-laser-ablation")):
        page = check_page(client.get(url))
        main = page.select_one("main")
        if page.select_one("[name=ask_appointments]"):
            assert marked_english(main, ASKED_NEW) and marked_english(main, QUESTION_NEW)
            assert "Faint o apwyntiadau" not in text_of(main)  # never the old Welsh of changed English
            seen.add("questions")
        if page.select_one("[name=point_risks-and-benefits]"):
            assert marked_english(main, POINT_NEW)
            # Left unanswered: the instruction naming it, in Welsh, still marks the point as English.
            unanswered = {k: v for k, v in data.items() if k != "point_risks-and-benefits"}
            errors = check_page(submit(client, url, unanswered, status=200)).select_one("main")
            assert marked_english(errors.select_one(".nhsuk-error-summary"), POINT_NEW)
            assert marked_english(errors.select_one(".nhsuk-error-message"), POINT_NEW)
            seen.add("consent")
        submit(client, url, data, status=302)

    assert seen == {"questions", "consent"}
    rows = check_page(client.get("/check-answers")).select(".nhsuk-summary-list__row")
    keys = [row.select_one(".nhsuk-summary-list__key") for row in rows]
    assert any(marked_english(key, POINT_NEW) for key in keys)
    values = [row.select_one(".nhsuk-summary-list__value") for row in rows]
    asked = next(v for v in values if ASKED_NEW in text_of(v))
    assert marked_english(asked, ASKED_NEW) and "My note about this" in text_of(asked)
    assert any(marked_english(v, QUESTION_NEW) for v in values)
    # Every other question is still in Welsh, unmarked.
    assert not [s for v in values for s in v.select("span[lang=en]") if text_of(s) not in (ASKED_NEW, QUESTION_NEW)]

    # Sent: the summary page shows them as check answers did, and the PDF tags them as English.
    submit(client, "/check-answers", status=302)
    summary = check_page(client.get("/summary")).select_one("main")
    questions = summary.select_one("#questions-to-ask").parent
    assert marked_english(questions, ASKED_NEW) and marked_english(questions, QUESTION_NEW)
    assert any(marked_english(key, POINT_NEW) for key in summary.select("th"))
    glance = summary.select_one(".app-summary-glance")  # both are Ann's most important questions
    assert marked_english(glance, ASKED_NEW) and marked_english(glance, QUESTION_NEW)
    # The PDF prints the English with the Welsh note beside it, on page one too, where a long one is cut.
    data = client.get("/summary.pdf").data
    printed = " ".join(pdf_text(data).split())
    for english in (ASKED_NEW, QUESTION_NEW):
        assert f"{english} ({NOTE})" in printed, english
    page_one = " ".join(pdf_text(data, page=1).split())
    assert f"{ASKED_NEW} ({NOTE})" in page_one and f"{QUESTION_CUT} ({NOTE})" in page_one


def pdf_text(data: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
