"""The content check: everything a procedure file must pass before patients can see it.

One function, `check`, is run by `flask content check`, by `flask content
publish` and by the staff content pages, so the three never disagree. Each
problem is one line, "file: field: what to do":

- the file reads: every field of the right type, no TODO left (files.py);
- its source document is kept in content/sources/ under the name it gives,
  says what the file says it does (title, id, dates), and each figure is in
  the sentence of the section it cites, with its percentage if it gives one;
- outcomes shown together (under one heading) share a denominator, or the
  file says they come from different groups;
- every patient-facing field reads at grade 6 or below (readability.py);
- it has a review-by date that has not passed and is no more than
  REVIEW_WITHIN_YEARS away;
- its category is one of NICE's four, and not "do not use" (files.py).

A published version whose review-by date passes stays live: patients keep
their information, and `overdue` in versions.py flags it to staff. Only a
new version is held to the date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..questionnaire.structure import Definition, resolve
from ..templating import long_date, month_year
from . import EFFECTS, REVIEW_WITHIN_YEARS, Procedure
from .figures import trace
from .files import PACKAGE_DIR, PROCEDURES_DIR, STANDARD_QUESTIONS_FILE, ContentFile, read_files
from .guidance import (
    Guidance,
    GuidanceError,
    PublicInformation,
    is_public_information,
    read_guidance,
    read_public_information,
)
from .readability import field_problems, fields
from .versions import version_of

SOURCES_DIR = PACKAGE_DIR / "sources"
# How the page heads the outcomes of each effect (templates/components/procedure_info.html).
SHOWN_AS = {"benefit": "benefits", "failure": "failures", "harm": "harms"}


@dataclass(frozen=True)
class Checked:
    """One procedure file and what the check found in it."""

    name: str
    content: ContentFile | None  # None if it could not be read; else with its source document's hash
    problems: tuple[str, ...]
    version: str = ""  # the id it would be published under; empty if it could not be read

    @property
    def slug(self) -> str:
        """Its procedure's slug: a file is named after it."""
        return self.name.removesuffix(".toml")

    @property
    def passed(self) -> bool:
        return self.content is not None and not self.problems


@dataclass(frozen=True)
class Report:
    files: tuple[Checked, ...]
    shared: tuple[str, ...]  # problems of no one procedure: the standard questions, an empty folder

    @property
    def problems(self) -> list[str]:
        return [*self.shared, *(p for f in self.files for p in f.problems)]

    @property
    def passed(self) -> list[ContentFile]:
        """The files that can be published, in title order; none if the standard questions themselves fail."""
        found = [] if self.shared else [f.content for f in self.files if f.passed]
        return sorted(found, key=lambda c: c.procedure.title)

    def file(self, slug: str) -> Checked | None:
        return next((f for f in self.files if f.slug == slug), None)


def check(definition: Definition, today: date, live: Mapping[str, str] | None = None,
          folder: Path = PROCEDURES_DIR, standard_file: Path = STANDARD_QUESTIONS_FILE,
          sources: Path = SOURCES_DIR, only: list[Path] | None = None) -> Report:
    """Every file in the folder (or `only`), checked; `live` gives each procedure's live version, by slug.

    The live version's own file is not held to its review-by date: it is
    already what patients see, and is flagged instead (versions.overdue).
    """
    live = live or {}
    read, shared = read_files(folder, standard_file, only)
    checked = []
    for file in read:
        if file.content is None:
            checked.append(Checked(file.path.name, None, file.problems))
            continue
        problems, sha256 = source_problems(file.content, sources)
        content = replace(file.content, source_sha256=sha256)
        version = version_of(content, resolve(definition, content.procedure))
        problems += denominator_problems(content.procedure)
        problems += field_problems(content.procedure.file_name, fields(content.procedure))
        problems += date_problems(content.procedure, today, is_live=live.get(content.procedure.slug) == version)
        checked.append(Checked(file.path.name, content, (*file.problems, *problems), version))
    return Report(tuple(checked), tuple(shared))


