"""Reading procedure files: TOML, checked field by field, every problem named at once.

The same reader turns a file on disk and a published version's stored text
into a Procedure, so a version reads back exactly as it was published.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import (
    EFFECTS,
    OUTCOME_KINDS,
    Alternative,
    CitedText,
    ContentError,
    DifferentGroups,
    Outcome,
    Procedure,
    Question,
    Source,
    Statement,
    SupportContact,
    YearMonth,
)
from .categories import CATEGORIES
from .drafting import todos
from .schema import Reader
from .translations import (
    LANGUAGES,
    is_translation,
    procedure_fields,
    question_fields,
    read_translation,
    translation_path,
)
from .translations import problems as translation_field_problems

PACKAGE_DIR = Path(__file__).parent
PROCEDURES_DIR = PACKAGE_DIR / "procedures"
STANDARD_QUESTIONS_FILE = PACKAGE_DIR / "standard-questions.toml"


@dataclass(frozen=True)
class ContentFile:
    """A procedure file as an editor left it: its text, and the Procedure it reads as.

    `translations` holds, by language, the texts of the translation files
    beside it and beside the standard questions: (procedure's, standard's),
    either "" when there is none.
    """

    procedure: Procedure
    text: str
    standard_text: str
    # The SHA-256 of the source document its figures were traced in, once the content check has read it.
    source_sha256: str = ""
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Of the file, the standard questions and their translations: a change to any is new content."""
        texts = [self.text, self.standard_text]
        for language, (own, shared) in sorted(self.translations.items()):
            texts += [language, own, shared]  # a version with no translation hashes as it always did
        return hashlib.sha256("\0".join(texts).encode()).hexdigest()


def read_procedure(text: str, standard_text: str, file_name: str,
                   standard_name: str = STANDARD_QUESTIONS_FILE.name) -> Procedure:
    """One procedure from its file's text and the standard questions' text; ContentError names every problem."""
    errors: list[str] = []
    standard = _standard_questions(standard_text, standard_name, errors)
    procedure = _procedure_file(text, file_name, standard, errors)
    if errors:
        raise ContentError("Content files have problems:\n" + "\n".join(f"- {e}" for e in errors))
    return procedure


@dataclass(frozen=True)
class FileRead:
    """One file of a folder: what it reads as (None if it cannot be read) and its problems."""

    path: Path
    content: ContentFile | None
    problems: tuple[str, ...]


def read_files(folder: Path = PROCEDURES_DIR, standard_file: Path = STANDARD_QUESTIONS_FILE,
               only: list[Path] | None = None) -> tuple[list[FileRead], list[str]]:
    """Every procedure file in a folder (or just `only`) with its problems; and the problems of no one file."""
    shared: list[str] = []
    standard_text = _text(standard_file, shared)
    standard = _standard_questions(standard_text, standard_file.name, shared) if standard_text is not None else ()
    paths = only if only is not None else sorted(p for p in Path(folder).glob("*.toml") if not is_translation(p))
    if not paths:
        shared.append(f"{folder}: no procedure files (*.toml) found")
    read = []
    for path in paths:
        errors: list[str] = []
        text = _text(path, errors)
        procedure = _procedure_draft(text, path.name, standard, errors) if text is not None else None
        content = (ContentFile(procedure, text, standard_text, translations=_translations(path, standard_file))
                   if procedure and not errors and standard_text else None)
        read.append(FileRead(path, content, tuple(errors)))
    return read, shared


def read_folder(folder: Path = PROCEDURES_DIR, standard_file: Path = STANDARD_QUESTIONS_FILE,
                only: list[Path] | None = None) -> tuple[list[ContentFile], list[str]]:
    """Every procedure file in a folder (or just `only`) that reads cleanly, and every problem found in any of them."""
    read, errors = read_files(folder, standard_file, only)
    found = [f.content for f in read if f.content]
    return sorted(found, key=lambda f: f.procedure.title), errors + [p for f in read for p in f.problems]


def _procedure_draft(text: str, file_name: str, standard: tuple[Question, ...], errors: list[str]) -> Procedure | None:
    """A file that may still be a draft: its TODOs named, rather than every type they break."""
    if _toml(text, file_name, errors) is None:
        return None
    unwritten = todos(text)
    if unwritten:
        errors += [f"{file_name}: {field}: is still a TODO. Write it, as the TODO says" for field in unwritten]
        return None
    return _procedure_file(text, file_name, standard, errors)


def translation_problems(content: ContentFile, standard_file: Path = STANDARD_QUESTIONS_FILE) -> list[str]:
    """Every stale, missing or wrong field of a procedure's translations and of the standard questions'."""
    procedure, found = content.procedure, []
    for language in LANGUAGES:
        own, shared = content.translations.get(language, ("", ""))
        for text, path, english in ((own, Path(procedure.file_name), procedure_fields(procedure)),
                                    (shared, standard_file, question_fields(procedure.standard_questions))):
            name = translation_path(path, language).name
            read = read_translation(text, name, found) if text else None
            if text and read is None:
                continue  # its form is wrong: the errors say so, field by field
            found += translation_field_problems(name, english, read)
    return found


