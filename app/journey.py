"""The rules of the patient journey: sections, their order and status, the SURE score.

Pure functions over an answer set's stored answers, tested without HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    endpoint: str
    optional: bool = False


SECTIONS = (
    Section("about_you", "About you", "patient.about_you", optional=True),
    Section("about_procedure", "About the procedure", "patient.about_procedure"),
    Section("benefits_risks", "Benefits and risks", "patient.journey_benefits_and_risks"),
    Section("questions", "Your questions", "patient.questions"),
    Section("what_matters", "What matters to you", "patient.what_matters"),
    Section("consent", "Consent information", "patient.consent"),
    Section("where_you_are", "Where you are now", "patient.where_you_are"),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)

# The SURE test (Légaré F et al. 2010, Can Fam Physician 56:e308-14), in its published wording.
SURE_ITEMS = (
    ("sure", "Do you feel SURE about the best choice for you?"),
    ("understand", "Do you know the benefits and risks of each option?"),
    ("risk_benefit", "Are you clear about which benefits and risks matter most to you?"),
    ("encouragement", "Do you have enough support and advice to make a choice?"),
)
SURE_NEEDS_SUPPORT_AT_OR_BELOW = 3


def section_status(answers: dict, key: str) -> str:
    saved = answers.get(key)
    if saved is None:
        return NOT_STARTED
    if key == "questions" and "top_questions" not in answers:
        return IN_PROGRESS  # chose questions but not yet which matter most
    return COMPLETED


def next_section(key: str) -> Section | None:
    """The section after this one, or None when the next step is checking answers."""
    index = SECTION_KEYS.index(key)
    return SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None


def sure_score(answers: dict) -> int | None:
    """0 to 4, one point for each "yes"; None until all four are answered."""
    sure = answers.get("where_you_are", {}).get("sure", {})
    if any(sure.get(key) not in ("yes", "no") for key, _ in SURE_ITEMS):
        return None
    return sum(sure[key] == "yes" for key, _ in SURE_ITEMS)


def needs_more_support(score: int | None) -> bool:
    return score is not None and score <= SURE_NEEDS_SUPPORT_AT_OR_BELOW


def top_questions(answers: dict, all_questions) -> list[tuple[str, str, str]]:
    """The (up to three) chosen questions that matter most, in the order they were asked."""
    top = set(answers.get("top_questions", {}).get("top", []))
    return [item for item in chosen_questions(answers, all_questions) if item[0] in top]


def chosen_questions(answers: dict, all_questions) -> list[tuple[str, str, str]]:
    """(key, text, note) for each question the patient wants to ask: suggested, then their own."""
    saved = answers.get("questions", {})
    notes = saved.get("chosen", {})
    picked = [(f"q:{q.id}", q.text, notes[q.id]) for q in all_questions if q.id in notes]
    own = [(f"own:{i}", text, "") for i, text in enumerate(saved.get("own", []))]
    return picked + own
