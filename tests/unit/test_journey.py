"""The journey's rules (app/journey.py) on stored answers alone: each section's status, the order, the SURE score."""

from __future__ import annotations

import pytest

from app import journey
from app.content import Question

ALL_YES = {"sure": "yes", "understand": "yes", "risk_benefit": "yes", "encouragement": "yes"}
QUESTIONS = (Question("appointments", "How many appointments?"), Question("risks", "What are the risks?"),
             Question("recovery", "How long is recovery?"))


def test_a_section_not_saved_is_not_started():
    assert journey.section_status({}, "about_you") == journey.NOT_STARTED


def test_a_saved_section_is_completed_even_when_left_empty():
    assert journey.section_status({"about_you": {}}, "about_you") == journey.COMPLETED


def test_questions_are_in_progress_until_the_most_important_are_chosen():
    answers = {"questions": {"chosen": {"risks": ""}, "own": []}}
    assert journey.section_status(answers, "questions") == journey.IN_PROGRESS
    assert journey.section_status({**answers, "top_questions": {"top": []}}, "questions") == journey.COMPLETED


def test_sections_follow_each_other_in_the_task_list_order():
    order = [journey.SECTIONS[0].key]
    while (following := journey.next_section(order[-1])) is not None:
        order.append(following.key)
    assert order == ["about_you", "about_procedure", "benefits_risks", "questions", "what_matters", "consent",
                     "where_you_are"]


def test_the_last_section_leads_to_checking_answers():
    assert journey.next_section("where_you_are") is None


@pytest.mark.parametrize("sure, score", [
    (ALL_YES, 4),
    ({**ALL_YES, "sure": "no"}, 3),
    ({"sure": "no", "understand": "no", "risk_benefit": "no", "encouragement": "no"}, 0),
])
def test_the_sure_score_is_one_point_for_each_yes(sure, score):
    assert journey.sure_score({"where_you_are": {"sure": sure}}) == score


@pytest.mark.parametrize("sure", [{}, {**ALL_YES, "encouragement": None}, {**ALL_YES, "understand": "maybe"}])
def test_there_is_no_sure_score_until_all_four_are_answered(sure):
    assert journey.sure_score({"where_you_are": {"sure": sure}}) is None
    assert journey.sure_score({}) is None


@pytest.mark.parametrize("score, needs", [(4, False), (3, True), (0, True), (None, False)])
def test_three_or_fewer_yes_answers_suggest_more_support(score, needs):
    assert journey.needs_more_support(score) is needs


def test_chosen_questions_are_the_suggested_in_their_order_then_the_patients_own():
    answers = {"questions": {"chosen": {"recovery": "", "appointments": "Mondays?"}, "own": ["Can I drive?"]}}
    assert journey.chosen_questions(answers, QUESTIONS) == [
        ("q:appointments", "How many appointments?", "Mondays?"),
        ("q:recovery", "How long is recovery?", ""),
        ("own:0", "Can I drive?", ""),
    ]


def test_top_questions_keep_the_order_they_were_asked_in():
    answers = {"questions": {"chosen": {"appointments": "", "recovery": ""}, "own": ["Can I drive?"]},
               "top_questions": {"top": ["own:0", "q:recovery"]}}
    assert [key for key, _, _ in journey.top_questions(answers, QUESTIONS)] == ["q:recovery", "own:0"]


def test_a_top_question_no_longer_chosen_drops_out():
    answers = {"questions": {"chosen": {"appointments": ""}, "own": []}, "top_questions": {"top": ["q:risks"]}}
    assert journey.top_questions(answers, QUESTIONS) == []
