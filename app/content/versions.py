"""Published versions of procedures: stored once, whole, and never changed under a patient.

Publishing (`flask content publish`, which `make run` runs) reads the files,
checks them, and stores each new version as a ContentVersion row holding the
file's text, the standard questions' text and the questionnaire's wording.
It is a command, not something start-up does: with several app servers,
start-up publishing would race, a restart would change what patients see
without anyone deciding it, and a file that breaks a rule would stop the
service instead of being refused.

The app reads versions from the database and keeps each one once read:
a version never changes, so it is never read twice by one process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import undefer

from ..extensions import db
from ..models import AnswerSet, ContentVersion, PublishedProcedure, utcnow
from ..questionnaire.structure import Definition, Questionnaire, resolve
from . import Procedure
from .files import ContentFile, read_procedure
from .schema import SLUG
from .translations import Translated, translations_of


@dataclass(frozen=True)
class Version:
    """A published version as the app uses it: the procedure, its questionnaire, and when it was published.

    A file not yet published can be one too (`unpublished`), to preview it and
    compare it before it is: its id is 0 and it has no publishing time.
    """

    id: int
    procedure: Procedure
    questionnaire: Questionnaire
    snapshot: list[dict]
    published_at: datetime | None
    published_by: str
    source_sha256: str = ""
    language: str = "en"
    # How a translated version reads: what is in English because it is not translated (content/translations.py).
    translation: Translated | None = None
    # This version in each language it is translated into, by code.
    translated: dict[str, Version] = field(default_factory=dict, compare=False, repr=False)

    def in_language(self, language: str) -> Version:
        """This version as a patient reads it in `language`: the same items and ids, in that language's words."""
        return self.translated.get(language, self)

    @property
    def version(self) -> str:
        return self.procedure.version

    @property
    def slug(self) -> str:
        return self.procedure.slug


def version_of(content: ContentFile, questionnaire: Questionnaire) -> str:
    """The version's id: a short hash of the texts and of the questionnaire's wording, so any change is new."""
    return hashlib.sha256(f"{content.content_hash}\0{questionnaire.fingerprint}".encode()).hexdigest()[:12]


class Versions:
    """The versions one app has read, each kept once read (they never change)."""

    def __init__(self, definition: Definition):
        self.definition = definition
        self._kept: dict[int, Version] = {}

    def forget(self) -> None:
        """Read every version afresh: only for tests, whose databases start again between tests."""
        self._kept.clear()

    def get(self, version_id: int) -> Version:
        kept = self._kept.get(version_id)
        if kept is None:
            # Its texts in the same query: they are deferred for every other reader of the table.
            row = db.session.get(ContentVersion, version_id, options=[undefer("*")])
            kept = self._kept[version_id] = self._read(row)
        return kept

    def _read(self, row: ContentVersion) -> Version:
        procedure = read_procedure(row.procedure_text, row.standard_questions_text, row.file_name)
        procedure = replace(procedure, version=row.version)
        version = Version(row.id, procedure, resolve(self.definition, procedure), row.questionnaire,
                          row.published_at, row.published_by, row.source_sha256 or "")
        return with_translations(version, _texts(row.translations), self.definition)

    def live(self) -> list[Version]:
        """Every procedure a patient can start now, in title order."""
        rows = db.session.scalars(
            sa.select(PublishedProcedure.version_id).where(PublishedProcedure.withdrawn_at.is_(None)))
        return sorted((self.get(version_id) for version_id in rows), key=lambda v: v.procedure.title)

    def live_for(self, slug: str) -> Version | None:
        if not SLUG.match(slug):
            return None  # before the query: PostgreSQL refuses text with a NUL in it, as a 500
        version_id = db.session.scalar(sa.select(PublishedProcedure.version_id).where(
            PublishedProcedure.slug == slug, PublishedProcedure.withdrawn_at.is_(None)))
        return self.get(version_id) if version_id else None

    def of(self, answer_set: AnswerSet) -> Version:
        """The version an answer set follows. One started before versions were kept follows its procedure's first."""
        if answer_set.content_version_id is not None:
            return self.get(answer_set.content_version_id)
        first = db.session.scalar(sa.select(sa.func.min(ContentVersion.id)).where(
            ContentVersion.slug == answer_set.procedure_slug))
        if first is None:
            raise LookupError(f"No published version of {answer_set.procedure_slug} for {answer_set.reference}")
        return self.get(first)

    def of_procedure(self, slug: str) -> list[Version]:
        """Every version of a procedure ever published, newest first."""
        if not SLUG.match(slug):
            return []
        ids = db.session.scalars(sa.select(ContentVersion.id).where(ContentVersion.slug == slug)
                                 .order_by(ContentVersion.id.desc()))
        return [self.get(version_id) for version_id in ids]


