"""Translations of a procedure's content, field by field, each tied to the English it translates.

A translation file sits beside the file it translates, named for its
language: `liver-laser-ablation.cy.toml` beside `liver-laser-ablation.toml`,
`standard-questions.cy.toml` beside `standard-questions.toml`. Each of its
fields names an English field (`summary`, `what_happens[0]`,
`questions.risks`) and records a short hash of the English it was translated
from. When the English of a field changes, its hash no longer matches: that
field is stale. A stale or missing field is shown in English, never as an
old translation of words that have changed, and `flask content check` names
it.

A translation also says whether a qualified translator has checked it, who
and when; until then the pages say that the translation is unchecked.

Pure: texts in, results out. No app, no database.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import Procedure, Question
from .schema import Reader

# The languages content can be translated into, by their code, with the name the content check uses.
LANGUAGES = {"cy": "Welsh"}
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def english_hash(text: str) -> str:
    """Of the English as a reader sees it: spacing and line breaks in the file do not count."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def translation_path(path: Path, language: str) -> Path:
    """Where the `language` translation of a content file lives: beside it."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


def is_translation(path: Path) -> bool:
    """Whether a .toml file is a translation (name.cy.toml), not a content file of its own."""
    return Path(path.stem).suffix.lstrip(".") in LANGUAGES


class InEnglish(str):
    """A field shown in English on a page in another language, because its translation is stale or missing.

    Pages mark it as English (lang="en") with a note, in the page's
    language, that this part is not yet translated.
    """

    lang = "en"


# The English of a procedure, by field.


def procedure_fields(procedure: Procedure) -> dict[str, str]:
    """Every field of a procedure file a patient reads, by its path: what a translation must cover."""
    fields = {name: getattr(procedure, name)
              for name in ("title", "short_title", "summary", "evidence_status", "not_having")}
    for name in ("what_happens", "uncertainties"):
        fields.update({f"{name}[{i}]": text for i, text in enumerate(getattr(procedure, name))})
    for i, outcome in enumerate(procedure.outcomes):
        fields.update({f"outcomes[{i}].{part}": getattr(outcome, part) for part in ("label", "study", "caveat")
                       if getattr(outcome, part)})
    fields.update({f"different_groups.{effect}": getattr(procedure.different_groups, effect)
                   for effect in ("benefit", "failure", "harm") if getattr(procedure.different_groups, effect)})
    fields.update({f"other_problems[{i}].text": p.text for i, p in enumerate(procedure.other_problems)})
    for i, alternative in enumerate(procedure.alternatives):
        fields.update({f"alternatives[{i}].name": alternative.name,
                       f"alternatives[{i}].description": alternative.description})
    for i, contact in enumerate(procedure.support_contacts):
        fields.update({f"support_contacts[{i}].name": contact.name,
                       f"support_contacts[{i}].description": contact.description})
    for name in ("questions", "consent_points", "what_matters"):
        fields.update({f"{name}.{entry.id}": entry.text for entry in getattr(procedure, name)})
    return fields


def question_fields(questions: tuple[Question, ...]) -> dict[str, str]:
    """The standard questions' English, by path."""
    return {f"questions.{q.id}": q.text for q in questions}


# Reading a translation file.


@dataclass(frozen=True)
class TranslatedField:
    english: str  # the hash of the English it translates
    text: str


@dataclass(frozen=True)
class Translation:
    language: str
    file_name: str
    fields: dict[str, TranslatedField]
    checked_by: str = ""
    checked_on: date | None = None

    @property
    def checked(self) -> bool:
        """Whether a qualified translator has checked it (who and when are both recorded)."""
        return bool(self.checked_by and self.checked_on)


def read_translation(text: str, file_name: str, errors: list[str]) -> Translation | None:
    """A translation file's fields; problems of form (not staleness) go to `errors` as "file: field: what"."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        errors.append(f"{file_name}: not valid TOML: {exc}")
        return None
    before = len(errors)
    r = Reader(data, file_name, errors)
    language = r.choice("language", tuple(LANGUAGES))
    checked_by = r.text("checked_by", required=False)
    checked_on = r.date("checked_on") if "checked_on" in data else None
    r.seen.add("checked_on")
    if bool(checked_by) != bool(checked_on):
        r.error("checked_by", "say both who checked the translation (checked_by) and when (checked_on), or neither")
    fields: dict[str, TranslatedField] = {}
    for entry in r.tables("fields"):
        path, english, translated = entry.text("field"), entry.text("english"), entry.text("text")
        if path in fields:
            entry.error("field", f"'{path}' is translated twice")
        elif path and english and translated:
            fields[path] = TranslatedField(english, translated)
    r.finish()
    if len(errors) > before:
        return None
    return Translation(language, file_name, fields, checked_by, checked_on)


# How a translation stands against the English it translates.


@dataclass(frozen=True)
class Coverage:
    """Which fields a translation gives now, and which it cannot."""

    current: dict[str, str]  # path: translated text, for English that has not changed
    stale: tuple[str, ...]  # translated from English that has changed since
    missing: tuple[str, ...]  # never translated
    unknown: tuple[str, ...]  # in the translation, but the English has no such field
    numbers: tuple[str, ...]  # current, but its numbers are not the English's

    @property
    def complete(self) -> bool:
        return not (self.stale or self.missing or self.unknown or self.numbers)


def coverage(english: dict[str, str], translation: Translation | None) -> Coverage:
    """Compare a translation with the English it is meant to translate, field by field."""
    given = translation.fields if translation else {}
    current, stale, missing, numbers = {}, [], [], []
    for path, text in english.items():
        field = given.get(path)
        if field is None:
            missing.append(path)
        elif field.english != english_hash(text):
            stale.append(path)
        elif _numbers(text) != _numbers(field.text):
            numbers.append(path)  # shown in English: a number must never change in translation
        else:
            current[path] = field.text
    unknown = tuple(path for path in given if path not in english)
    return Coverage(current, tuple(stale), tuple(missing), unknown, tuple(numbers))


def _numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text))


def problems(file_name: str, english: dict[str, str], translation: Translation | None) -> list[str]:
    """What the content check says about one translation: every stale, missing or wrong field, by name."""
    found = coverage(english, translation)
    return ([f"{file_name}: {path}: stale: the English has changed since it was translated. "
             f"Translate it again and record the new hash {english_hash(english[path])}" for path in found.stale]
            + [f"{file_name}: {path}: missing: not translated yet (English hash {english_hash(english[path])})"
               for path in found.missing]
            + [f"{file_name}: {path}: no such English field to translate" for path in found.unknown]
            + [f"{file_name}: {path}: its numbers are not the English's; copy each number exactly"
               for path in found.numbers])


# A procedure in another language.


@dataclass(frozen=True)
class Translated:
    """A procedure with every field in the translation's language that can be; the rest stays English."""

    procedure: Procedure
    language: str
    in_english: tuple[str, ...]  # the paths shown in English: stale or missing
    checked: bool
    checked_by: str = ""
    checked_on: date | None = None
    # For the staff's content pages: how it stands, field by field (procedure's and standard questions').
    stale: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()  # translated, but with numbers that are not the English's
    fields: int = 0  # how many fields there are to translate
    has_file: bool = False  # whether the procedure has a translation file of its own
    standard_checked: bool = False  # whether a translator has checked the standard questions' translation


