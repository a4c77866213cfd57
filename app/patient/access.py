"""Which answer set this browser may see: the one kept in its session."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, session

from ..extensions import db
from ..models import AnswerSet, PublishedProcedure, utcnow

SESSION_KEY = "answer_set_id"


def remember(answer_set: AnswerSet, resume_code: str | None = None) -> None:
    """Bind this browser to an answer set, forgetting any other it had."""
    csrf_secret = session.get("csrf_token")
    session.clear()
    if csrf_secret:
        session["csrf_token"] = csrf_secret  # a form already on screen stays valid
    session.permanent = True
    session[SESSION_KEY] = answer_set.id
    if resume_code:
        # Shown on the task list so the patient can copy it down later; it is
        # their own code in their own signed cookie, and is never stored by us.
        session["resume_code"] = resume_code


def current() -> AnswerSet | None:
    answer_set_id = session.get(SESSION_KEY)
    return db.session.get(AnswerSet, answer_set_id) if answer_set_id else None


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
    return (row[0], row[1]) if row else (None, None)


def expired(answer_set: AnswerSet) -> bool:
    """In-progress answers last RESUME_DAYS after the last save; submitted ones until purged."""
    if answer_set.submitted:
        return False
    return utcnow() - answer_set.updated_at > timedelta(days=current_app.config["RESUME_DAYS"])
