"""Plain English as a tested property: the reading grade of everything a patient reads.

The bar is in the README ("Accessibility"): Flesch-Kincaid grade 6 (reading
age about 11) for each whole text, and no single sentence above grade 9.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
import textstat
from bs4 import BeautifulSoup

from app.content import Catalogue
from app.templating import catalogue
from journey_helpers import complete_all_sections, start, submit

TEXT_BAR = 6.0
SENTENCE_BAR = 9.0
# Flesch-Kincaid is noise on short strings: "Having fewer hospital
# appointments afterwards" scores 17. Shorter sentences count only in their text.
MIN_WORDS = 8
# Words a patient will hear from their team, always explained in plain words
# beside them. Scored as one short word, so naming a thing is not punished.
TERMS = ("interstitial", "ablation", "radiofrequency", "cryotherapy", "radiotherapy", "mastectomy",
         "lumpectomy", "ultrasound", "Healthwatch")
SLUGS = ["breast-interstitial-laser-therapy", "liver-laser-ablation"]
# Content fields that are not prose: identifiers, numbers and citations.
NOT_PROSE = {"id", "slug", "kind", "version", "file_name", "phone", "category", "source", "cite", "study"}


def plain(line: str) -> str:
    line = " ".join(line.split())
    for term in TERMS:
        line = re.sub(term, "term", line, flags=re.IGNORECASE)
    return line if line[-1] in ".?!:" else line + "."


def sentences(lines: list[str]) -> list[str]:
    return [s for line in lines for s in re.split(r"(?<=[.?!])\s+", line) if len(s.split()) >= MIN_WORDS]


def problems(name: str, lines: list[str]) -> list[str]:
    """What is above the bar in one text, worst sentences first."""
    # Each line once: a page's repeated answer options ("Very important") are read once.
    lines = list(dict.fromkeys(plain(line) for line in lines if line.strip()))
    found = []
    whole = textstat.flesch_kincaid_grade(" ".join(lines))
    scored = sorted(((textstat.flesch_kincaid_grade(s), s) for s in sentences(lines)), reverse=True)
    if whole > TEXT_BAR:
        worst = "; ".join(f"{grade:.1f} {s!r}" for grade, s in scored[:5])
        found.append(f"{name}: grade {whole:.1f} is above {TEXT_BAR}. Hardest sentences: {worst}")
    found += [f"{name}: sentence at grade {grade:.1f}: {s!r}" for grade, s in scored if grade > SENTENCE_BAR]
    return found


def prose(value) -> list[str]:
    """Every patient-facing string in a content object, walked field by field."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [s for item in value for s in prose(item)]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) if f.name not in NOT_PROSE for s in prose(getattr(value, f.name))]
    return []


def page_lines(response, citations: list[str]) -> list[str]:
    """The words of a page's main content, one line per block, less citations (the source's words, not ours).

    A resume code or link is random letters, not prose: scoring it made the grade vary from run to run.
    """
    main = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("main")
    not_prose = ".app-source, [aria-labelledby=sources], .app-resume-code, .app-resume-code-spoken, .app-resume-link"
    for block in main.select(not_prose):
        block.decompose()
    lines = main.get_text("\n").split("\n")
    return [line for line in lines if line.strip() and not any(c in line for c in citations)]


def test_the_scorer_fails_hard_text():
    hard = ("Percutaneous interventional methodologies necessitate comprehensive multidisciplinary "
            "evaluation of contraindications preceding administration.")
    assert problems("example", [hard])
    assert problems("example", ["You can stop at any time. Your answers are saved."]) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_content_files_are_plain_english(app, slug):
    with app.app_context():
        content: Catalogue = catalogue()
    procedure = content.get(slug)
    lines = prose(procedure) + prose(content.standard_questions)
    assert procedure.summary in lines and procedure.consent_points[-1].text in lines  # the walk reached the content
    found = problems(procedure.file_name, lines)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_patient_page_is_plain_english(app, client, slug):
    with app.app_context():
        content = catalogue()
    # "NICE HealthTech guidance HTG55, published ..." names a document; it is not our prose.
    citations = [f"{p.source.publisher} {p.source.kind}" for p in content]
    found = []

    def read(url: str, response=None) -> str:
        response = response or client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        lines = page_lines(response, citations)
        found.extend(problems(f"{url} ({slug})", lines))
        return " ".join(lines)

    assert "There is a problem" in read("/resume", submit(client, "/resume", {"code": "NOPE"}))
    start(client, slug)
    for url in ["/", f"/procedures/{slug}", f"/procedures/{slug}/benefits-and-risks", "/your-code", "/tasks",
                "/about-you", "/about-the-procedure", "/benefits-and-risks", "/questions", "/what-matters",
                "/consent", "/where-you-are"]:
        read(url)
    about_you_errors = submit(client, "/about-you", {"nhs_number": "123", "interpreter": "yes"})
    assert "There is a problem" in read("/about-you", about_you_errors)
    complete_all_sections(client, slug, content)
    for url in ["/questions/most-important", "/check-answers"]:
        read(url)
    submit(client, "/check-answers", status=302)
    for url in ["/confirmation", "/summary", "/no-such-page"]:
        read(url)
    assert not found, "\n".join(found)
