"""Everything a patient reads that is written as data is plain English: content files, categories, the questionnaire.

The bar is the README's ("Accessibility"), kept in app/content/readability.py.
"""

from __future__ import annotations

import re

import pytest
from questionnaire_helpers import BREAST, LIVER, shipped

from app.content.categories import CATEGORIES
from app.content.readability import problems, prose
from app.questionnaire.structure import Heading


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_content_files_are_plain_english(slug):
    procedure = shipped(slug).procedure
    lines = prose(procedure) + prose(procedure.standard_questions)
    assert procedure.summary in lines and procedure.consent_points[-1].text in lines  # the walk reached the content
    found = problems(procedure.file_name, lines)
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
