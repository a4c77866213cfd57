"""Exports shaped for other systems (app/clinician/exports.py), from versions and answers in memory."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from questionnaire_helpers import BREAST, LIVER, shipped

from app.clinician.exports import FIRST_COLUMNS, LAST_COLUMNS, questionnaire, questionnaire_response, submissions_csv
from app.models import IN_PROGRESS, SUBMITTED, AnswerSet
from export_helpers import BASE_URL, VALUE_OF_TYPE, answers_of, by_link_id, read_csv


def test_csv_with_no_answer_sets_names_every_column_of_the_live_versions():
    [headers] = list(csv.reader(io.StringIO(submissions_csv([], [shipped(LIVER)]), newline="")))
    assert headers[:len(FIRST_COLUMNS)] == list(FIRST_COLUMNS) and headers[-len(LAST_COLUMNS):] == list(LAST_COLUMNS)
    assert {"Name", "Interpreter", "Language", "Questions you want to ask", "Your own questions",
            "The questions that matter most", "What matters", "Consent points", "SURE score"} <= set(headers)
    # A procedure's own statements share a column, so procedures line up in one export.
    assert not any(s.text in headers for s in shipped(LIVER).procedure.what_matters)


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_questionnaire_is_valid_fhir_for_this_content_version(slug):
    version = shipped(slug)
    resource = questionnaire(version, BASE_URL, live=True)
    parsed = Questionnaire.model_validate(resource)
    assert parsed.url == f"{BASE_URL}/fhir/Questionnaire/{slug}"
    assert parsed.version == version.version and parsed.id == f"{slug}-{version.version}"
    assert parsed.status == "active" and parsed.title == version.procedure.title
    assert [item["linkId"] for item in resource["item"]] == [
        "about_you", "about_procedure", "benefits_risks", "questions", "person_with_you", "what_matters", "consent",
        "where_you_are"]
    items = by_link_id(resource["item"])
    questions = version.procedure.all_questions
    assert [items[f"ask_{q.id}"]["text"] for q in questions] == [q.text for q in questions]
    assert items["own"]["repeats"] and items["top"]["repeats"]
    points = version.procedure.all_consent_points
    assert [items[f"point_{p.id}"]["text"] for p in points] == [p.text for p in points]
    assert items["sure_sure"]["text"] == "Do you feel SURE about the best choice for you?"


def test_an_older_version_is_retired():
    assert questionnaire(shipped(LIVER), BASE_URL, live=False)["status"] == "retired"


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_questionnaire_types_every_answer_and_codes_every_choice(slug):
    resource = questionnaire(shipped(slug), BASE_URL, live=True)
    link_ids = [item["linkId"] for item in resource["item"]] + [
        child["linkId"] for item in resource["item"] for child in item.get("item", [])]
    assert len(link_ids) == len(set(link_ids))
    for link_id, item in by_link_id(resource["item"]).items():
        assert item["type"] in (*VALUE_OF_TYPE, "group"), link_id
        if item["type"] == "choice":
            codings = [option["valueCoding"] for option in item["answerOption"]]
            assert codings and all(c["system"].startswith(f"{BASE_URL}/fhir/CodeSystem/") for c in codings)
            assert all(c["code"] and c["display"] for c in codings)
    leaning = by_link_id(resource["item"])["leaning"]["answerOption"]
    assert [o["valueCoding"]["display"] for o in leaning] == [
        "Leaning towards having it", "Leaning towards not having it", "Not sure yet"]


def answer_set(answers: dict, **fields) -> AnswerSet:
    """A sent answer set that was never saved: the exports read only its fields."""
    return AnswerSet(reference="PFP-AAAAAA", procedure_slug=LIVER, answers=answers, earlier_answers=[],
                     status=SUBMITTED, submitted_at=datetime(2027, 3, 1, 9, 30), **fields)


def csv_row(answers: dict, **fields) -> dict[str, str]:
    version = shipped(LIVER)
    [row] = read_csv(submissions_csv([(answer_set(answers, **fields), version, version)]))
    return row


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(start):
    row = csv_row({"name": f"{start}1+1", "support_needs": f"plain {start}"})
    assert row["Name"] == f"'{start}1+1"
    assert row["Other support"] == f"plain {start}"  # only a leading sign runs as a formula


def test_unanswered_cells_are_blank_not_not_provided():
    row = csv_row({})
    assert {header for header, value in row.items() if value} == {
        "Reference", "Procedure", "Status", "Sent", "Information version", "Information updated since sent",
        "Answered in", "I have read about the procedure", "I have read about the benefits and risks"}
    assert row["I have read about the procedure"] == "Not yet"


def test_times_are_utc_with_a_z_and_the_status_follows_the_review():
    row = csv_row({}, reviewed_at=datetime(2027, 3, 2, 14, 5, 6))
    assert (row["Sent"], row["Reviewed"], row["Status"]) == ("2027-03-01T09:30:00Z", "2027-03-02T14:05:06Z", "Reviewed")
    assert csv_row({})["Status"] == "Not reviewed"


def test_a_set_sent_on_a_version_since_replaced_says_so():
    sent_on = shipped(LIVER)
    newer = shipped(BREAST)  # any other version stands for the newer one here
    [row] = read_csv(submissions_csv([(answer_set({}), sent_on, newer)]))
    assert row["Information updated since sent"] == "Yes" and row["Information version"] == sent_on.version


def test_a_response_holds_only_the_sections_answered_with_the_sure_score():
    where = {"leaning": "have", "role": "myself", "sure_sure": "yes", "sure_understand": "no",
             "sure_risk_benefit": "yes", "sure_encouragement": "yes"}
    response = questionnaire_response(answer_set(where), shipped(LIVER), BASE_URL)
    assert [item["linkId"] for item in response["item"]] == ["where_you_are"]
    assert answers_of(response)["sure_score"] == [{"valueInteger": 3}]


def test_a_code_the_question_does_not_offer_is_left_out():
    response = questionnaire_response(answer_set({"interpreter": "perhaps", "name": "Ann"}), shipped(LIVER), BASE_URL)
    assert "interpreter" not in answers_of(response)
    assert answers_of(response)["name"] == [{"valueString": "Ann"}]


def test_unsent_answers_have_no_response():
    unsent = answer_set({})
    unsent.status = IN_PROGRESS
    with pytest.raises(ValueError, match="not been sent"):
        questionnaire_response(unsent, shipped(LIVER), BASE_URL)
