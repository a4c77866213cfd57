"""Database models. The schema changes only through migrations in app/migrations."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import date, datetime, time

import sqlalchemy as sa
from flask import current_app
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


def resume_code_for(token: str, key: str | bytes) -> str:
    """The resume code that goes with a link token: eight characters in two groups, e.g. KX7P-93QD.

    Worked out from the token with the app's secret key (HMAC-SHA256), so a
    patient back by their private link can be shown their code again while
    only hashes of both are stored. Without the key the code cannot be got
    from the token; 64 bits of the MAC over 25⁸ codes leave no usable bias.
    """
    key = key.encode() if isinstance(key, str) else key
    number = int.from_bytes(hmac.new(key, b"resume-code\0" + token.encode(), hashlib.sha256).digest()[:8], "big")
    chars = ""
    for _ in range(8):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars += CODE_ALPHABET[index]
    return f"{chars[:4]}-{chars[4:]}"


def new_reference() -> str:
    """What a clinic reads out on the phone, e.g. PFP-KX7P93."""
    return REFERENCE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(REFERENCE_CHARS))


def is_reference(text: str) -> bool:
    """Shaped like the references new_reference gives out. Nothing else can name an answer set."""
    chars = text.removeprefix(REFERENCE_PREFIX)
    return len(chars) == REFERENCE_CHARS and chars != text and all(c in CODE_ALPHABET for c in chars)


def normalise_reference(typed: str) -> str:
    """A reference however it was typed or read out: PFP9HWY4X, pfp 9hwy4x and PFP-9HW-Y4X are PFP-9HWY4X."""
    chars = "".join(c for c in typed.upper() if c.isalnum())
    prefix = REFERENCE_PREFIX.rstrip("-")
    if len(chars) == len(prefix) + REFERENCE_CHARS and chars.startswith(prefix):
        chars = chars[len(prefix):]
    return REFERENCE_PREFIX + chars


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
    # As the file gives it, so staff pages flag a version due for review without reading its text.
    # Empty only for versions published before review dates were kept.
    review_by: Mapped[date | None]
    # The NICE text its figures were traced in when it was published: its name in content/sources/ and
    # its SHA-256, so what the check read is known for ever. No hash for versions published before.
    source_document: Mapped[str | None] = mapped_column(sa.String(200))
    source_sha256: Mapped[str | None] = mapped_column(sa.String(64))


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
    # Bumped when the patient signs out: a session cookie carries the number it was given,
    # so a copied cookie is refused after "Save and sign out" (patient/access.py).
    session_generation: Mapped[int] = mapped_column(default=1, server_default="1")
    # What the staff list filters on, worked out from the answers each time they are saved
    # (summary.support_needs), so a filter reads an index, not every row's answers.
    needs_interpreter: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    needs_format: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("clinician.id", ondelete="SET NULL", name="fk_answer_set_reviewed_by_id_clinician")
    )
    # The clinic whose staff see it: an invitation's, or for a patient who
    # started alone the one SELF_START_CLINICS names for the procedure. None
    # is the unassigned queue, which only service admins see and sort.
    clinic_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("clinic.id", name="fk_answer_set_clinic_id_clinic"))
    # The appointment: the day (the clinic's booking, or the patient's own
    # answer when they started alone) and, for an invitation, its time (UK).
    appointment_on: Mapped[date | None]
    appointment_time: Mapped[time | None]
    # When the clinic's alert first failed for a reason that may pass: it waits
    # for the hourly run to try again (app/clinic_alerts.py). None once sent.
    alert_due_since: Mapped[datetime | None]

    content_version: Mapped[ContentVersion | None] = relationship()
    reviewed_by: Mapped[Clinician | None] = relationship()
    clinic: Mapped[Clinic | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship(back_populates="answer_set", uselist=False)
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
        # The same two for one clinic's staff: their list, in order, reads only
        # their clinic's rows; with the procedure last, so its filter is read
        # in the index too (a count of one procedure's sets read the table).
        sa.Index("ix_answer_set_clinic_list", "clinic_id", "status", "submitted_at", "id", "reviewed_at",
                 "procedure_slug"),
        sa.Index("ix_answer_set_clinic_not_reviewed", "clinic_id", "submitted_at", "id", "procedure_slug",
                 postgresql_where=sa.text(f"status = '{SUBMITTED}' AND reviewed_at IS NULL"),
                 sqlite_where=sa.text(f"status = '{SUBMITTED}' AND reviewed_at IS NULL")),
        # The clinic alerts waiting to be tried again: almost always none.
        sa.Index("ix_answer_set_alert_due", "alert_due_since", postgresql_where=sa.text("alert_due_since IS NOT NULL"),
                 sqlite_where=sa.text("alert_due_since IS NOT NULL")),
        # A clinic's appointments by day.
        sa.Index("ix_answer_set_clinic_appointment", "clinic_id", "appointment_on"),
        # The sets that need an interpreter, or information in another format: few, so
        # filtering the list by either reads only those, newest first.
        *(sa.Index(f"ix_answer_set_{need}", "submitted_at", "id", "reviewed_at",
                   postgresql_where=sa.text(f"status = '{SUBMITTED}' AND {need}"),
                   sqlite_where=sa.text(f"status = '{SUBMITTED}' AND {need} = 1"))
          for need in ("needs_interpreter", "needs_format")),
        # Their clinic-first twins, for one clinic's staff (at 10⁶ rows the list filtered by an
        # interpreter read every clinic's such sets: p95 3.6× the small list's).
        *(sa.Index(f"ix_answer_set_clinic_{need}", "clinic_id", "submitted_at", "id", "reviewed_at",
                   postgresql_where=sa.text(f"status = '{SUBMITTED}' AND {need}"),
                   sqlite_where=sa.text(f"status = '{SUBMITTED}' AND {need} = 1"))
          for need in ("needs_interpreter", "needs_format")),
    )

    @classmethod
    def start(cls, procedure_slug: str, content_version_id: int, clinic_id: int | None = None,
              answers: dict | None = None, key: str | None = None,
              token: str | None = None) -> tuple[AnswerSet, str, str]:
        """A new answer set, with its link token and resume code (returned once, stored hashed).

        The code is worked out from the token with `key`, the app's secret key
        unless given; the token is drawn at random unless given (an invitation's
        link is the set's own private link).
        """
        token = token or secrets.token_urlsafe(32)
        code = resume_code_for(token, key or current_app.config["SECRET_KEY"])
        answer_set = cls(
            reference=new_reference(),
            procedure_slug=procedure_slug,
            content_version_id=content_version_id,
            clinic_id=clinic_id,
            token_hash=digest(token),
            resume_code_hash=digest(code),
            answers=answers or {},
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

    def save_page(self, page: str, answers: dict, version: str, needs: tuple[bool, bool]) -> None:
        """Store a page's answers (already reconciled with the rest) and that it was saved on this version.

        `needs` is what they say about support (summary.support_needs): an interpreter, another format.
        """
        # New dicts, so SQLAlchemy sees the JSON columns change.
        self.answers = answers
        self.needs_interpreter, self.needs_format = needs
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
ADMIN = "admin"  # a service admin: every clinic, the unassigned queue, clinics and accounts
ROLES = (CLINICIAN, ADMIN)
# A role in one clinic: a clinician sees and works on its patients; a clinic
# admin also manages its members and sees its audit.
CLINIC_ADMIN = "clinic-admin"
CLINIC_ROLES = (CLINICIAN, CLINIC_ADMIN)
# Where a membership came from: made here (command line, admin page), or, for
# issue 21's single sign-on, from the identity provider's groups claim, which
# would replace only its own.
LOCAL = "local"


# What a clinic writes to patients in: English, or (the Welsh Language Standards, for a patient whose
# language is not known) Welsh and English, Welsh first as is usual in Wales.
ENGLISH_LETTERS, BILINGUAL_LETTERS = "en", "cy+en"
LETTER_LANGUAGES = {ENGLISH_LETTERS: ("en",), BILINGUAL_LETTERS: ("cy", "en")}
LETTER_WORDS = {ENGLISH_LETTERS: "English", BILINGUAL_LETTERS: "Welsh and English"}


class Clinic(db.Model):
    """A team that owns submissions and invitations: "Breast surgery, Royal Example"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # The team's shared mailbox, told when a submission needs action; empty for none.
    inbox: Mapped[str] = mapped_column(sa.String(254), default="")
    # The languages of its letters and emails to patients whose language is not known (LETTER_LANGUAGES).
    letters: Mapped[str] = mapped_column(sa.String(8), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def letter_languages(self) -> tuple[str, ...]:
        """The languages its letters and emails are written in, in order: ("en",) or ("cy", "en")."""
        return LETTER_LANGUAGES.get(self.letters, LETTER_LANGUAGES[ENGLISH_LETTERS])


class Membership(db.Model):
    """A member of staff's role in one clinic."""

    __tablename__ = "clinic_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("clinician.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(16), default=CLINICIAN)
    source: Mapped[str] = mapped_column(sa.String(16), default=LOCAL)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    clinic: Mapped[Clinic] = relationship()
    clinician: Mapped[Clinician] = relationship(back_populates="memberships")

    __table_args__ = (sa.UniqueConstraint("clinician_id", "clinic_id", name="uq_clinic_membership_clinician_clinic"),)


class Clinician(UserMixin, db.Model):
    """A member of staff: made on the command line (or, if allowed, at a first single sign-on), run from the
    accounts page (app/accounts.py)."""

    # Set when signed in: Flask-Login keeps this LoginSession secret in the
    # cookie; the sign-in ends at session_ends_at (naive UTC) if nothing happens.
    session_secret = None
    session_ends_at = None
    session_method = None  # "password" or "sso"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    # None for an account that signs in only through single sign-on.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), default=CLINICIAN)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The identity provider's subject, when accounts are matched by it (OIDC_ACCOUNT_CLAIM = "sub").
    sso_subject: Mapped[str | None] = mapped_column(sa.String(255))
    # The second factor (app/clinician/mfa.py): the TOTP secret once confirmed, and the last time step
    # accepted, so a code is never accepted twice (an UPDATE that matches only a later step).
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    totp_enrolled_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(back_populates="clinician", cascade="all, delete-orphan",
                                                         passive_deletes=True)

    __table_args__ = (sa.UniqueConstraint("sso_subject", name="uq_clinician_sso_subject"),)

    @property
    def is_admin(self) -> bool:
        """A service admin: sees every clinic and the unassigned queue."""
        return self.role == ADMIN

    @property
    def clinic_ids(self) -> set[int]:
        """The clinics whose patients this person may see."""
        return {m.clinic_id for m in self.memberships}

    @property
    def managed_clinic_ids(self) -> set[int]:
        return {m.clinic_id for m in self.memberships if m.role == CLINIC_ADMIN}

    def may_see(self, clinic_id: int | None) -> bool:
        return self.is_admin or clinic_id in self.clinic_ids

    def may_manage(self, clinic_id: int | None) -> bool:
        """Change a clinic's members and read its audit: a service admin, or that clinic's admin."""
        return self.is_admin or clinic_id in self.managed_clinic_ids

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None

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


class Invitation(db.Model):
    """Staff asking one patient to get ready for an appointment: a private link to an answer set made for them.

    The link is never stored: it is worked out from the app's secret key and
    `token_salt` whenever staff print or send it, and only its hash is kept
    to find it again, so a copy of the database alone opens nothing.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_set_id: Mapped[int] = mapped_column(sa.ForeignKey("answer_set.id", ondelete="CASCADE"), unique=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinic.id"))
    token_salt: Mapped[str] = mapped_column(sa.String(32))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    mobile: Mapped[str] = mapped_column(sa.String(20), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clinician.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Set by the one reminder run that claims it (an UPDATE that matches only
    # while it is NULL), so two servers running at once send it once.
    reminder_claimed_at: Mapped[datetime | None]

    answer_set: Mapped[AnswerSet] = relationship(back_populates="invitation")
    clinic: Mapped[Clinic] = relationship()
    created_by: Mapped[Clinician | None] = relationship()
    deliveries: Mapped[list[EmailDelivery]] = relationship(
        order_by="EmailDelivery.id", cascade="all, delete-orphan", passive_deletes=True)

    __table_args__ = (sa.Index("ix_invitation_clinic_created", "clinic_id", "created_at"),)

    @classmethod
    def make(cls, clinic_id: int, secret: str, **given) -> tuple[Invitation, str]:
        """A new invitation, and its link's token."""
        salt = secrets.token_hex(16)
        token = invitation_token(secret, salt)
        return cls(clinic_id=clinic_id, token_salt=salt, token_hash=digest(token), **given), token

    @classmethod
    def by_token(cls, token: str) -> Invitation | None:
        return db.session.scalar(sa.select(cls).where(cls.token_hash == digest(token)))

    def token(self, secret: str) -> str:
        return invitation_token(secret, self.token_salt)


def invitation_token(secret: str, salt: str) -> str:
    """The secret part of an invitation's link: an HMAC of its salt under the app's secret key."""
    mac = hmac.new(secret.encode(), f"invitation:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


SENT = "sent"
FAILED = "failed"


class EmailDelivery(db.Model):
    """One email we tried to send: what kind, to whom, and what the mail server said. Never its words."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(20))  # invitation, reminder, resume-link, clinic-alert
    recipient: Mapped[str] = mapped_column(sa.String(254))
    status: Mapped[str] = mapped_column(sa.String(8))  # sent or failed
    reason: Mapped[str] = mapped_column(sa.String(500), default="")  # the server's reply when it failed
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    answer_set_id: Mapped[int | None] = mapped_column(sa.ForeignKey("answer_set.id", ondelete="CASCADE"), index=True)


class LoginSession(db.Model):
    """One signed-in browser. Logging out ends the row, so a copied cookie is refused."""

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # sha256 of the cookie's secret
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("clinician.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # How they signed in: "password" (with a second factor or not) or "sso".
    method: Mapped[str] = mapped_column(sa.String(16), default="password", server_default="password")

    clinician: Mapped[Clinician] = relationship()


class RecoveryCode(db.Model):
    """One of the ten single-use codes that stand in for a lost authenticator; only its argon2id hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("clinician.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    used_at: Mapped[datetime | None]


class PasswordReset(db.Model):
    """A single-use link an admin issued to set a new password; only its hash is kept, and it expires."""

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("clinician.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    issued_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

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
    # The clinic it concerns, so a clinic admin reads only their own clinic's events. Not a foreign key, as above.
    clinic_id: Mapped[int | None] = mapped_column(index=True)


@sa.event.listens_for(ContentVersion, "before_update")
@sa.event.listens_for(ContentVersion, "before_delete")
def _versions_are_kept(mapper, connection, target):
    raise RuntimeError("A published content version is never changed or deleted")


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _audit_is_append_only(mapper, connection, target):
    raise RuntimeError("Audit events are never changed or deleted")


# The database itself refuses to change or delete an audit event, whatever the
# SQL and whoever sends it through the app's connection: an UPDATE or DELETE
# (and on PostgreSQL a TRUNCATE) fails and its transaction rolls back. There is
# no retention path: the purge deletes answer sets and leaves their audit. These
# are made with the table (tests, `db.create_all`); migration
# e5d04c1f9a27_staff_accounts_second_factor_audit_guard makes the same.
AUDIT_REFUSAL = "audit events are never changed or deleted"
AUDIT_GUARDS = {
    "postgresql": (
        "CREATE FUNCTION audit_event_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"RAISE EXCEPTION '{AUDIT_REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse()",
    ),
    "sqlite": tuple(
        f"CREATE TRIGGER audit_event_no_{what} BEFORE {what.upper()} ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{AUDIT_REFUSAL}'); END"
        for what in ("update", "delete")
    ),
}
for _dialect, _statements in AUDIT_GUARDS.items():
    for _statement in _statements:
        sa.event.listen(AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect=_dialect))
