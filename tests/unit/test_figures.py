"""Outcome figures: every count NICE states with both numbers, and nothing that only looks like one."""

import tomllib

import pytest

from app.content.figures import find_figures, stated, trace
from app.content.files import PROCEDURES_DIR, read_folder
from app.content.guidance import read_guidance
from support import SOURCES

BREAST_TEXT = (SOURCES / "nice-htg55-interstitial-laser-therapy-breast-cancer.txt").read_text()
BREAST = read_guidance(BREAST_TEXT)
BREAST_FILE = tomllib.loads((PROCEDURES_DIR / "breast-interstitial-laser-therapy.toml").read_text())


def counts(sentence: str) -> list[tuple]:
    return [(f.numerator, f.denominator, f.percent) for f in find_figures(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    ("98% (43 out of 44) of patients were disease-free.", [(43, 44, 98)]),
    ("43 out of 44 had a wider duct.", [(43, 44, None)]),
    ("9 of 12 patients had no symptoms.", [(9, 12, None)]),
    ("9 of 12 patients (75%) had no symptoms.", [(9, 12, 75)]),
    ("4 of the 44 patients had pain.", [(4, 44, None)]),
    ("Symptoms returned in 3/90.", [(3, 90, None)]),
    ("Small skin burns 11% (4/35).", [(4, 35, 11)]),
    ("Cured in 43/44 (98%).", [(43, 44, 98)]),
    ("Cured (98%, 43/44).", [(43, 44, 98)]),
    ("Cured (43/44, 98%).", [(43, 44, 98)]),
    ("Bleeding in 2.5% (1 of 40).", [(1, 40, 2.5)]),
    ("No patient improved: 0 of 14 (0%).", [(0, 14, 0)]),
    ("Seen in 1,234 out of 5,678 people.", [(1234, 5678, None)]),
])
def test_each_way_nice_writes_a_count_is_found(sentence, expected):
    assert counts(sentence) == expected


def test_every_count_in_a_list_keeps_its_own_percentage():
    sentence = ("The following complications were reported: small skin burns 11% (4 out of 35); necrosis 10% "
                "(2 out of 20); and haemorrhage 2% (1 out of 44).")
    assert counts(sentence) == [(4, 35, 11), (2, 20, 10), (1, 44, 2)]
    assert {f.sentence for f in find_figures(sentence)} == {sentence}


@pytest.mark.parametrize("sentence", [
    "Blood pressure rose above 140/90 mmHg.",
    "Pressure was 120/130 mm Hg at the end.",
    "A dose of 5/10 mg was given.",
    "Visits were on 12/05/2024 and 05/12/2024.",
    "The evidence came from 11 studies (364 patients).",
    "The evidence was limited to 3 small case series and 1 case report.",
    "Pain improved in 2 of 3 studies and in 1 of 4 small case series.",
    "12 patients had pain.",
    "A 24/7 on-call team was needed.",
    "Grade 1/2 pain was common; the mean pain score of 7/10 fell to 5/10.",
    "Data for 2019/2020 were not published.",
    "Strains A1/2B and COVID-19/20 and x3/4y were studied.",
    "A ratio of 2.5/10 was seen, and 3/0 was a typing error.",
])
def test_what_is_not_an_outcome_count_is_left_alone(sentence):
    assert counts(sentence) == []


def test_a_count_beside_a_measurement_is_still_found():
    assert counts("Blood pressure stayed below 140/90 mmHg in 30 out of 32 patients (94%).") == [(30, 32, 94)]


def test_stated_writes_a_figure_as_nice_does():
    assert stated(43, 44, 98) == "98% (43 out of 44)"
    assert stated(1, 40, 2.5) == "2.5% (1 out of 40)"
    assert stated(43, 44) == "43 out of 44"


@pytest.mark.parametrize("outcome", BREAST_FILE["outcomes"], ids=lambda o: f"{o['numerator']}-of-{o['denominator']}")
def test_every_outcome_in_the_breast_file_traces_to_its_paragraph(outcome):
    assert trace(outcome, BREAST) is None


def test_loaded_outcomes_trace_as_well_as_tables():
    procedure = next(f.procedure for f in read_folder()[0] if f.procedure.slug == "breast-interstitial-laser-therapy")
    assert [trace(outcome, BREAST) for outcome in procedure.outcomes] == [None] * len(procedure.outcomes)


@pytest.mark.parametrize("field, value, message", [
    ("numerator", 5, "HTG55, section 2.3.1 does not state 98% (5 out of 44)"),
    ("denominator", 45, "HTG55, section 2.3.1 does not state 98% (43 out of 45)"),
    ("percent", 97, "HTG55, section 2.3.1 does not state 97% (43 out of 44)"),
    ("cite", "HTG55, section 2.4.1", "HTG55, section 2.4.1 does not state 98% (43 out of 44)"),
    ("cite", "HTG55, section 2.3.9", "HTG55 has no section 2.3.9"),
])
def test_a_changed_digit_fails_the_trace_with_a_plain_message(field, value, message):
    outcome = {**BREAST_FILE["outcomes"][0], field: value}
    assert trace(outcome, BREAST) == message


def test_a_typo_in_the_source_fails_the_trace():
    """The other way round: the file is right, the source text was changed."""
    changed = read_guidance(BREAST_TEXT.replace("11% (4 out of 35)", "11% (5 out of 35)"))
    burns = next(o for o in BREAST_FILE["outcomes"] if o["percent"] == 11)
    assert trace(burns, changed) == "HTG55, section 2.4.1 does not state 11% (4 out of 35)"


def test_an_outcome_without_a_percentage_needs_only_the_count():
    outcome = {"numerator": 43, "denominator": 44, "cite": "HTG55, section 2.3.1"}
    assert trace(outcome, BREAST) is None
    assert trace({**outcome, "numerator": 44}, BREAST) == "HTG55, section 2.3.1 does not state 44 out of 44"


def test_numerator_and_denominator_must_be_one_figure():
    """4, 20 and 10% are all in 2.4.1, but never as one figure."""
    outcome = {"numerator": 4, "denominator": 20, "percent": 10, "cite": "HTG55, section 2.4.1"}
    assert trace(outcome, BREAST) == "HTG55, section 2.4.1 does not state 10% (4 out of 20)"
