"""The email to a clinic's shared inbox when sent answers need action before the appointment.

It is tried once as the answers are sent, after they are saved, so a slow or
absent mail server never stops a patient sending. One the mail server turns
away for now (no connection, a 4xx reply) is tried again by the hourly
`flask reminders send`, for up to RETRY_FOR after the first failure: the
clinic learns of it late rather than never. A 5xx refusal is final, as for
reminders. Each retry is claimed first, as a reminder is, so however many
runs overlap an alert is delivered once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from . import audit, mail
from .clock import utcnow
from .content.versions import Version
from .extensions import db
from .invitations import service_url
from .models import AnswerSet, EmailDelivery
from .questionnaire.definition import needs_more_support
from .summary import summarise

# Long enough to outlast a relay down over a weekend; after that the clinic's list is where it shows.
RETRY_FOR = timedelta(days=3)


def needs_action(answer_set: AnswerSet, version: Version) -> bool:
    """Something the clinic must act on before the day: SURE 3 or less, or an interpreter to book."""
    summary = summarise(answer_set, version)
    return needs_more_support(summary.sure_score) or summary.needs_interpreter


def alert_clinic(answer_set: AnswerSet, version: Version) -> None:
    """Tell the clinic's inbox about a sent answer set that needs action; the caller commits the log."""
    clinic = answer_set.clinic
    if clinic is None or not clinic.inbox or not needs_action(answer_set, version):
        return
    _send(answer_set, failing_since=utcnow())


def _send(answer_set: AnswerSet, failing_since: datetime) -> EmailDelivery:
    """One try; one that may pass next time is left due, dated from its first failure."""
    link = service_url("clinician.submission", reference=answer_set.reference)
    delivery = mail.send(mail.clinic_alert(link, answer_set.reference), answer_set.clinic.inbox,
                         answer_set=answer_set)
    answer_set.alert_due_since = failing_since if mail.may_pass(delivery) else None
    return delivery


def due() -> list[tuple[int, datetime]]:
    """Alerts waiting to be tried again, oldest first, each with when it first failed."""
    query = (sa.select(AnswerSet.id, AnswerSet.alert_due_since).where(AnswerSet.alert_due_since.is_not(None))
             .order_by(AnswerSet.alert_due_since))
    return [tuple(row) for row in db.session.execute(query)]


def claim(answer_set_id: int) -> bool:
    """Take this alert for this run; False if another run has it (or sent it)."""
    taken = db.session.execute(
        sa.update(AnswerSet).where(AnswerSet.id == answer_set_id, AnswerSet.alert_due_since.is_not(None))
        .values(alert_due_since=None))
    db.session.commit()
    return taken.rowcount == 1


def retry_due() -> tuple[int, int]:
    """Try each waiting alert again; returns how many were sent and how many failed or were given up."""
    sent = failed = 0
    for answer_set_id, failing_since in due():
        if not claim(answer_set_id):
            continue
        answer_set = db.session.get(AnswerSet, answer_set_id)
        if utcnow() - failing_since > RETRY_FOR or answer_set.clinic is None or not answer_set.clinic.inbox:
            audit.record("clinic-alert-given-up", answer_set, actor=audit.SYSTEM)
            current_app.logger.warning("Alert for %s given up: not sent since %s", answer_set.reference,
                                       failing_since.isoformat(timespec="minutes"))
            failed += 1
        else:
            delivery = _send(answer_set, failing_since)
            audit.record("clinic-alerted", answer_set, detail=delivery.status, actor=audit.SYSTEM)
            if delivery.status == mail.SENT:
                sent += 1
            else:
                failed += 1
        db.session.commit()
    return sent, failed
