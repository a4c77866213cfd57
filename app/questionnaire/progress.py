"""Where a patient has got to: each section's status, what comes next, and whether the answers can be sent.

Pure functions of a questionnaire and the pages an answer set has saved,
each with the content version it was saved on, tested without HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import lazy_gettext as _l
from .structure import Questionnaire, ResolvedPage, ResolvedSection

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
CHECK_AGAIN = "Check again"
CANNOT_START_YET = "Cannot start yet"
# How a page says each status, in its language (the constants above are what the code compares).
STATUS_WORDS = {NOT_STARTED: _l("Not started"), IN_PROGRESS: _l("In progress"), COMPLETED: _l("Completed"),
                CHECK_AGAIN: _l("Check again"), CANNOT_START_YET: _l("Cannot start yet")}


@dataclass(frozen=True)
class Status:
    section: ResolvedSection
    text: str

    @property
    def done(self) -> bool:
        return self.text == COMPLETED

    @property
    def blocks_sending(self) -> bool:
        """Required sections must be completed; any section changed since it was saved must be checked again."""
        return self.text == CHECK_AGAIN or (not self.done and not self.section.optional)


def section_status(section: ResolvedSection, pages_saved: dict[str, str], version: str, answers: dict) -> str:
    """A page the patient is not asked (Page.shown_when) counts for nothing."""
    saved = [pages_saved.get(page.key) for page in section.pages_for(answers)]
    if not any(saved):
        return NOT_STARTED
    if any(v and v != version for v in saved):
        return CHECK_AGAIN  # saved on a version whose wording of this section has changed since
    return COMPLETED if all(saved) else IN_PROGRESS


def statuses(questionnaire: Questionnaire, pages_saved: dict[str, str], version: str, answers: dict) -> list[Status]:
    """Each section the patient is asked, in journey order (one with no page asked is left out)."""
    return [Status(s, section_status(s, pages_saved, version, answers)) for s in questionnaire.sections
            if s.applies(answers)]


def blocking(questionnaire: Questionnaire, pages_saved: dict[str, str], version: str, answers: dict) -> list[Status]:
    """The sections that stop the answers being sent, in journey order."""
    return [s for s in statuses(questionnaire, pages_saved, version, answers) if s.blocks_sending]


def check_answers_status(questionnaire: Questionnaire, pages_saved: dict[str, str], version: str,
                         answers: dict) -> str:
    return CANNOT_START_YET if blocking(questionnaire, pages_saved, version, answers) else NOT_STARTED


def next_page(questionnaire: Questionnaire, page: ResolvedPage, return_to: str | None,
              answers: dict) -> ResolvedPage | None:
    """The page after saving this one, or None for check answers; pages the patient is not asked are passed by.

    A page that is always followed by another (choosing questions, then the
    ones that matter most) leads there even from check answers.
    """
    if page.then:
        return questionnaire.page(page.then)
    if return_to == "check":
        return None
    pages = questionnaire.pages
    return next((p for p in pages[pages.index(page) + 1:] if p.applies(answers)), None)
