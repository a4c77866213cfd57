"""Exports shaped for other systems (app/clinician/exports.py), from content and answers in memory."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from app.clinician.exports import questionnaire, questionnaire_response, submissions_csv
from app.content import load_catalogue
from app.models import IN_PROGRESS, SUBMITTED, AnswerSet
from export_helpers import BASE_URL, HEADERS, VALUE_OF_TYPE, answers_of, by_link_id, read_csv

CATALOGUE = load_catalogue()
BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"


def test_csv_with_no_answer_sets_is_just_the_headers():
    assert list(csv.reader(io.StringIO(submissions_csv([], CATALOGUE), newline=""))) == [HEADERS]


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_questionnaire_is_valid_fhir_for_this_content_version(slug):
    catalogue = CATALOGUE
    procedure = catalogue.get(slug)
    resource = questionnaire(procedure, catalogue, BASE_URL)
    parsed = Questionnaire.model_validate(resource)
    assert parsed.url == f"{BASE_URL}/fhir/Questionnaire/{slug}"
    assert parsed.version == procedure.version and parsed.id == f"{slug}-{procedure.version}"
    assert parsed.status == "active" and parsed.title == procedure.title
    assert [item["linkId"] for item in resource["item"]] == [
        "about_you", "about_procedure.read", "benefits_risks.read", "questions", "what_matters", "consent",
        "where_you_are",
    ]
    items = by_link_id(resource["item"])
    questions = catalogue.questions_for(procedure)
    assert [items[f"questions.ask.{q.id}"]["text"] for q in questions] == [q.text for q in questions]
    assert items["questions.own"]["repeats"] and items["questions.top"]["repeats"]
    points = procedure.consent_points
    assert [items[f"consent.{p.id}"]["text"] for p in points] == [p.text for p in points]
    assert items["where_you_are.sure.sure"]["text"] == "Do you feel SURE about the best choice for you?"


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_questionnaire_types_every_answer_and_codes_every_choice(slug):
    catalogue = CATALOGUE
    resource = questionnaire(catalogue.get(slug), catalogue, BASE_URL)
    link_ids = [item["linkId"] for item in resource["item"]] + [
        child["linkId"] for item in resource["item"] for child in item.get("item", [])]
    assert len(link_ids) == len(set(link_ids))
    for link_id, item in by_link_id(resource["item"]).items():
        assert item["type"] in (*VALUE_OF_TYPE, "group"), link_id
        if item["type"] == "choice":
            codings = [option["valueCoding"] for option in item["answerOption"]]
            assert codings and all(c["system"].startswith(f"{BASE_URL}/fhir/CodeSystem/") for c in codings)
            assert all(c["code"] and c["display"] for c in codings)
    leaning = by_link_id(resource["item"])["where_you_are.leaning"]["answerOption"]
    assert [o["valueCoding"]["display"] for o in leaning] == [
        "Leaning towards having it", "Leaning towards not having it", "Not sure yet"]


def answer_set(answers: dict, **fields) -> AnswerSet:
    """A sent answer set that was never saved: the exports read only its fields."""
    procedure = CATALOGUE.get(LIVER)
    return AnswerSet(reference="PFP-AAAAAA", procedure_slug=LIVER, content_version=procedure.version,
                     answers=answers, status=SUBMITTED, submitted_at=datetime(2027, 3, 1, 9, 30), **fields)


def csv_row(answers: dict, **fields) -> dict[str, str]:
    [row] = read_csv(submissions_csv([answer_set(answers, **fields)], CATALOGUE))
    return row


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(start):
    row = csv_row({"about_you": {"name": f"{start}1+1", "support_needs": f"plain {start}"}})
    assert row["Name"] == f"'{start}1+1"
    assert row["Other support"] == f"plain {start}"  # only a leading sign runs as a formula


def test_unanswered_cells_are_blank_not_not_provided():
    row = csv_row({})
    assert {header for header, value in row.items() if value} == {
        "Reference", "Procedure", "Status", "Sent", "Information version"}


def test_times_are_utc_with_a_z_and_the_status_follows_the_review():
    row = csv_row({}, reviewed_at=datetime(2027, 3, 2, 14, 5, 6))
    assert (row["Sent"], row["Reviewed"], row["Status"]) == ("2027-03-01T09:30:00Z", "2027-03-02T14:05:06Z", "Reviewed")
    assert csv_row({})["Status"] == "Not reviewed"


def test_a_response_holds_only_the_sections_answered_with_the_sure_score():
    sure = {"sure": "yes", "understand": "no", "risk_benefit": "yes", "encouragement": "yes"}
    where = {"where_you_are": {"leaning": "have", "role": "myself", "sure": sure}}
    response = questionnaire_response(answer_set(where), CATALOGUE.get(LIVER), CATALOGUE, BASE_URL)
    assert [item["linkId"] for item in response["item"]] == ["where_you_are"]
    assert answers_of(response)["where_you_are.sure_score"] == [{"valueInteger": 3}]


def test_a_code_the_question_does_not_offer_is_left_out():
    response = questionnaire_response(answer_set({"about_you": {"interpreter": "perhaps", "name": "Ann"}}),
                                      CATALOGUE.get(LIVER), CATALOGUE, BASE_URL)
    assert "about_you.interpreter" not in answers_of(response)
    assert answers_of(response)["about_you.name"] == [{"valueString": "Ann"}]


def test_unsent_answers_have_no_response():
    unsent = answer_set({})
    unsent.status = IN_PROGRESS
    with pytest.raises(ValueError, match="not been sent"):
        questionnaire_response(unsent, CATALOGUE.get(LIVER), CATALOGUE, BASE_URL)
