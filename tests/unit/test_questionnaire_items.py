"""What each kind of item does with what a patient sends: forms built from the definition, no app of ours.

WTForms needs a Flask application context to build a form; a bare Flask()
gives one, without our app, its database or HTTP.
"""

from datetime import date, timedelta

import pytest
from flask import Flask
from questionnaire_helpers import BREAST, LIVER, shipped
from werkzeug.datastructures import MultiDict

from app.questionnaire.forms import page_form

LIVER_Q = shipped(LIVER).questionnaire
BREAST_Q = shipped(BREAST).questionnaire


@pytest.fixture(autouse=True)
def bare_flask():
    with Flask(__name__).app_context():
        yield


def posted(questionnaire, page_key: str, data: dict, saved: dict | None = None):
    form = page_form(questionnaire.page(page_key))(formdata=MultiDict(data), meta={"csrf": False})
    form.prepare(saved or {})
    form.validate()
    return form


def test_a_note_under_a_question_not_ticked_adds_the_question():
    form = posted(LIVER_Q, "questions", {"note_appointments": "Two, I hope"})
    assert form.answers()["ask_appointments"] == "Two, I hope"


def test_a_question_neither_ticked_nor_noted_is_not_asked():
    form = posted(LIVER_Q, "questions", {"ask_risks": "y"})
    answers = form.answers()
    assert answers["ask_appointments"] is None and answers["ask_risks"] == ""


def test_own_questions_keep_their_ids_when_one_is_deleted():
    saved = {"own": [{"id": "own-a1", "text": "First"}, {"id": "own-b2", "text": "Second"}]}
    form = posted(LIVER_Q, "questions", {"own-0-id": "own-a1", "own-0-text": "", "own-1-id": "own-b2",
                                         "own-1-text": "Second"}, saved)
    assert form.answers()["own"] == [{"id": "own-b2", "text": "Second"}]


def test_a_new_own_question_gets_a_new_id_and_an_altered_one_cannot_take_anothers():
    saved = {"own": [{"id": "own-a1", "text": "First"}]}
    form = posted(LIVER_Q, "questions", {"own-0-id": "own-a1", "own-0-text": "First", "own-1-id": "own-a1",
                                         "own-1-text": "Sneaky", "own-2-text": "New"}, saved)
    ids = [q["id"] for q in form.answers()["own"]]
    assert ids[0] == "own-a1" and len(set(ids)) == 3 and all(i.startswith("own-") for i in ids)


def test_top_questions_that_are_no_longer_chosen_are_dropped():
    answers = {"ask_appointments": "", "ask_risks": None, "own": [], "top": ["ask_appointments", "ask_risks", "own-x"]}
    assert LIVER_Q.reconcile(answers)["top"] == ["ask_appointments"]


def test_no_more_than_three_top_questions():
    saved = {f"ask_{q}": "" for q in ("appointments", "risks", "benefits", "saying-no")}
    form = posted(LIVER_Q, "top_questions", {"top": list(saved)}, saved)
    assert form.errors["top"] == ["Choose up to 3 questions"]


def date_posted(day: date, saved: dict | None = None):
    return posted(LIVER_Q, "about_you", {"appointment_date[day]": str(day.day),
                                         "appointment_date[month]": str(day.month),
                                         "appointment_date[year]": str(day.year)}, saved)


def test_a_new_appointment_date_in_the_past_is_refused():
    form = date_posted(date.today() - timedelta(days=3))
    assert form.errors["appointment_date"] == ["Appointment date must be today or in the future"]


def test_an_appointment_date_saved_before_that_has_passed_does_not_block_the_page():
    past = date.today() - timedelta(days=3)
    form = date_posted(past, saved={"appointment_date": past.isoformat()})
    assert form.errors == {} and form.answers()["appointment_date"] == past.isoformat()


def test_each_error_names_its_statement():
    form = posted(LIVER_Q, "what_matters", {})
    assert form.errors["rate_fewer-appointments"] == [
        "Select how important 'Having fewer hospital appointments afterwards' is to you"]
    assert len({message for messages in form.errors.values() for message in messages}) == len(form.errors)


def test_each_consent_and_sure_error_names_its_item():
    consent = posted(BREAST_Q, "consent", {})
    assert consent.errors["point_uncertain-benefit"] == [
        "Select whether you understand 'Nobody knows yet if the laser destroys all of the cancer.'"]
    where = posted(BREAST_Q, "where_you_are", {})
    assert where.errors["sure_sure"] == ["Select yes or no for 'Do you feel SURE about the best choice for you?'"]


def test_a_spoken_language_interpreter_needs_a_language_and_others_keep_none():
    assert posted(LIVER_Q, "about_you", {"interpreter": "spoken"}).errors["language"] == [
        "Enter the language you need an interpreter for"]
    for other in ("no", "bsl"):
        form = posted(LIVER_Q, "about_you", {"interpreter": other, "language": "Welsh"})
        assert form.errors == {} and LIVER_Q.reconcile(form.answers())["language"] == ""


def test_formats_are_kept_in_the_order_offered_and_one_never_offered_is_dropped():
    form = posted(LIVER_Q, "about_you", {"formats": ["email", "braille", "smoke-signals"]})
    assert form.errors == {} and form.answers()["formats"] == ["braille", "email"]
    formats = LIVER_Q.item("formats")
    assert formats.lines(["braille", "email"], {}) == ["Braille", "By email"]
    assert formats.cell(["braille", "email"], {}) == "Braille | By email"


def test_a_choice_the_page_never_offered_is_dropped():
    form = posted(LIVER_Q, "about_you", {"companion": "maybe"})
    assert form.answers()["companion"] is None and form.errors == {}