def unpublished(content: ContentFile, definition: Definition) -> Version:
    """A file as it would be published: for previewing it and comparing it with what patients see now."""
    procedure = replace(content.procedure, version=version_of(content, resolve(definition, content.procedure)))
    questionnaire = resolve(definition, procedure)
    version = Version(0, procedure, questionnaire, questionnaire.snapshot, None, "", content.source_sha256)
    return with_translations(version, content.translations, definition)


def with_translations(version: Version, texts: dict[str, tuple[str, str]], definition: Definition) -> Version:
    """The version, knowing how it reads in each language it has translation texts for."""
    translated = {language: replace(version, procedure=t.procedure, language=language, translation=t,
                                    questionnaire=resolve(definition, t.procedure))
                  for language, t in translations_of(version.procedure, texts).items()}
    return replace(version, translated=translated)


def is_overdue(review_by: date | None, today: date) -> bool:
    """A version is due for review once its review-by date has passed (or if it was published without one)."""
    return review_by is None or review_by < today


def overdue(today: date) -> list[ContentVersion]:
    """The versions patients start on now that are due for review, in title order: flagged, and still served."""
    live = sa.select(PublishedProcedure.version_id).where(PublishedProcedure.withdrawn_at.is_(None))
    return list(db.session.scalars(
        sa.select(ContentVersion).where(ContentVersion.id.in_(live),
                                        sa.or_(ContentVersion.review_by.is_(None), ContentVersion.review_by < today))
        .order_by(ContentVersion.title)))


def live_versions() -> dict[str, str]:
    """The version each procedure's patients start on now, by slug: what the content check holds apart."""
    rows = db.session.execute(sa.select(PublishedProcedure.slug, ContentVersion.version).join(ContentVersion)
                              .where(PublishedProcedure.withdrawn_at.is_(None)))
    return {slug: version for slug, version in rows}


def _texts(stored: dict | None) -> dict[str, tuple[str, str]]:
    """A row's translations: by language, the procedure's and the standard questions' translation texts."""
    return {language: (texts.get("procedure", ""), texts.get("standard_questions", ""))
            for language, texts in (stored or {}).items()}


def versions() -> Versions:
    """This app's versions (app.extensions, made by create_app)."""
    return current_app.extensions["versions"]


def version_row(content: ContentFile, definition: Definition, actor: str) -> ContentVersion:
    """The row that keeps this file's version for ever."""
    procedure = content.procedure
    questionnaire = resolve(definition, procedure)
    return ContentVersion(version=version_of(content, questionnaire), slug=procedure.slug, title=procedure.title,
                          file_name=procedure.file_name, procedure_text=content.text,
                          standard_questions_text=content.standard_text, questionnaire=questionnaire.snapshot,
                          translations={language: {"procedure": own, "standard_questions": shared}
                                        for language, (own, shared) in content.translations.items()},
                          published_by=actor, review_by=procedure.review_by,
                          source_document=procedure.source.document, source_sha256=content.source_sha256 or None)


@dataclass(frozen=True)
class Published:
    slug: str
    version: str
    what: str  # "new", "unchanged", "withdrawn"


def publish(files: list[ContentFile], definition: Definition, actor: str,
            keep: Collection[str] | None = None) -> list[Published]:
    """Store each file's version if it is new and make it the one patients start on; the caller commits.

    The files must have passed the content check (checks.py). Given `keep`,
    the slugs that still have a file, any other procedure can no longer be
    started; everything already stored for it keeps working.
    """
    from .. import audit

    done = []
    for content in files:
        procedure = content.procedure
        new = version_row(content, definition, actor)
        version = new.version
        row = db.session.scalar(sa.select(ContentVersion).where(ContentVersion.version == version))
        if row is None:
            row = new
            db.session.add(row)
            db.session.flush()
        live = db.session.get(PublishedProcedure, procedure.slug)
        if live and live.version_id == row.id and live.withdrawn_at is None:
            done.append(Published(procedure.slug, version, "unchanged"))
            continue
        if live is None:
            live = PublishedProcedure(slug=procedure.slug)
            db.session.add(live)
        live.version_id, live.withdrawn_at, live.updated_at = row.id, None, utcnow()
        audit.record("published", detail=f"{procedure.slug} version {version}", actor=actor)
        done.append(Published(procedure.slug, version, "new"))
    if keep is not None:
        kept = {*keep, *(c.procedure.slug for c in files)}
        for live in db.session.scalars(sa.select(PublishedProcedure).where(PublishedProcedure.withdrawn_at.is_(None))):
            if live.slug not in kept:
                live.withdrawn_at = live.updated_at = utcnow()
                audit.record("withdrawn", detail=live.slug, actor=actor)
                done.append(Published(live.slug, "", "withdrawn"))
    return done