def translate(procedure: Procedure, translation: Translation | None, standard: Translation | None,
              language: str) -> Translated:
    """`procedure` with its own fields from `translation` and its standard questions from `standard`.

    A field whose translation is stale or missing keeps its English, marked
    InEnglish, so a page can say so; ids, numbers, dates and links are never
    translated.
    """
    own, shared = coverage(procedure_fields(procedure), translation), coverage(
        question_fields(procedure.standard_questions), standard)
    in_english = [path for found in (own, shared) for path in (*found.stale, *found.missing, *found.numbers)]

    def text(path: str, english: str, found: Coverage = own) -> str:
        return found.current[path] if path in found.current else InEnglish(english)

    def listed(name: str) -> tuple[str, ...]:
        return tuple(text(f"{name}[{i}]", t) for i, t in enumerate(getattr(procedure, name)))

    def entries(name: str, found: Coverage = own, values=None) -> tuple:
        return tuple(dataclasses.replace(e, text=text(f"{name}.{e.id}", e.text, found))
                     for e in (values if values is not None else getattr(procedure, name)))

    welsh = dataclasses.replace(
        procedure,
        **{name: text(name, getattr(procedure, name))
           for name in ("title", "short_title", "summary", "evidence_status", "not_having")},
        what_happens=listed("what_happens"),
        uncertainties=listed("uncertainties"),
        outcomes=tuple(dataclasses.replace(o, **{part: text(f"outcomes[{i}].{part}", getattr(o, part))
                                                 for part in ("label", "study", "caveat") if getattr(o, part)})
                       for i, o in enumerate(procedure.outcomes)),
        different_groups=dataclasses.replace(procedure.different_groups, **{
            effect: text(f"different_groups.{effect}", getattr(procedure.different_groups, effect))
            for effect in ("benefit", "failure", "harm") if getattr(procedure.different_groups, effect)}),
        other_problems=tuple(dataclasses.replace(p, text=text(f"other_problems[{i}].text", p.text))
                             for i, p in enumerate(procedure.other_problems)),
        alternatives=tuple(dataclasses.replace(a, name=text(f"alternatives[{i}].name", a.name),
                                               description=text(f"alternatives[{i}].description", a.description))
                           for i, a in enumerate(procedure.alternatives)),
        support_contacts=tuple(
            dataclasses.replace(c, name=text(f"support_contacts[{i}].name", c.name),
                                description=text(f"support_contacts[{i}].description", c.description))
            for i, c in enumerate(procedure.support_contacts)),
        questions=entries("questions"),
        consent_points=entries("consent_points"),
        what_matters=entries("what_matters"),
        standard_questions=entries("questions", shared, procedure.standard_questions),
    )
    checked = bool(translation and translation.checked and (standard is None or standard.checked))
    return Translated(welsh, language, tuple(in_english), checked,
                      translation.checked_by if translation else "", translation.checked_on if translation else None,
                      stale=(*own.stale, *shared.stale), missing=(*own.missing, *shared.missing),
                      numbers=(*own.numbers, *shared.numbers),
                      fields=len(procedure_fields(procedure)) + len(procedure.standard_questions),
                      has_file=translation is not None, standard_checked=bool(standard and standard.checked))


def translations_of(procedure: Procedure, texts: dict[str, tuple[str, str]]) -> dict[str, Translated]:
    """The procedure in each language it has translation texts for (procedure's, standard questions'), by code.

    Problems of form were refused when the texts were checked; a text that
    cannot be read leaves its fields in English rather than stopping a page.
    """
    found = {}
    for language, (own, shared) in texts.items():
        ignored: list[str] = []
        translation = read_translation(own, f"{language}.toml", ignored) if own else None
        standard = read_translation(shared, f"{language}.toml", ignored) if shared else None
        found[language] = translate(procedure, translation, standard, language)
    return found
