"""The definition itself: the SURE score, and ids that never collide."""

from __future__ import annotations

import pytest
from questionnaire_helpers import BREAST, LIVER, shipped

from app.questionnaire.definition import needs_more_support, sure_score

ALL_YES = {"sure_sure": "yes", "sure_understand": "yes", "sure_risk_benefit": "yes", "sure_encouragement": "yes"}


@pytest.mark.parametrize("answers, score", [
    (ALL_YES, 4),
    ({**ALL_YES, "sure_sure": "no"}, 3),
    (dict.fromkeys(ALL_YES, "no"), 0),
])
def test_the_sure_score_is_one_point_for_each_yes(answers, score):
    assert sure_score(answers) == score


@pytest.mark.parametrize("answers", [{}, {**ALL_YES, "sure_encouragement": None}, {**ALL_YES, "sure_understand": "x"}])
def test_there_is_no_sure_score_until_all_four_are_answered(answers):
    assert sure_score(answers) is None


@pytest.mark.parametrize("score, needs", [(4, False), (3, True), (0, True), (None, False)])
def test_three_or_fewer_yes_answers_suggest_more_support(score, needs):
    assert needs_more_support(score) is needs


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_every_item_and_form_field_has_an_id_of_its_own(slug):
    questionnaire = shipped(slug).questionnaire
    ids = [i.id for i in questionnaire.items]
    fields = [name for i in questionnaire.items for name in i.fields()]
    assert len(ids) == len(set(ids)) and len(fields) == len(set(fields))


def test_sections_come_in_the_task_list_order():
    assert [s.key for s in shipped(LIVER).questionnaire.sections] == [
        "about_you", "about_procedure", "benefits_risks", "questions", "person_with_you", "what_matters", "consent",
        "where_you_are"]


def test_the_same_content_and_definition_give_the_same_version():
    assert shipped(LIVER).version == shipped.__wrapped__(LIVER).version
