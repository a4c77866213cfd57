"""One summary, built from the answer set's own version: the words each reader gets."""

import random

import pytest
from questionnaire_helpers import LIVER, shipped

from app.models import AnswerSet
from app.questionnaire.examples import example_answers
from app.questionnaire.structure import Glance
from app.summary import NOT_PROVIDED, asks_for_large_print, summarise, support_needs

VERSION = shipped(LIVER)


def summary_of(answers: dict, **extra):
    return summarise(AnswerSet(reference="PFP-ACDEFG", answers=answers, earlier_answers=[], **extra), VERSION)


def rows(summary, section: str) -> dict:
    return {row.label: row for s in summary.sections if s.key == section for row in s.rows}


def test_check_answers_use_the_patients_words_and_summaries_a_clinicians():
    about = rows(summary_of({"companion": "not-sure"}), "about_you")
    assert about["Someone coming with you"].page_lines == ("I'm not sure yet",)
    assert about["Someone coming with you"].lines == ("Not sure yet",)


def test_an_interpreter_and_language_read_together_at_a_glance_and_apart_in_the_answers():
    summary = summary_of({"interpreter": "spoken", "language": "Welsh"})
    assert summary.interpreter == "Spoken language: Welsh" and summary.needs_interpreter
    about = rows(summary, "about_you")
    assert about["Interpreter"].lines == ("Spoken language",) and about["Language"].lines == ("Welsh",)


@pytest.mark.parametrize("answers, interpreter, formats", [
    ({}, False, False),
    ({"interpreter": "no", "formats": []}, False, False),
    ({"interpreter": "bsl"}, True, False),
    ({"interpreter": "spoken", "language": "Polish", "formats": ["large-print"]}, True, True),
])
def test_support_needs_say_whether_an_interpreter_or_another_format_is_needed(answers, interpreter, formats):
    assert support_needs(VERSION.questionnaire, answers) == (interpreter, formats)


def test_support_needs_come_first_at_a_glance_each_marked_when_needed():
    summary = summary_of({"interpreter": "bsl", "formats": ["large-print", "easy-read"], "companion": "no"})
    assert [row[:3] for row in summary.support[:2]] == [("Interpreter", "British Sign Language (BSL)", True),
                                   ("Information in another format", "Large print, Easy read", True)]
    assert summary_of({"interpreter": "no"}).support[0][:3] == ("Interpreter", "Not needed", False)


def test_the_companion_questions_are_theirs_and_never_the_patients():
    answers = {"companion": "yes", "own": [{"id": "own-1", "text": "Will it hurt?"}],
               "companion_questions": [{"id": "own-2", "text": "Can I stay with her?"}],
               "companion_worries": "Getting home", "top": ["own-1"]}
    summary = summary_of(answers)
    assert summary.theirs.questions == ("Can I stay with her?",) and summary.theirs.worries == "Getting home"
    assert summary.theirs.by == "The person coming to the appointment with the patient"
    assert [q.text for q in summary.questions] == ["Will it hurt?"]
    assert summary_of({**answers, "companion": "no"}).theirs is None


def test_no_language_row_when_no_interpreter_is_needed():
    assert "Language" not in rows(summary_of({"interpreter": "no", "language": ""}), "about_you")
    assert summary_of({}).interpreter == NOT_PROVIDED


def test_the_sure_score_and_the_items_answered_no():
    answers = {"sure_sure": "no", "sure_understand": "yes", "sure_risk_benefit": "yes", "sure_encouragement": "no"}
    summary = summary_of(answers)
    assert summary.sure_score == 2 and summary.needs_more_support
    assert summary.sure_no == ("Do you feel SURE about the best choice for you?",
                               "Do you have enough support and advice to make a choice?")
    assert rows(summary, "where_you_are")["SURE score"].lines == ("2 out of 4",)


def test_questions_keep_their_notes_and_top_marks_suggested_then_own():
    answers = {"ask_risks": "Burns?", "ask_appointments": None, "own": [{"id": "own-1", "text": "Can I drive?"}],
               "top": ["own-1"]}
    questions = summary_of(answers).questions
    assert [(q.text, q.note, q.own, q.top) for q in questions] == [
        ("What are the risks or side effects? How likely are they?", "Burns?", False, False),
        ("Can I drive?", "", True, True),
    ]


def test_consent_points_to_explain_are_named():
    summary = summary_of({"point_follow-up": "explain", "point_your-choice": "understand"})
    follow_up = ("You will have regular check-ups after it. They check how well it is working and if it has caused "
                 "problems.")
    assert summary.to_explain == (follow_up,)
    assert rows(summary, "consent")[follow_up].flag


def test_every_item_of_a_whole_answer_set_is_in_the_summary():
    answers = example_answers(VERSION.questionnaire, random.Random(1), {"interpreter": "spoken", "language": "Urdu",
                                                                        "companion": "yes"})
    summary = summary_of(answers)
    labels = {row.label for s in summary.sections for row in s.rows}
    expected = {i.heading for i in VERSION.questionnaire.items if i.kind != "ask"} | {"Questions you want to ask"}
    assert expected <= labels


def test_answers_to_an_earlier_version_are_kept_in_the_summary():
    earlier = [{"id": "ask_old", "heading": "An old question", "section": "Your questions", "lines": ["Yes"],
                "version": "0123456789ab"}]
    summary = summarise(AnswerSet(reference="PFP-ACDEFG", answers={}, earlier_answers=earlier), VERSION)
    assert summary.earlier[0]["heading"] == "An old question"


def test_large_print_is_offered_first_only_to_whoever_asked_for_it():
    glance = Glance(large_print=("formats", "large_print"))
    assert asks_for_large_print({"formats": ["easy_read", "large_print"]}, glance)
    assert asks_for_large_print({"formats": "large_print"}, glance)
    assert not asks_for_large_print({"formats": ["audio"]}, glance)
    assert not asks_for_large_print({}, glance)
    assert not asks_for_large_print({"formats": ["large_print"]}, Glance())  # no question asks it yet
