"""Section statuses, what blocks sending, and which page comes next: pure rules of the questionnaire."""

from questionnaire_helpers import LIVER, shipped

from app.questionnaire import progress

VERSION = shipped(LIVER)
Q = VERSION.questionnaire
NOW = VERSION.version


def all_saved(on: str = NOW) -> dict:
    return {page.key: on for page in Q.pages}


def status_of(key: str, pages_saved: dict) -> str:
    return progress.section_status(Q.section(key), pages_saved, NOW, {})


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
    assert progress.blocking(Q, saved, NOW, {}) == []
    del saved["consent"]
    assert [s.section.key for s in progress.blocking(Q, saved, NOW, {})] == ["consent"]


def test_an_optional_section_to_check_again_blocks_sending_too():
    saved = {**all_saved(), "about_you": "0123456789ab"}
    found = [(s.section.key, s.text) for s in progress.blocking(Q, saved, NOW, {})]
    assert found == [("about_you", progress.CHECK_AGAIN)]


def test_an_empty_answer_set_cannot_be_sent():
    # All but About you, and the companion's page, not asked when nobody is coming.
    assert len(progress.blocking(Q, {}, NOW, {})) == len(Q.sections) - 2
    assert progress.check_answers_status(Q, {}, NOW, {}) == progress.CANNOT_START_YET
    assert progress.check_answers_status(Q, all_saved(), NOW, {}) == progress.NOT_STARTED


def test_choosing_questions_always_leads_to_the_top_ones_even_from_check_answers():
    questions = Q.page("questions")
    assert progress.next_page(Q, questions, None, {}).key == "top_questions"
    assert progress.next_page(Q, questions, "check", {}).key == "top_questions"
    assert progress.next_page(Q, Q.page("top_questions"), "check", {}) is None
    assert progress.next_page(Q, Q.page("top_questions"), None, {}).key == "what_matters"


def test_the_last_page_leads_to_check_answers():
    assert progress.next_page(Q, Q.pages[-1], None, {}) is None
    assert progress.next_page(Q, Q.page("about_you"), None, {}).key == "about_procedure"
    assert progress.next_page(Q, Q.page("about_you"), "check", {}) is None


COMING = {"companion": "yes"}


def test_the_companion_page_is_on_the_task_list_only_when_someone_is_coming():
    assert "person_with_you" not in [s.section.key for s in progress.statuses(Q, {}, NOW, {"companion": "no"})]
    assert "person_with_you" in [s.section.key for s in progress.statuses(Q, {}, NOW, COMING)]


def test_the_router_passes_the_companion_page_by_unless_someone_is_coming():
    top = Q.page("top_questions")
    assert progress.next_page(Q, top, None, {"companion": "not-sure"}).key == "what_matters"
    assert progress.next_page(Q, top, None, COMING).key == "person_with_you"
    assert progress.next_page(Q, Q.page("person_with_you"), None, COMING).key == "what_matters"


def test_the_companion_page_never_stops_the_answers_being_sent():
    saved = {key: on for key, on in all_saved().items() if key != "person_with_you"}
    assert progress.blocking(Q, saved, NOW, COMING) == []
    assert progress.blocking(Q, {**saved, "person_with_you": "0123456789ab"}, NOW, {"companion": "no"}) == []
