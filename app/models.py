"""Database models. The schema changes only through migrations in app/migrations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read aloud or written by hand stays unambiguous.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def digest(secret: str) -> str:
    """We keep only this hash of a link token or resume code, never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_resume_code() -> str:
    """Eight characters in two groups, e.g. KX7P-93QD: short enough to write down."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_resume_code(typed: str) -> str:
    """Accept the code however it was typed: any case, spaces or dashes."""
    chars = "".join(c for c in typed.upper() if c.isalnum())
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == 8 else chars


class AnswerSet(db.Model):
    """One patient's answers about one procedure, from start to submission."""

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True)
    procedure_slug: Mapped[str] = mapped_column(sa.String(80), index=True)
    content_version: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    resume_code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=IN_PROGRESS, index=True)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Bumped on every save: a form from a stale tab carries an old number.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)

    __mapper_args__ = {"version_id_col": version}

    @classmethod
    def start(cls, procedure_slug: str, content_version: str) -> tuple[AnswerSet, str, str]:
        """A new answer set, with its link token and resume code (returned once, stored hashed)."""
        token = secrets.token_urlsafe(32)
        code = new_resume_code()
        answer_set = cls(
            reference="PFP-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6)),
            procedure_slug=procedure_slug,
            content_version=content_version,
            token_hash=digest(token),
            resume_code_hash=digest(code),
            answers={},
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

    def save_section(self, section: str, values: dict) -> None:
        # A new dict, so SQLAlchemy sees the JSON column change.
        self.answers = {**self.answers, section: values}
        self.updated_at = utcnow()

    def submit(self) -> None:
        self.status = SUBMITTED
        self.submitted_at = utcnow()
