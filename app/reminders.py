"""One reminder before the appointment, for invited patients who have not sent their answers.

`flask reminders send` runs this from cron, every hour, on every app server.
Each reminder is claimed before it is sent by an UPDATE that matches only
while the invitation has no claim; the database lets one such UPDATE win, so
however many runs overlap, each reminder goes once. One that the mail server
refuses for a passing reason (not a 5xx refusal) gives its claim back, to
be tried again by the next run.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from . import audit, mail
from .clock import utcnow
from .extensions import db
from .invitations import link, reminder_window, writing_languages
from .models import IN_PROGRESS, AnswerSet, Invitation

# An invitation made this recently is not reminded yet: its own email has only just gone.
SETTLING = timedelta(hours=20)


def due() -> list[int]:
    """Invitations whose reminder should go now: appointment soon, not sent, an email address, not yet claimed."""
    first, last = reminder_window()
    query = (sa.select(Invitation.id).join(Invitation.answer_set)
             .where(Invitation.reminder_claimed_at.is_(None), Invitation.cancelled_at.is_(None),
                    Invitation.email != "", Invitation.created_at < utcnow() - SETTLING,
                    AnswerSet.status == IN_PROGRESS, AnswerSet.appointment_on.between(first, last))
             .order_by(Invitation.id))
    return list(db.session.scalars(query))


def claim(invitation_id: int) -> bool:
    """Take this reminder for this run; False if another run has it."""
    taken = db.session.execute(
        sa.update(Invitation).where(Invitation.id == invitation_id, Invitation.reminder_claimed_at.is_(None))
        .values(reminder_claimed_at=utcnow()))
    db.session.commit()
    return taken.rowcount == 1


def send_due() -> tuple[int, int]:
    """Send every reminder due now; returns how many were sent and how many failed."""
    sent = failed = 0
    for invitation_id in due():
        if not claim(invitation_id):
            continue
        invitation = db.session.get(Invitation, invitation_id)
        if invitation.answer_set.submitted:
            continue  # sent their answers since the list was read: nothing to remind
        email = mail.reminder(link(invitation), invitation.answer_set.reference, writing_languages(invitation))
        delivery = mail.send(email, invitation.email, invitation=invitation, answer_set=invitation.answer_set)
        audit.record("reminded", invitation.answer_set, detail=delivery.status, actor=audit.SYSTEM)
        if delivery.status == mail.SENT:
            sent += 1
        else:
            if mail.may_pass(delivery):
                invitation.reminder_claimed_at = None  # tried again by the next run
            failed += 1
            current_app.logger.warning("Reminder for %s not sent: %s", invitation.answer_set.reference,
                                       delivery.reason)
        db.session.commit()
    return sent, failed
