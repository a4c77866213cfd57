"""Every patient page in Welsh, from the start page to the PDF: lang="cy", and no English interface words left.

The English words to look for are the catalogue's own messages (those whose
Welsh differs), so a string left unmarked in a template or view is found
the day it is written.
"""

from __future__ import annotations

import io
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from clinician_helpers import sign_in
from journey_helpers import complete_all_sections, live, only_answer_set, section_answers, start, submit
from support import ROOT, check_page, text_of

CATALOGUE = ROOT / "app" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
BREAST = "breast-interstitial-laser-therapy"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w*\}")


@cache
def english_phrases() -> tuple[str, ...]:
    """Runs of two words or more from each English message whose Welsh is different: what must not show."""
    with Path(CATALOGUE).open(encoding="utf-8") as f:
        catalogue = read_po(f, locale="cy")
    phrases = set()
    for message in catalogue:
        if not message.id or message.id == message.string:
            continue
        phrases.update(run.strip(" .,:;–()“”'") for run in PLACEHOLDER.split(message.id) if run.strip())
    # A single word counts when it starts with a capital ("Change", "Back"): lower-case ones are parts of sentences.
    return tuple(sorted(p for p in phrases if len(p.split()) >= 2 or p[:1].isupper()))


def english_left(text: str) -> list[str]:
    words = " ".join(text.split())
    return [phrase for phrase in english_phrases() if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", words)]


def welsh_page(response, status: int = 200):
    page = check_page(response, status)
    assert page.html["lang"] == "cy"
    left = english_left(text_of(page.body))
    assert not left, f"English left on {page.title.get_text()!r}: {left}"
    return page


def test_the_english_phrases_are_found_in_an_english_page(client):
    page = check_page(client.get("/"))
    assert english_left(text_of(page.body)), "the check would pass on any page"


@pytest.fixture
def welsh(client):
    client.get("/language/cy")
    return client


def test_the_start_and_procedure_pages_are_in_welsh(welsh):
    welsh_page(welsh.get("/"))
    page = welsh_page(welsh.get(f"/procedures/{BREAST}"))
    assert page.h1.get_text(strip=True) == "Therapi laser interstitaidd ar gyfer canser y fron"
    welsh_page(welsh.get(f"/procedures/{BREAST}/benefits-and-risks"))
    welsh_page(welsh.get("/resume"))
    welsh_page(welsh.get("/no-such-page"), 404)


def test_the_privacy_accessibility_and_cookies_pages_are_in_welsh(welsh):
    for name in ("privacy", "accessibility", "cookies"):
        welsh_page(welsh.get(f"/{name}"))


def test_the_whole_journey_in_welsh_to_the_pdf(app, welsh):
    start(welsh, BREAST)
    welsh_page(welsh.get("/your-code"))
    welsh_page(welsh.get("/tasks"))
    for url, data in section_answers(live(app, BREAST)):
        welsh_page(welsh.get(url))
        empty = submit(welsh, url, {})
        if empty.status_code == 200:  # the errors, in Welsh, on every page that has any
            welsh_page(empty)
        submit(welsh, url, data, status=302)
    page = welsh_page(welsh.get("/check-answers"))
    assert "Ann Example" in text_of(page)  # the patient's own words, never translated
    submit(welsh, "/check-answers", status=302)
    welsh_page(welsh.get("/confirmation"))
    welsh_page(welsh.get("/summary"))
    pdf = welsh.get("/summary.pdf").data
    printed = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Crynodeb" in printed
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert not english_left(printed), english_left(printed)
    pages = len(reader.pages)
    assert f"Tudalen 1 o {pages}" in printed and f"Tudalen {pages} o {pages}" in printed and "Page 1 of" not in printed
    # Its description, which PDF readers show as the subject, is Welsh too.
    assert reader.metadata.subject == ("Atebion i ddod â nhw i'r apwyntiad am Therapi laser interstitaidd ar gyfer "
                                       "canser y fron")


def printed(data: bytes) -> str:
    return " ".join(subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                                   check=True).stdout.decode().split())


def test_a_welsh_patients_large_print_is_in_welsh_for_them_and_when_staff_print_it(app, welsh, make_clinician):
    start(welsh, BREAST)
    complete_all_sections(welsh, BREAST, app)
    submit(welsh, "/check-answers", status=302)
    title = "Therapi laser interstitaidd ar gyfer canser y fron"
    assert f"Crynodeb ar gyfer eich apwyntiad {title}" in printed(welsh.get("/summary-large-print.pdf").data)

    staff = app.test_client()
    sign_in(staff, *make_clinician())
    reference = only_answer_set(app).reference
    assert "Answered in Welsh" in text_of(check_page(staff.get(f"/clinician/submissions/{reference}")))
    for url in (f"/clinician/submissions/{reference}/summary-large-print.pdf",
                f"/clinician/submissions/{reference}/summary.pdf"):
        text = printed(staff.get(url).data)
        assert f"Crynodeb ar gyfer eich apwyntiad {title}" in text, url  # the heading, then the procedure


def test_the_blank_questionnaire_comes_in_the_language_it_is_asked_for_in(client):
    url = f"/procedures/{BREAST}/questions.pdf"
    for language, heading in (("en", "Questions for your appointment"), ("cy", "Cwestiynau ar gyfer eich apwyntiad"),
                              ("en", "Questions for your appointment")):
        client.get(f"/language/{language}")
        assert heading in printed(client.get(url).data), language
