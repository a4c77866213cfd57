"""Everything a patient reads that is written as data is plain English: content files, categories, the questionnaire.

The bar is the README's ("Accessibility"), kept in app/content/readability.py.
"""

from __future__ import annotations

import re

import pytest
from questionnaire_helpers import BREAST, LIVER, shipped

from app.content.categories import CATEGORIES
from app.content.readability import field_problems, fields, problems, prose
from app.questionnaire.structure import Heading


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_content_files_are_plain_english_field_by_field(slug):
    """The content check's own rule (checks.py), on each shipped file."""
    procedure = shipped(slug).procedure
    texts = fields(procedure)
    assert ("summary", procedure.summary) in texts  # the walk reached the content
    assert not any(field.endswith(".cite") or field.startswith("source.") for field, _ in texts)  # not our words
    found = field_problems(procedure.file_name, texts)
    assert not found, "\n".join(found)


def test_the_standard_questions_are_plain_english():
    standard = shipped(LIVER).procedure.standard_questions
    found = problems("standard-questions.toml", prose(standard))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", list(CATEGORIES))
def test_what_each_category_means_is_plain_english(name):
    category = CATEGORIES[name]
    found = problems(name, [category.meaning, *(p.text for p in category.consent_points)])
    assert not found, "\n".join(found)


def test_the_questionnaires_own_words_are_plain_english():
    questionnaire = shipped(LIVER).questionnaire
    lines = [line for page in questionnaire.pages for line in (page.title, *page.intro)]
    lines += [text for page in questionnaire.pages for part in page.parts if isinstance(part, Heading)
              for text in (part.text, part.intro)]
    lines += [text for item in questionnaire.items for text in (item.label, item.hint) if text]
    # An error names its statement in quotes; the statement is scored with the content, so here it counts as "this".
    lines += [re.sub(r"'[^']*'", "this", str(item.required)) for item in questionnaire.items if item.required]
    found = problems("the questionnaire", lines)
    assert not found, "\n".join(found)
