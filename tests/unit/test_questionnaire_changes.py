"""What changed between two versions, and moving a patient's answers on without losing any."""

import json

from questionnaire_helpers import LIVER, version_from_text

from app.content import files
from app.questionnaire import changes

STANDARD = files.STANDARD_QUESTIONS_FILE.read_text()
FILE = (files.PROCEDURES_DIR / f"{LIVER}.toml").read_text()


def edited(text: str) -> str:
    """Rename a question id, remove a consent point, add one, reword a what-matters statement."""
    text = text.replace('id = "what-is-known"', 'id = "longer-term"')
    text = text.replace('[[consent_points]]\nid = "how-it-is-done"\n'
                        'text = "Thin fibres are put through your skin into the tumour. A fine needle and scans are '
                        'used to guide them."\n\n', "")
    text = text.replace('text = "Having fewer hospital appointments afterwards"',
                        'text = "Not having many hospital appointments afterwards"')
    added = 'text = "Your team will tell you who to call if you feel unwell."'
    return text + f'\n[[consent_points]]\nid = "your-team"\n{added}\n'


OLD = version_from_text(FILE, STANDARD, f"{LIVER}.toml", row_id=1)
NEW = version_from_text(edited(FILE), STANDARD, f"{LIVER}.toml", row_id=2)


def kinds(found) -> dict[str, str]:
    return {c.id: c.kind for c in found}


def test_changes_name_what_was_added_removed_and_reworded():
    found = kinds(changes.changes(OLD.snapshot, NEW.snapshot))
    assert found == {
        "ask_longer-term": "added", "point_your-team": "added", "rate_fewer-appointments": "reworded",
        "ask_what-is-known": "removed", "point_how-it-is-done": "removed",
    }


def test_a_reworded_item_keeps_its_earlier_words():
    reworded = next(c for c in changes.changes(OLD.snapshot, NEW.snapshot) if c.kind == changes.REWORDED)
    assert reworded.before == "Having fewer hospital appointments afterwards"
    assert reworded.heading == "Not having many hospital appointments afterwards"
    assert reworded.section_title == "What matters to you"


def test_the_same_version_has_no_changes_even_once_stored_and_read_back():
    assert changes.changes(OLD.snapshot, OLD.snapshot) == []
    stored = json.loads(json.dumps(OLD.snapshot))  # as the database's JSON column gives it back
    assert changes.changes(stored, OLD.questionnaire.snapshot) == []


def answered() -> dict:
    return {
        "name": "Ann", "ask_what-is-known": "My note", "ask_appointments": None, "own": [],
        "top": ["ask_what-is-known"],
        "rate_fewer-appointments": "very", "rate_destroy-tumour": "quite",
        "point_how-it-is-done": "explain", "point_follow-up": "understand",
    }


def moved(answers=None, pages=None):
    pages = pages or {key: OLD.version for key in ("about_you", "questions", "top_questions", "what_matters",
                                                  "consent", "where_you_are")}
    return changes.move_on(answers or answered(), pages, OLD.questionnaire, OLD.snapshot, NEW.questionnaire,
                           NEW.snapshot, NEW.version, OLD.version)


def test_unchanged_pages_stay_done_and_changed_ones_are_to_be_checked_again():
    result = moved()
    assert result.pages_saved["about_you"] == NEW.version
    assert result.pages_saved["where_you_are"] == NEW.version
    # New question, reworded statement, new consent point: saved on the old version, so "Check again".
    assert result.pages_saved["questions"] == OLD.version
    assert result.pages_saved["what_matters"] == OLD.version
    assert result.pages_saved["consent"] == OLD.version


def test_answers_to_unchanged_items_carry_over():
    result = moved()
    assert result.answers["name"] == "Ann"
    assert result.answers["point_follow-up"] == "understand"
    assert result.answers["rate_destroy-tumour"] == "quite"
    assert result.answers["rate_fewer-appointments"] == "very"  # reworded: kept, and its page to be checked again


def test_an_answer_to_a_removed_item_is_kept_as_given_on_the_earlier_version():
    result = moved()
    assert "ask_what-is-known" not in result.answers and "point_how-it-is-done" not in result.answers
    earlier = {e["id"]: e for e in result.earlier}
    assert earlier["ask_what-is-known"]["lines"] == ["What is known about how well this works in the longer term? "
                                                    "(note: My note)"]
    assert earlier["point_how-it-is-done"]["lines"] == ["Explain this"]
    assert earlier["point_how-it-is-done"]["version"] == OLD.version
    assert earlier["point_how-it-is-done"]["section"] == "Consent information"


def test_a_top_question_that_was_removed_is_no_longer_top():
    assert moved().answers["top"] == []


def test_from_an_unknown_earlier_version_every_saved_page_is_to_be_checked_again():
    result = changes.move_on(answered(), {"about_you": "legacyhash01"}, None, None, NEW.questionnaire,
                             NEW.snapshot, NEW.version, "legacyhash01")
    assert result.pages_saved == {"about_you": "legacyhash01"}
    assert result.changes == [] and result.answers["name"] == "Ann"
