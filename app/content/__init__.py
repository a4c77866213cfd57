"""Procedures as data: TOML files read and validated once, at start-up.

A file that breaks a rule stops the app with a message naming the file, the
field and what is wrong, so a content editor never ships a half-read procedure.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .schema import Reader

PACKAGE_DIR = Path(__file__).parent
PROCEDURES_DIR = PACKAGE_DIR / "procedures"
STANDARD_QUESTIONS_FILE = PACKAGE_DIR / "standard-questions.toml"

# NICE's four recommendation categories and what each means for a patient.
CATEGORIES = ("standard", "special arrangements", "research only", "do not use")
OUTCOME_KINDS = ("efficacy", "safety")


class ContentError(Exception):
    """One or more content files break the rules; the message lists every problem."""


@dataclass(frozen=True)
class Source:
    publisher: str
    kind: str
    guidance_id: str
    title: str
    published: date
    updated: str
    url: str
    document: str


@dataclass(frozen=True)
class Outcome:
    kind: str
    label: str
    numerator: int
    denominator: int
    percent: int
    study: str
    caveat: str
    cite: str

    @property
    def per_100(self) -> int:
        """The source's own rounded percentage, so page and source never disagree."""
        return self.percent


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
    category_meaning: str
    source: Source
    what_happens: tuple[str, ...]
    evidence_status: str
    outcomes: tuple[Outcome, ...]
    uncertainties: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    not_having: str
    questions: tuple[Question, ...]
    consent_points: tuple[Statement, ...]
    what_matters: tuple[Statement, ...]
    support_contacts: tuple[SupportContact, ...]
    version: str
    file_name: str

    def outcomes_of(self, kind: str) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.kind == kind)


@dataclass(frozen=True)
class Catalogue:
    """Every procedure the service offers, keyed by slug, in title order."""

    procedures: dict[str, Procedure]
    standard_questions: tuple[Question, ...]

    def __iter__(self):
        return iter(self.procedures.values())

    def get(self, slug: str) -> Procedure | None:
        return self.procedures.get(slug)

    def questions_for(self, procedure: Procedure) -> tuple[Question, ...]:
        """The shared standard questions, then the procedure's own."""
        return self.standard_questions + procedure.questions


def content_version(raw: bytes) -> str:
    """A short hash of the file: answer sets record which text the patient saw."""
    return hashlib.sha256(raw).hexdigest()[:12]


def _read_toml(path: Path, errors: list[str]) -> tuple[dict, bytes] | None:
    raw = path.read_bytes()
    try:
        return tomllib.loads(raw.decode("utf-8")), raw
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        errors.append(f"{path.name}: not valid TOML: {exc}")
        return None


def _questions(r: Reader, field: str) -> tuple[Question, ...]:
    return tuple(Question(id=q.slug("id"), text=q.text("text")) for q in r.tables(field))


def _statements(r: Reader, field: str) -> tuple[Statement, ...]:
    return tuple(Statement(id=s.slug("id"), text=s.text("text")) for s in r.tables(field))


def _source(r: Reader) -> Source:
    s = r.table("source")
    return Source(
        publisher=s.text("publisher"),
        kind=s.text("kind"),
        guidance_id=s.text("guidance_id", required=False),
        title=s.text("title"),
        published=s.date("published"),
        updated=s.text("updated", required=False),
        url=s.url("url"),
        document=s.text("document"),
    )


def _outcome(r: Reader) -> Outcome:
    numerator = r.count("numerator")
    denominator = r.count("denominator", minimum=1)
    if numerator is not None and denominator is not None and numerator > denominator:
        r.error("numerator", f"is {numerator}, more than the denominator ({denominator})")
    percent = r.count("percent")
    if None not in (numerator, denominator, percent) and denominator:
        # The source's rounded percentage must agree with its own counts.
        exact = 100 * numerator / denominator
        if abs(exact - percent) > 1:
            r.error("percent", f"is {percent}, but {numerator} of {denominator} is {exact:.1f}%")
    return Outcome(
        kind=r.choice("kind", OUTCOME_KINDS),
        label=r.text("label"),
        numerator=numerator,
        denominator=denominator,
        percent=percent,
        study=r.text("study"),
        caveat=r.text("caveat", required=False),
        cite=r.text("cite"),
    )


def _procedure(r: Reader, version: str, file_name: str) -> Procedure:
    procedure = Procedure(
        slug=r.slug("slug"),
        title=r.text("title"),
        short_title=r.text("short_title"),
        summary=r.text("summary"),
        category=r.choice("category", CATEGORIES),
        category_meaning=r.text("category_meaning"),
        source=_source(r),
        what_happens=r.texts("what_happens"),
        evidence_status=r.text("evidence_status"),
        outcomes=tuple(_outcome(o) for o in r.tables("outcomes", required=False)),
        uncertainties=r.texts("uncertainties"),
        alternatives=tuple(
            Alternative(name=a.text("name"), description=a.text("description"))
            for a in r.tables("alternatives", required=False)
        ),
        not_having=r.text("not_having"),
        questions=_questions(r, "questions"),
        consent_points=_statements(r, "consent_points"),
        what_matters=_statements(r, "what_matters"),
        support_contacts=tuple(
            SupportContact(
                name=c.text("name"),
                description=c.text("description"),
                phone=c.text("phone", required=False),
            )
            for c in r.tables("support_contacts", required=False)
        ),
        version=version,
        file_name=file_name,
    )
    r.unique("questions", [q.id for q in procedure.questions])
    r.unique("consent_points", [c.id for c in procedure.consent_points])
    r.unique("what_matters", [s.id for s in procedure.what_matters])
    r.finish()
    return procedure


def load_catalogue(
    procedures_dir: Path = PROCEDURES_DIR, standard_questions_file: Path = STANDARD_QUESTIONS_FILE
) -> Catalogue:
    """Read and validate every content file; raise ContentError listing all problems."""
    errors: list[str] = []
    standard: tuple[Question, ...] = ()
    parsed = _read_toml(standard_questions_file, errors)
    if parsed:
        r = Reader(parsed[0], standard_questions_file.name, errors)
        standard = _questions(r, "questions")
        r.unique("questions", [q.id for q in standard])
        r.finish()

    procedures: dict[str, Procedure] = {}
    files = sorted(Path(procedures_dir).glob("*.toml"))
    if not files:
        errors.append(f"{procedures_dir}: no procedure files (*.toml) found")
    for path in files:
        parsed = _read_toml(path, errors)
        if not parsed:
            continue
        data, raw = parsed
        before = len(errors)
        r = Reader(data, path.name, errors)
        procedure = _procedure(r, content_version(raw), path.name)
        if len(errors) > before:
            continue
        if procedure.slug != path.stem:
            errors.append(f"{path.name}: slug: is '{procedure.slug}', but must match the file name '{path.stem}'")
        clash = {q.id for q in standard} & {q.id for q in procedure.questions}
        if clash:
            errors.append(f"{path.name}: questions: ids {sorted(clash)} are already standard questions")
        procedures[procedure.slug] = procedure

    if errors:
        raise ContentError("Content files have problems:\n" + "\n".join(f"- {e}" for e in errors))
    ordered = dict(sorted(procedures.items(), key=lambda item: item[1].title))
    return Catalogue(procedures=ordered, standard_questions=standard)
