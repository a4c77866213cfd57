"""Section statuses, what blocks sending, and which page comes next: pure rules of the questionnaire."""

from questionnaire_helpers import LIVER, shipped

from app.questionnaire import progress

VERSION = shipped(LIVER)
Q = VERSION.questionnaire
NOW = VERSION.version


def all_saved(on: str = NOW) -> dict:
    return {page.key: on for page in Q.pages}


def status_of(key: str, pages_saved: dict) -> str:
    return progress.section_status(Q.section(key), pages_saved, NOW)


def test_a_section_is_not_started_until_one_of_its_pages_is_saved():
    assert status_of("questions", {}) == progress.NOT_STARTED


def test_choosing_questions_without_the_top_ones_is_in_progress():
    assert status_of("questions", {"questions": NOW}) == progress.IN_PROGRESS
    assert status_of("questions", {"questions": NOW, "top_questions": NOW}) == progress.COMPLETED


def test_a_page_saved_on_an_older_version_is_to_be_checked_again():
    assert status_of("consent", {"consent": "0123456789ab"}) == progress.CHECK_AGAIN


def test_sending_waits_for_every_required_section_but_not_the_optional_one():
    saved = all_saved()
    del saved["about_you"]
    assert progress.blocking(Q, saved, NOW) == []
    del saved["consent"]
    assert [s.section.key for s in progress.blocking(Q, saved, NOW)] == ["consent"]


def test_an_optional_section_to_check_again_blocks_sending_too():
    saved = {**all_saved(), "about_you": "0123456789ab"}
    assert [(s.section.key, s.text) for s in progress.blocking(Q, saved, NOW)] == [("about_you", progress.CHECK_AGAIN)]


def test_an_empty_answer_set_cannot_be_sent():
    assert len(progress.blocking(Q, {}, NOW)) == len(Q.sections) - 1  # all but About you
    assert progress.check_answers_status(Q, {}, NOW) == progress.CANNOT_START_YET
    assert progress.check_answers_status(Q, all_saved(), NOW) == progress.NOT_STARTED


def test_choosing_questions_always_leads_to_the_top_ones_even_from_check_answers():
    questions = Q.page("questions")
    assert progress.next_page(Q, questions, None).key == "top_questions"
    assert progress.next_page(Q, questions, "check").key == "top_questions"
    assert progress.next_page(Q, Q.page("top_questions"), "check") is None
    assert progress.next_page(Q, Q.page("top_questions"), None).key == "what_matters"


def test_the_last_page_leads_to_check_answers():
    assert progress.next_page(Q, Q.pages[-1], None) is None
    assert progress.next_page(Q, Q.page("about_you"), None).key == "about_procedure"
    assert progress.next_page(Q, Q.page("about_you"), "check") is None
