"""NICE's four kinds of recommendation, and what each means for the journey.

Worded once here for every procedure, in our own plain English, from NICE's
published description of its interventional procedures recommendations
(SOURCE below). A procedure file names its category; it does not explain it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import lazy_gettext as _l

SOURCE = ("NICE, Our interventional procedures recommendations",
          "https://www.nice.org.uk/about/what-we-do/our-programmes/nice-guidance/"
          "interventional-procedures-guidance/recommendations")


@dataclass(frozen=True)
class Point:
    """A consent point every procedure of a category adds (ids start 'category-')."""

    id: str
    text: str


@dataclass(frozen=True)
class Category:
    name: str
    label: str  # the name as a page shows it, in the page's language
    meaning: str  # for the patient
    for_clinician: str  # the at-a-glance line on the summary
    consent_points: tuple[Point, ...] = ()
    # A procedure NICE says not to use is never offered to patients.
    offered: bool = True


CATEGORIES = {c.name: c for c in (
    Category(
        "standard", _l("Standard"),
        meaning=_l("NICE says there is enough evidence for doctors to think about using it. "
                   "Your doctor does not have to offer it. They should talk with you about all your options first."),
        for_clinician=_l("Standard arrangements for clinical governance, consent and audit."),
    ),
    Category(
        "special arrangements", _l("Special arrangements"),
        meaning=_l("NICE says it is not yet sure how safe this is or how well it works, or that there are known "
                   "risks of serious harm. So it can only be done with special arrangements. Your team must "
                   "explain these things to you carefully before you decide. The team also collects information "
                   "about how it goes for people who have it."),
        for_clinician=_l("Special arrangements. The patient must understand what is not known before they agree. "
                         "Senior staff, such as the clinical governance lead, are involved. Results are collected "
                         "by audit or research."),
        consent_points=(
            Point("category-uncertain", _l("NICE is not yet sure how safe this is or how well it works. "
                                           "Your team should explain what is not known.")),
            Point("category-data", _l("Your team will collect information about how it goes for you. "
                                      "This may be for an audit or for research.")),
        ),
    ),
    Category(
        "research only", _l("Research only"),
        meaning=_l("NICE says this should only be done as part of a research study. A research ethics committee "
                   "must have agreed to the study. NICE says this when a procedure is still new and being tested. "
                   "It also says it when there are questions about it that nobody can answer yet."),
        for_clinician=_l("Research only. It is done only as part of a research study. A research ethics "
                         "committee must have agreed to the study."),
        consent_points=(
            Point("category-research", _l("You can only have this as part of a research study. A research "
                                          "ethics committee must have agreed to the study.")),
            Point("category-agree", _l("You must be told about the study and agree to take part before you "
                                       "have it.")),
        ),
    ),
    Category(
        "do not use", _l("Do not use"),
        meaning=_l("NICE says this procedure should not be used. The evidence suggests it does not work well, "
                   "or the risks are too high."),
        for_clinician=_l("Do not use."),
        offered=False,
    ),
)}
