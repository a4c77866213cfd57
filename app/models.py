"""Database models. The schema changes only through migrations in app/migrations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from .clock import utcnow
from .extensions import db

IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read aloud or written by hand stays unambiguous.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
REFERENCE_PREFIX = "PFP-"
REFERENCE_CHARS = 6


def digest(secret: str) -> str:
    """We keep only this hash of a link token or resume code, never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_resume_code() -> str:
    """Eight characters in two groups, e.g. KX7P-93QD: short enough to write down."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def new_reference() -> str:
    """What a clinic reads out on the phone, e.g. PFP-KX7P93."""
    return REFERENCE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(REFERENCE_CHARS))


def is_reference(text: str) -> bool:
    """Shaped like the references new_reference gives out. Nothing else can name an answer set."""
    chars = text.removeprefix(REFERENCE_PREFIX)
    return len(chars) == REFERENCE_CHARS and chars != text and all(c in CODE_ALPHABET for c in chars)


def normalise_resume_code(typed: str) -> str:
    """Accept the code however it was typed: any case, spaces or dashes."""
    chars = "".join(c for c in typed.upper() if c.isalnum())
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == 8 else chars


class ContentVersion(db.Model):
    """One published version of a procedure, kept whole and never changed.

    Its id is a hash of what it holds (the file, the standard questions and
    the questionnaire's wording), so the same content is published once.
    Answer sets point at the version they follow, and everything about them
    (pages, summary, PDF, exports) is built from it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(12), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(80), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    file_name: Mapped[str] = mapped_column(sa.String(120))
    # The texts load only when a process first needs this version; it keeps what it read.
    procedure_text: Mapped[str] = mapped_column(sa.Text, deferred=True)
    standard_questions_text: Mapped[str] = mapped_column(sa.Text, deferred=True)
    # Every item's id and words, as the questionnaire was when published (for comparing versions).
    questionnaire: Mapped[list] = mapped_column(sa.JSON, deferred=True)
    # By language, the texts of its translation files ({"cy": {"procedure": ..., "standard_questions": ...}}):
    # what a patient read in that language is part of the version.
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict, deferred=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str] = mapped_column(sa.String(254))


class PublishedProcedure(db.Model):
    """Which version of a procedure patients start on now; withdrawn when its file is removed."""

    slug: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("content_version.id"))
    withdrawn_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[ContentVersion] = relationship()


class AnswerSet(db.Model):
    """One patient's answers about one procedure, from start to submission."""

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True)
    procedure_slug: Mapped[str] = mapped_column(sa.String(80), index=True)
    # The version the patient is answering (or sent). Null only for sets
    # started before versions were kept: see content/versions.py.
    content_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_version.id", name="fk_answer_set_content_version_id_content_version"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    resume_code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=IN_PROGRESS, index=True)
    # Each answer under its item's id (app/questionnaire/definition.py).
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Each saved page, with the version it was saved on: one saved on an
    # older version whose wording of it has changed is to be checked again.
    pages_saved: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Answers to items a newer version removed, kept with the words they were given to.
    earlier_answers: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Each move to a newer version, with what changed; the newest not yet shown is announced.
    updates: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The language of the patient's last save, or of sending: "en" or "cy" (app/i18n.py).
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    # Bumped on every save: a form from a stale tab carries an old number.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("clinician.id", ondelete="SET NULL", name="fk_answer_set_reviewed_by_id_clinician")
    )

    content_version: Mapped[ContentVersion | None] = relationship()
    reviewed_by: Mapped[Clinician | None] = relationship()
    notes: Mapped[list[ClinicianNote]] = relationship(
        back_populates="answer_set", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ClinicianNote.created_at",
    )
    # Loaded only when asked for: lists of answer sets never pull PDF bytes.
    summary_pdf: Mapped[SummaryPdf | None] = relationship(
        back_populates="answer_set", cascade="all, delete-orphan", passive_deletes=True, lazy="select"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # The clinician list: submitted sets, newest first, paged by (submitted_at, id).
        # With reviewed_at last, the "Reviewed" filter passes over sets still
        # waiting inside the index, without reading them from the table. (No
        # index on submitted_at alone: PostgreSQL chose it for the list, then
        # read past every unsent set, whose NULLs come first newest-first.)
        sa.Index("ix_answer_set_list", "status", "submitted_at", "id", "reviewed_at"),
        # The sets waiting for review: few, however many have been reviewed,
        # so the "Not reviewed" list and its count read only those.
        sa.Index("ix_answer_set_not_reviewed", "submitted_at", "id",
                 postgresql_where=sa.text(f"status = '{SUBMITTED}' AND reviewed_at IS NULL"),
                 sqlite_where=sa.text(f"status = '{SUBMITTED}' AND reviewed_at IS NULL")),
    )

    @classmethod
    def start(cls, procedure_slug: str, content_version_id: int) -> tuple[AnswerSet, str, str]:
        """A new answer set, with its link token and resume code (returned once, stored hashed)."""
        token = secrets.token_urlsafe(32)
        code = new_resume_code()
        answer_set = cls(
            reference=new_reference(),
            procedure_slug=procedure_slug,
            content_version_id=content_version_id,
            token_hash=digest(token),
            resume_code_hash=digest(code),
            answers={},
            pages_saved={},
            earlier_answers=[],
            updates=[],
        )
        return answer_set, token, code

    @classmethod
    def by_token(cls, token: str) -> AnswerSet | None:
        return db.session.scalar(sa.select(cls).where(cls.token_hash == digest(token)))

    @classmethod
    def by_resume_code(cls, typed: str) -> AnswerSet | None:
        code = normalise_resume_code(typed)
        return db.session.scalar(sa.select(cls).where(cls.resume_code_hash == digest(code)))

    @property
    def submitted(self) -> bool:
        return self.status == SUBMITTED

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None

    def save_page(self, page: str, answers: dict, version: str) -> None:
        """Store a page's answers (already reconciled with the rest) and that it was saved on this version."""
        # New dicts, so SQLAlchemy sees the JSON columns change.
        self.answers = answers
        self.pages_saved = {**self.pages_saved, page: version}
        self.updated_at = utcnow()

    def submit(self) -> None:
        self.status = SUBMITTED
        self.submitted_at = utcnow()

    def mark_reviewed(self, clinician: Clinician) -> None:
        if not self.reviewed:
            self.reviewed_at = utcnow()
            self.reviewed_by = clinician