def source_problems(content: ContentFile, sources: Path = SOURCES_DIR) -> tuple[list[str], str]:
    """What the source document disagrees with, as 'file: field: what to do'; and the document's SHA-256."""
    procedure = content.procedure
    name, document = procedure.file_name, procedure.source.document
    path = Path(sources) / document
    if not path.is_file():
        return [f"{name}: source.document: '{document}' is not in {sources}. Put the NICE text there, "
                "under that name, so its figures can be traced"], ""
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
        source = read_public_information(text) if is_public_information(text) else read_guidance(text)
    except (UnicodeDecodeError, GuidanceError) as problem:
        return [f"{name}: source.document: '{document}' cannot be read: {problem}. Put NICE's own text there"], sha256
    problems = _details_problems(procedure, source)
    if isinstance(source, PublicInformation) and procedure.outcomes:
        problems.append(f"{name}: outcomes: '{document}' is information for the public, which has no numbered "
                        "sections to cite. Cite the guidance it comes from instead")
    elif isinstance(source, Guidance):
        problems += [f"{name}: outcomes[{i}]: {problem}. Copy the figure exactly from the section it cites"
                     for i, outcome in enumerate(procedure.outcomes) if (problem := trace(outcome, source))]
    return problems, sha256


def _details_problems(procedure: Procedure, source: Guidance | PublicInformation) -> list[str]:
    """The file's [source] table against what the document says of itself."""
    given = procedure.source
    found = []
    for field, written, stated in (("title", given.title, source.title), ("kind", given.kind, source.kind),
                                   ("guidance_id", given.guidance_id, source.guidance_id)):
        if written.casefold() != stated.casefold():
            found.append(f"{procedure.file_name}: source.{field}: is '{written}', but the document says "
                         f"'{stated}'. Copy it from the document")
    if given.updated != source.updated:
        stated = f'"{source.updated}" ({month_year(source.updated.first_day)})' if source.updated else '""'
        found.append(f"{procedure.file_name}: source.updated: is \"{given.updated or ''}\", but the document's "
                     f"latest update is {stated}. Write {stated.split(' (')[0]}")
    elif given.updated and given.updated.written_out:
        found.append(f"{procedure.file_name}: source.updated: write the month as \"{given.updated}\", "
                     "the year and month in numbers: pages say it in their own language")
    if given.published != source.published:
        found.append(f"{procedure.file_name}: source.published: is {given.published}, but the document was "
                     f"published on {long_date(source.published)}. Write {source.published.isoformat()}")
    return found


def denominator_problems(procedure: Procedure) -> list[str]:
    """Outcomes shown under one heading share a denominator, or the page says they come from different groups."""
    found = []
    for effect in EFFECTS:
        denominators = sorted({o.denominator for o in procedure.outcomes_of(effect)})
        said = getattr(procedure.different_groups, effect)
        field = f"{procedure.file_name}: different_groups.{effect}"
        if len(denominators) > 1 and not said:
            counts = ", ".join(map(str, denominators[:-1])) + f" and {denominators[-1]}"
            found.append(f"{field}: the {SHOWN_AS[effect]} are out of {counts} people, so they cannot be compared "
                         "as they stand. Say in plain words that they come from different groups of people")
        elif len(denominators) <= 1 and said:
            group = f"one group of {denominators[0]} people" if denominators else "no outcomes at all"
            found.append(f"{field}: the {SHOWN_AS[effect]} all come from {group}. Remove this, or the page "
                         "says something untrue")
    return found


def date_problems(procedure: Procedure, today: date, is_live: bool = False) -> list[str]:
    """A review-by date that has not passed, within REVIEW_WITHIN_YEARS, and after the source was published."""
    field = f"{procedure.file_name}: review_by"
    review_by = procedure.review_by
    if review_by is None:
        return [f"{field}: is missing. Add the date by which this file must be checked against NICE again, "
                f"as YYYY-MM-DD with no quotes, no more than {REVIEW_WITHIN_YEARS} years from now"]
    latest = _years_after(today, REVIEW_WITHIN_YEARS)
    if review_by < procedure.source.published:
        return [f"{field}: {long_date(review_by)} is before the source was published "
                f"({long_date(procedure.source.published)}). Check the date"]
    if review_by < today and not is_live:
        return [f"{field}: {long_date(review_by)} has passed. Check the file against the latest NICE guidance, "
                "then set a new review-by date"]
    if review_by > latest:
        return [f"{field}: {long_date(review_by)} is more than {REVIEW_WITHIN_YEARS} years away. Set a date "
                f"on or before {long_date(latest)}, so the file is checked against NICE again in time"]
    return []


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)  # 29 February, in a year without one
