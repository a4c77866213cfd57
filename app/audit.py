"""The audit trail: who viewed, downloaded, reviewed, noted, exported or changed what.

Events join the caller's transaction, so an action and its record are saved
together or not at all. They hold references and actions, never answers.
"""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from .extensions import db
from .models import AnswerSet, AuditEvent

PATIENT = "patient"
SYSTEM = "system"


def record(action: str, answer_set: AnswerSet | None = None, detail: str = "", actor: str | None = None,
           clinic_id: int | None = None) -> None:
    """Add an event to the caller's transaction; it concerns the answer set's clinic unless one is named."""
    db.session.add(AuditEvent(
        actor=actor or _actor(),
        action=action,
        reference=answer_set.reference if answer_set else None,
        detail=detail[:500],
        clinic_id=clinic_id if clinic_id is not None or answer_set is None else answer_set.clinic_id,
    ))


def _actor() -> str:
    if has_request_context() and current_user.is_authenticated:
        return current_user.email
    return PATIENT if has_request_context() else SYSTEM
