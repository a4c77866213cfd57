"""Which answer set this browser may see: the one kept in its session, until the patient signs out.

The session is a signed cookie, so it cannot be ended by forgetting it on
the server. It carries the answer set's session number instead
(AnswerSet.session_generation); signing out adds one, and a cookie with an
older number, copied or kept in another tab, opens nothing.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, session

from ..extensions import db
from ..i18n import clear_session
from ..invitations import service_url
from ..models import AnswerSet, PublishedProcedure, digest, resume_code_for, utcnow

SESSION_KEY = "answer_set_id"
GENERATION_KEY = "session"
CODE_KEY = "resume_code"
LINK_KEY = "resume_link"


def remember(answer_set: AnswerSet, resume_code: str | None = None, link_token: str | None = None) -> None:
    """Bind this browser to an answer set, forgetting any other it had."""
    csrf_secret = session.get("csrf_token")
    clear_session()
    if csrf_secret:
        session["csrf_token"] = csrf_secret  # a form already on screen stays valid
    session.permanent = True
    session[SESSION_KEY] = answer_set.id
    session[GENERATION_KEY] = answer_set.session_generation
    # Shown again when the patient asks (the task list, "Your resume code"): their
    # own code and link in their own signed cookie, never stored by us; a
    # sign-out clears them with the rest.
    if resume_code:
        session[CODE_KEY] = resume_code
    if link_token:
        session[LINK_KEY] = link_token


def resume_link() -> str | None:
    """This browser's private link, in full, if it came with one (started here, or came back by it)."""
    token = session.get(LINK_KEY)
    return service_url("patient.resume_by_link", token=token) if token else None


def _still_signed_in(answer_set: AnswerSet | None) -> AnswerSet | None:
    # A cookie from before sign-out was kept carries no number: it counts as the first.
    if answer_set is None or answer_set.session_generation != session.get(GENERATION_KEY, 1):
        return None
    return answer_set


def current() -> AnswerSet | None:
    answer_set_id = session.get(SESSION_KEY)
    return _still_signed_in(db.session.get(AnswerSet, answer_set_id)) if answer_set_id else None


def sign_out(answer_set: AnswerSet | None) -> None:
    """End every session on this answer set, this browser's and any copy of its cookie; the caller commits."""
    if answer_set is not None:
        answer_set.session_generation += 1
    clear_session()


def code_from_link(answer_set: AnswerSet, token: str) -> str | None:
    """The resume code that goes with a private link, worked out again (models.resume_code_for).

    Keys the app has rotated away from (SECRET_KEY_FALLBACKS) are tried too; a
    set started under a key that is gone altogether has a code we cannot show.
    """
    config = current_app.config
    for key in (config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or ())):
        code = resume_code_for(token, key)
        if digest(code) == answer_set.resume_code_hash:
            return code
    return None


# Built once: every journey page runs it, and building a statement costs more than SQLAlchemy's cached run of it.
_WITH_LIVE_VERSION = (
    sa.select(AnswerSet, PublishedProcedure.version_id)
    .outerjoin(PublishedProcedure, sa.and_(PublishedProcedure.slug == AnswerSet.procedure_slug,
                                           PublishedProcedure.withdrawn_at.is_(None)))
    .where(AnswerSet.id == sa.bindparam("answer_set_id"))
)


def current_and_live() -> tuple[AnswerSet | None, int | None]:
    """This browser's answer set, and the id of the version its procedure is on now, in one query."""
    answer_set_id = session.get(SESSION_KEY)
    if not answer_set_id:
        return None, None
    row = db.session.execute(_WITH_LIVE_VERSION, {"answer_set_id": answer_set_id}).first()
    answer_set = _still_signed_in(row[0]) if row else None
    return (answer_set, row[1]) if answer_set else (None, None)


def expired(answer_set: AnswerSet) -> bool:
    """In-progress answers last RESUME_DAYS after the last save; submitted ones until purged."""
    if answer_set.submitted:
        return False
    return utcnow() - answer_set.updated_at > timedelta(days=current_app.config["RESUME_DAYS"])