def _translations(path: Path, standard_file: Path) -> dict[str, tuple[str, str]]:
    """The texts of the translation files beside a procedure file and the standard questions, by language."""
    found = {}
    for language in LANGUAGES:
        texts = tuple(_optional_text(translation_path(p, language)) for p in (path, standard_file))
        if any(texts):
            found[language] = texts
    return found


def _optional_text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _text(path: Path, errors: list[str]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.append(f"{path.name}: no such file")
    except UnicodeDecodeError:
        errors.append(f"{path.name}: not UTF-8 text")
    return None


def _toml(text: str, file_name: str, errors: list[str]) -> dict | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        errors.append(f"{file_name}: not valid TOML: {exc}")
        return None


def _standard_questions(text: str, file_name: str, errors: list[str]) -> tuple[Question, ...]:
    data = _toml(text, file_name, errors)
    if data is None:
        return ()
    r = Reader(data, file_name, errors)
    standard = _questions(r, "questions")
    r.unique("questions", [q.id for q in standard])
    r.finish()
    return standard


def _procedure_file(text: str, file_name: str, standard: tuple[Question, ...], errors: list[str]) -> Procedure | None:
    data = _toml(text, file_name, errors)
    if data is None:
        return None
    before = len(errors)
    procedure = _procedure(Reader(data, file_name, errors), file_name, standard)
    if len(errors) > before:
        return None
    stem = file_name.removesuffix(".toml")
    if procedure.slug != stem:
        errors.append(f"{file_name}: slug: is '{procedure.slug}', but must match the file name '{stem}'")
    clash = {q.id for q in standard} & {q.id for q in procedure.questions}
    if clash:
        errors.append(f"{file_name}: questions: ids {sorted(clash)} are already standard questions")
    if not procedure.category_info.offered:
        errors.append(f"{file_name}: category: NICE says 'do not use', so this procedure cannot be offered to "
                      "patients. Remove the file to stop offering it")
    return procedure


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
        updated=_year_month(s, "updated"),
        url=s.url("url"),
        document=s.text("document"),
    )


def _year_month(r: Reader, field: str) -> YearMonth | None:
    """An optional month, written "2026-01"; empty or absent for none."""
    text = r.text(field, required=False) or ""
    if not text.strip():
        return None
    month = YearMonth.parse(text)
    if month is None:
        r.error(field, f"is '{text}'. Write the year and month as in \"2026-01\", or \"\" for none")
    return month


def _outcome(r: Reader) -> Outcome:
    numerator = r.count("numerator")
    denominator = r.count("denominator", minimum=1)
    if numerator is not None and denominator is not None and numerator > denominator:
        r.error("numerator", f"is {numerator}, more than the denominator ({denominator})")
    percent = r.number("percent", required=False)
    if percent is not None and not 0 <= percent <= 100:
        r.error("percent", f"is {percent}, but a percentage is from 0 to 100")
    elif None not in (numerator, denominator, percent) and denominator:
        # The source's rounded percentage must agree with its own counts.
        exact = 100 * numerator / denominator
        if abs(exact - percent) > 1:
            r.error("percent", f"is {percent:g}, but {numerator} of {denominator} is {exact:.1f}%. Copy the "
                               "percentage and the counts exactly as the source gives them")
    kind, effect = r.choice("kind", OUTCOME_KINDS), r.choice("effect", EFFECTS)
    if kind == "safety" and effect not in (None, "harm"):
        r.error("effect", f"is '{effect}', but a safety outcome counts a harm: make it 'harm'")
    if kind == "efficacy" and effect == "harm":
        r.error("effect", "is 'harm', but an efficacy outcome counts a 'benefit' or a 'failure'")
    return Outcome(
        kind=kind,
        effect=effect,
        label=r.text("label"),
        numerator=numerator,
        denominator=denominator,
        percent=percent,
        study=r.text("study"),
        caveat=r.text("caveat", required=False),
        cite=r.text("cite"),
    )


def _different_groups(r: Reader) -> DifferentGroups:
    return DifferentGroups(**{effect: r.text(effect, required=False) for effect in EFFECTS})


def _procedure(r: Reader, file_name: str, standard: tuple[Question, ...]) -> Procedure:
    procedure = Procedure(
        slug=r.slug("slug"),
        title=r.text("title"),
        short_title=r.text("short_title"),
        summary=r.text("summary"),
        category=r.choice("category", tuple(CATEGORIES)),
        review_by=r.date("review_by", required=False),
        source=_source(r),
        what_happens=r.texts("what_happens"),
        evidence_status=r.text("evidence_status"),
        outcomes=tuple(_outcome(o) for o in r.tables("outcomes", required=False)),
        different_groups=_different_groups(r.table("different_groups", required=False)),
        other_problems=tuple(CitedText(text=p.text("text"), cite=p.text("cite"))
                             for p in r.tables("other_problems", required=False)),
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
            SupportContact(name=c.text("name"), description=c.text("description"),
                           phone=c.text("phone", required=False))
            for c in r.tables("support_contacts", required=False)
        ),
        standard_questions=standard,
        file_name=file_name,
    )
    r.unique("questions", [q.id for q in procedure.questions])
    r.unique("consent_points", [c.id for c in procedure.consent_points])
    r.unique("what_matters", [s.id for s in procedure.what_matters])
    r.finish()
    return procedure
