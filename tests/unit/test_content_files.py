"""Reading procedure files: what a content editor is told when a file breaks a rule."""

import pytest

from app.content import ContentError, YearMonth, files
from app.content.categories import CATEGORIES

STANDARD = files.STANDARD_QUESTIONS_FILE.read_text()
NAME = "breast-interstitial-laser-therapy.toml"
BREAST = (files.PROCEDURES_DIR / "breast-interstitial-laser-therapy.toml").read_text()


def problems(text: str) -> str:
    with pytest.raises(ContentError) as refused:
        files.read_procedure(text, STANDARD, "breast-interstitial-laser-therapy.toml")
    return str(refused.value)


def test_the_shipped_files_read_cleanly():
    found, errors = files.read_folder()
    assert errors == [] and {f.procedure.slug for f in found} == {"breast-interstitial-laser-therapy",
                                                                   "liver-laser-ablation"}


def test_a_procedure_nice_says_not_to_use_cannot_be_offered():
    message = problems(BREAST.replace('category = "research only"', 'category = "do not use"'))
    assert "category: NICE says 'do not use', so this procedure cannot be offered to patients" in message


def test_a_safety_outcome_is_always_a_harm():
    text = BREAST.replace('kind = "safety"\neffect = "harm"\nlabel = "had small skin burns"',
                          'kind = "safety"\neffect = "benefit"\nlabel = "had small skin burns"')
    assert "outcomes[2].effect: is 'benefit', but a safety outcome counts a harm" in problems(text)


def test_an_outcome_must_say_what_it_counted():
    text = BREAST.replace('effect = "failure"\n', "", 1)
    assert "outcomes[1].effect: is missing" in problems(text)


def test_a_percentage_that_disagrees_with_its_counts_is_refused():
    assert "percent: is 14, but 4 of 35 is 11.4%" in problems(BREAST.replace("percent = 11", "percent = 14"))


def test_a_category_adds_its_consent_points_before_the_procedures_own():
    procedure = files.read_procedure(BREAST, STANDARD, "breast-interstitial-laser-therapy.toml")
    ids = [p.id for p in procedure.all_consent_points]
    assert ids[:2] == [p.id for p in CATEGORIES["research only"].consent_points]
    assert ids[2:] == [p.id for p in procedure.consent_points]


def test_every_category_that_is_offered_explains_itself_to_patients_and_clinicians():
    for category in CATEGORIES.values():
        assert category.meaning and category.for_clinician
    assert [c.name for c in CATEGORIES.values() if not c.offered] == ["do not use"]


def test_a_failure_of_the_treatment_is_never_filed_as_a_benefit():
    procedure = files.read_procedure(BREAST, STANDARD, "breast-interstitial-laser-therapy.toml")
    failures = procedure.outcomes_of("failure")
    assert [(o.numerator, o.denominator) for o in failures] == [(4, 44)]
    assert (4, 44) not in [(o.numerator, o.denominator) for o in procedure.outcomes_of("benefit")]


def test_the_update_month_is_a_year_and_month_and_a_version_that_wrote_it_out_still_reads():
    assert files.read_procedure(BREAST, STANDARD, NAME).source.updated == YearMonth(2026, 1)
    # Published before the month was numbers: it reads back the same, marked for the check to ask again.
    stored = files.read_procedure(BREAST.replace('updated = "2026-01"', 'updated = "January 2026"'), STANDARD,
                                  NAME)
    assert stored.source.updated == YearMonth(2026, 1) and stored.source.updated.written_out
    assert "source.updated: is '2026-13'" in problems(BREAST.replace('updated = "2026-01"', 'updated = "2026-13"'))
