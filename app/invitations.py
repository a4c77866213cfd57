"""Invitations and clinics, as both audiences need them: staff invite, patients open.

An invitation is an answer set made by staff for one patient, bound to a
clinic and an appointment, with what staff know filled in (the patient can
correct it), and a private link. Opening the link starts the patient on it,
or resumes it.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

import segno
import sqlalchemy as sa
from flask import current_app, has_request_context, request

from .clock import utcnow
from .content.versions import Version
from .extensions import db
from .models import AnswerSet, Clinic, Clinician, Invitation
from .questionnaire.definition import QUESTIONNAIRE
from .saving import with_fresh_reference
from .templating import UK

NOT_OPENED, OPENED, IN_PROGRESS, SENT, REVIEWED = "Not opened", "Opened", "In progress", "Sent", "Reviewed"
CANCELLED, EXPIRED, NOT_STARTED = "Cancelled", "Expired", "Not started"
STATUS_COLOURS = {NOT_OPENED: "grey", OPENED: "blue", IN_PROGRESS: "yellow", SENT: "green", REVIEWED: "purple",
                  CANCELLED: "red", EXPIRED: "orange", NOT_STARTED: "grey"}
GLANCE = QUESTIONNAIRE.glance


def invite(clinic: Clinic, version: Version, *, day: date, at: time, name: str = "", nhs_number: str = "",
           email: str = "", mobile: str = "", created_by: Clinician | None = None) -> tuple[Invitation, str]:
    """A new invitation and its answer set, saved; returns it with its link's token."""
    given = {GLANCE.name: name, GLANCE.nhs_number: nhs_number, GLANCE.appointment: day.isoformat()}

    def make():
        invitation, token = Invitation.make(clinic.id, current_app.config["SECRET_KEY"],
                                            email=email, mobile=mobile, created_by=created_by)
        # The invitation's link is also the answer set's private link, so its resume code follows from it.
        answer_set, _, _ = AnswerSet.start(version.slug, version.id, clinic_id=clinic.id,
                                           answers={k: v for k, v in given.items() if v}, token=token)
        answer_set.appointment_on, answer_set.appointment_time = day, at
        invitation.answer_set = answer_set
        db.session.add(invitation)
        return invitation, token

    return with_fresh_reference(make)


def service_url(endpoint: str, **values) -> str:
    """An address on this service for an email, letter or QR code: on SERVICE_URL, else the request's address.

    Built from the URL map, not url_for: the reminder command runs with no request.
    """
    base = current_app.config["SERVICE_URL"] or (request.url_root if has_request_context() else "")
    if not base:
        raise RuntimeError("Set SERVICE_URL to the service's public address: emails need it for their links")
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def link(invitation: Invitation) -> str:
    """The patient's private link, worked out again from the secret key."""
    return service_url("patient.open_invitation", token=invitation.token(current_app.config["SECRET_KEY"]))


def appointment_at(answer_set: AnswerSet) -> datetime | None:
    """When the appointment starts, in UK time (the start of the day when no time is known)."""
    if answer_set.appointment_on is None:
        return None
    return datetime.combine(answer_set.appointment_on, answer_set.appointment_time or time.min, tzinfo=UK)


def before_appointment(moment: datetime | None, answer_set: AnswerSet) -> bool:
    """Whether a stored (naive UTC) time came before the appointment started."""
    starts = appointment_at(answer_set)
    return bool(moment and starts and moment.replace(tzinfo=UTC) < starts)


def uk_today() -> date:
    return utcnow().replace(tzinfo=UTC).astimezone(UK).date()


def expired(invitation: Invitation) -> bool:
    """An invitation's link works until the end of its appointment's day."""
    day = invitation.answer_set.appointment_on
    return day is not None and uk_today() > day


def status(answer_set: AnswerSet, invitation: Invitation | None) -> str:
    """Where an invited or self-started patient is: not opened, opened, in progress, sent, reviewed."""
    if answer_set.reviewed:
        return REVIEWED
    if answer_set.submitted:
        return SENT
    if invitation is not None and invitation.cancelled_at:
        return CANCELLED
    if invitation is not None and expired(invitation):
        return EXPIRED
    if answer_set.pages_saved:
        return IN_PROGRESS
    if invitation is None:
        return NOT_STARTED
    return OPENED if invitation.opened_at else NOT_OPENED


def writing_languages(invitation: Invitation) -> tuple[str, ...]:
    """The languages to write to this patient in: the one they answered in, once they have; else the clinic's."""
    if invitation.answer_set.pages_saved:
        return (invitation.answer_set.language,)
    return invitation.clinic.letter_languages


def open_invitation(invitation: Invitation) -> bool:
    """The patient opened their link: whether it is the first time."""
    if invitation.opened_at is not None:
        return False
    invitation.opened_at = utcnow()
    return True


def self_start_clinic(slug: str) -> int | None:
    """The clinic SELF_START_CLINICS names for a procedure, or None: the unassigned queue."""
    clinic_slug = current_app.config["SELF_START_CLINICS"].get(slug)
    if not clinic_slug:
        return None
    return db.session.scalar(sa.select(Clinic.id).where(Clinic.slug == clinic_slug))


def qr_code(text: str, kind: str) -> bytes:
    """A QR code of the link, as SVG or PNG (segno draws both, with no imaging library)."""
    out = io.BytesIO()
    code = segno.make(text, error="m")
    if kind == "svg":
        code.save(out, kind="svg", scale=4, border=4, xmldecl=False, svgns=True,
                  title="QR code of the private link", svgclass=None, lineclass=None)
    else:
        code.save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def reminder_window() -> tuple[date, date]:
    """The appointment days a reminder run covers: today to REMINDER_DAYS ahead (UK days)."""
    today = uk_today()
    return today, today + timedelta(days=current_app.config["REMINDER_DAYS"])


@sa.event.listens_for(AnswerSet.answers, "set")
def _appointment_from_answers(answer_set: AnswerSet, answers, old, initiator) -> None:
    """A patient who started alone gives the appointment day: their clinic's view finds them by it.

    An invited patient's day stays the clinic's booking (it has a time), whatever they answer.
    """
    if answer_set.appointment_time is None and isinstance(answers, dict):
        given = answers.get(GLANCE.appointment)
        answer_set.appointment_on = date.fromisoformat(given) if given else None
