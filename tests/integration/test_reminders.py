"""`flask reminders send`: one reminder per invitation, however often and on however many servers it runs."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from app import reminders
from app.content.versions import versions
from app.extensions import db
from app.invitations import invite, uk_today
from app.models import AnswerSet, Clinic
from clinician_helpers import mail_settings, reminders_sent, two_runs_at_once

pytestmark = [pytest.mark.both_databases, pytest.mark.fresh_app]  # storage: two runs at once, on both databases
BREAST = "breast-interstitial-laser-therapy"


@pytest.fixture
def app(app_with, smtp_server):
    return app_with(**mail_settings(smtp_server))


def invited(app, email: str, days: int) -> str:
    """An invitation for an appointment `days` from today; returns its reference."""
    with app.app_context():
        clinic = db.session.get(Clinic, 1)
        invitation, _ = invite(clinic, versions().live_for(BREAST), day=uk_today() + timedelta(days=days),
                               at=time(9, 15), email=email)
        return invitation.answer_set.reference


def test_a_reminder_goes_once_and_not_after_the_answers_are_sent(app, smtp_server, clock):
    soon = invited(app, "soon@example.net", days=2)
    sent = invited(app, "sent@example.net", days=1)
    invited(app, "later@example.net", days=9)  # too far off for a reminder yet
    with app.app_context():
        db.session.execute(sa.update(AnswerSet).where(AnswerSet.reference == sent)
                           .values(status="submitted", submitted_at=sa.func.now()))
        db.session.commit()
    assert reminders_sent(app) == "Sent 0 reminders."  # each invitation's own email has only just gone
    clock.forward(hours=21)

    assert reminders_sent(app) == "Sent 1 reminder."
    [reminder] = smtp_server.wait_for(1)
    assert reminder.recipients == ["soon@example.net"] and soon in reminder.message.get_content()
    assert "Reminder" in reminder.message["Subject"]
    assert reminders_sent(app) == "Sent 0 reminders."
    assert len(smtp_server.messages) == 1


def test_two_runs_started_at_once_send_each_reminder_once(app, smtp_server, clock, monkeypatch):
    for n in range(3):
        invited(app, f"patient{n}@example.net", days=1)
    clock.forward(hours=21)
    counts = two_runs_at_once(app, monkeypatch, reminders, reminders.send_due)
    assert sum(sent for sent, _ in counts) == 3
    smtp_server.wait_for(3)
    assert sorted(m.recipients[0] for m in smtp_server.messages) == [f"patient{n}@example.net" for n in range(3)]


def test_a_reminder_the_relay_turned_away_for_now_is_tried_again(app, smtp_server, clock):
    invited(app, "ann@example.net", days=1)
    clock.forward(hours=21)
    smtp_server.refuse_next(451, "Try again later")
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 1 and "1 failed" in result.output
    assert reminders_sent(app) == "Sent 1 reminder."
    assert len(smtp_server.wait_for(1)) == 1
