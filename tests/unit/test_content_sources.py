"""Every figure in the content must be the source's own: a typo fails here."""

import re

import pytest

from app.content import files
from app.content.checks import SOURCES_DIR
from app.templating import long_date
from support import SOURCES

FOUND, _ = files.read_folder()
PROCEDURES = [f.procedure for f in FOUND]
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def source_text(procedure) -> str:
    return (SOURCES / procedure.source.document).read_text(encoding="utf-8")


def strings(value):
    """Every piece of text in a content object, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            if name not in ("version", "file_name", "document", "published", "url"):
                yield from strings(getattr(value, name))


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.slug)
def test_each_outcome_matches_the_source_wording(procedure):
    text = source_text(procedure)
    for outcome in procedure.outcomes:
        stated = f"{outcome.percent}% ({outcome.numerator} out of {outcome.denominator})"
        assert stated in text, f"{outcome.label!r}: source does not say {stated!r}"


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.slug)
def test_every_number_in_the_text_appears_in_the_source(procedure):
    source_numbers = set(NUMBER.findall(source_text(procedure)))
    for text in strings(procedure):
        for number in NUMBER.findall(text):
            assert number in source_numbers, f"{number} in {text!r} is not in {procedure.source.document}"


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.slug)
def test_source_dates_and_ids_match(procedure):
    text = source_text(procedure)
    assert f"Published: {long_date(procedure.source.published)}" in text
    assert procedure.source.title in text
    if procedure.source.guidance_id:
        assert procedure.source.guidance_id.lower() in text.lower()
    if procedure.source.updated:
        assert f"{procedure.source.updated.first_day:%B %Y}:" in text  # the update entry: "January 2026: ..."


def test_standard_questions_are_the_sources_own_wording():
    liver = next(p for p in PROCEDURES if p.slug == "liver-laser-ablation")
    for question in liver.standard_questions:
        assert f"- {question.text}" in source_text(liver)


def test_a_mistyped_figure_would_be_caught(tmp_path):
    """The check above must be able to fail: change one digit and it does."""
    procedure = next(p for p in PROCEDURES if p.slug == "breast-interstitial-laser-therapy")
    text = source_text(procedure).replace("11% (4 out of 35)", "11% (5 out of 35)")
    burns = next(o for o in procedure.outcomes if o.percent == 11)
    assert f"{burns.percent}% ({burns.numerator} out of {burns.denominator})" not in text


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.slug)
def test_the_source_kept_with_the_content_is_the_published_text(procedure):
    """content/sources/ holds the documents the content check traces figures in: NICE's own texts."""
    kept = (SOURCES_DIR / procedure.source.document).read_bytes()
    assert kept == (SOURCES / procedure.source.document).read_bytes()
