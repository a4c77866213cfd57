"""Procedures as data: TOML files, read and validated.

Files are what an editor writes; patients see only published versions
(content/versions.py), each a permanent copy of the file as it was. A file
that breaks a rule cannot be published: the message names the file, the
field and what is wrong, so an editor never ships a half-read procedure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from .categories import CATEGORIES, Category
from .categories import Point as CategoryPoint

OUTCOME_KINDS = ("efficacy", "safety")
# What an outcome counted. A treatment that did not work, or a harm, is never shown as a benefit.
EFFECTS = ("benefit", "failure", "harm")
# How far ahead a file's review-by date may be: content is checked against NICE at least this often.
REVIEW_WITHIN_YEARS = 3


class ContentError(Exception):
    """One or more content files break the rules; the message lists every problem."""


@dataclass(frozen=True, order=True)
class YearMonth:
    """A month of a year, as NICE dates its updates: `updated = "2026-01"` in a file, "January 2026" on a page.

    Pages word it in their own language (templating.month_year); the file
    holds no English for it. `written_out` marks one read from a version
    published when files said "January 2026": it still reads back, and the
    content check asks for the new form.
    """

    year: int
    month: int
    written_out: bool = field(default=False, compare=False)

    PATTERN = re.compile(r"(\d{4})-(\d{2})")

    @classmethod
    def parse(cls, text: str) -> YearMonth | None:
        """ "2026-01" (or, from an older version, "January 2026"); None if it is neither."""
        match = cls.PATTERN.fullmatch(text.strip())
        if match and 1 <= int(match[2]) <= 12:
            return cls(int(match[1]), int(match[2]))
        try:
            moment = datetime.strptime(text.strip(), "%B %Y")
        except ValueError:
            return None
        return cls(moment.year, moment.month, written_out=True)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Source:
    publisher: str
    kind: str
    guidance_id: str
    title: str
    published: date
    updated: YearMonth | None
    url: str
    document: str


@dataclass(frozen=True)
class Outcome:
    kind: str
    effect: str
    label: str
    numerator: int
    denominator: int
    percent: int | float | None  # as the source states it; None when it states only the counts
    study: str
    caveat: str
    cite: str

    @property
    def per_100(self) -> int:
        """How many in 100, for the picture: the source's own percentage, or the counts' when it states none.

        Rounded half up, so 2.5% is 3 in 100 and page and source never disagree by more than the rounding.
        """
        exact = self.percent if self.percent is not None else 100 * self.numerator / self.denominator
        return math.floor(exact + 0.5)


@dataclass(frozen=True)
class DifferentGroups:
    """What the page says above outcomes of one effect that were counted in different groups of people.

    Outcomes shown together share a denominator, or the page says they do
    not (IPDAS: compare like with like); the content check holds a file to it.
    """

    benefit: str = ""
    failure: str = ""
    harm: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Statement:
    """A consent point to understand, or a statement to rate for importance."""

    id: str
    text: str


@dataclass(frozen=True)
class CitedText:
    """A statement with no figure, and the section of the source that makes it."""

    text: str
    cite: str


@dataclass(frozen=True)
class Alternative:
    name: str
    description: str


@dataclass(frozen=True)
class SupportContact:
    name: str
    description: str
    phone: str


@dataclass(frozen=True)
class Procedure:
    slug: str
    title: str
    short_title: str
    summary: str
    category: str
    # When to check the file against NICE again; None only in versions published before review dates were kept.
    review_by: date | None
    source: Source
    what_happens: tuple[str, ...]
    evidence_status: str
    outcomes: tuple[Outcome, ...]
    different_groups: DifferentGroups
    other_problems: tuple[CitedText, ...]
    uncertainties: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    not_having: str
    questions: tuple[Question, ...]
    consent_points: tuple[Statement, ...]
    what_matters: tuple[Statement, ...]
    support_contacts: tuple[SupportContact, ...]
    standard_questions: tuple[Question, ...]
    file_name: str
    # The published version's id (content/versions.py); empty for a file not yet published.
    version: str = ""

    def outcomes_of(self, effect: str) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.effect == effect)

    @property
    def category_info(self) -> Category:
        return CATEGORIES[self.category]

    @property
    def all_questions(self) -> tuple[Question, ...]:
        """The shared standard questions, then the procedure's own."""
        return self.standard_questions + self.questions

    @property
    def all_consent_points(self) -> tuple[Statement | CategoryPoint, ...]:
        """The points its NICE category adds, then the procedure's own."""
        return self.category_info.consent_points + self.consent_points