class SummaryPdf(db.Model):
    """The printable summary, rendered once at submission and served as stored.

    Keeping the bytes (not re-rendering) means an edit to a content file never
    changes what a patient or clinician already printed.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_set_id: Mapped[int] = mapped_column(sa.ForeignKey("answer_set.id", ondelete="CASCADE"), unique=True)
    content_version: Mapped[str] = mapped_column(sa.String(12))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # The bytes load only when served; pages that just state the size ask SQL for it.
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    size: Mapped[int] = column_property(sa.func.length(data))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer_set: Mapped[AnswerSet] = relationship(back_populates="summary_pdf")

    @classmethod
    def of(cls, data: bytes, content_version: str, created_at: datetime) -> SummaryPdf:
        return cls(data=data, sha256=hashlib.sha256(data).hexdigest(), content_version=content_version,
                   created_at=created_at)


CLINICIAN = "clinician"
ADMIN = "admin"
ROLES = (CLINICIAN, ADMIN)


class Clinician(UserMixin, db.Model):
    """A member of staff. Made and disabled from the command line only."""

    # Set when signed in: Flask-Login keeps this LoginSession secret in the
    # cookie; the sign-in ends at session_ends_at (naive UTC) if nothing happens.
    session_secret = None
    session_ends_at = None

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), default=CLINICIAN)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        return self.session_secret


class ClinicianNote(db.Model):
    """A note on an answer set. Kept with its author and time; never edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_set_id: Mapped[int] = mapped_column(sa.ForeignKey("answer_set.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clinician.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer_set: Mapped[AnswerSet] = relationship(back_populates="notes")
    author: Mapped[Clinician | None] = relationship()


class LoginSession(db.Model):
    """One signed-in browser. Logging out ends the row, so a copied cookie is refused."""

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # sha256 of the cookie's secret
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("clinician.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    clinician: Mapped[Clinician] = relationship()


class AuditEvent(db.Model):
    """Who did what to which answer set, and when (UTC). Rows are only ever added.

    The answer set is named by its reference, not a foreign key, so the record
    outlives a purge of the answers themselves.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(254))  # a clinician's email, "patient" or "system"
    action: Mapped[str] = mapped_column(sa.String(32), index=True)
    reference: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    detail: Mapped[str] = mapped_column(sa.String(500), default="")


@sa.event.listens_for(ContentVersion, "before_update")
@sa.event.listens_for(ContentVersion, "before_delete")
def _versions_are_kept(mapper, connection, target):
    raise RuntimeError("A published content version is never changed or deleted")


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _audit_is_append_only(mapper, connection, target):
    raise RuntimeError("Audit events are never changed or deleted")
