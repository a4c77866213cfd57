"""A clinic's alert that the mail server turned away for now goes with the next hourly run, once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import clinic_alerts
from app.extensions import db
from app.models import AnswerSet, EmailDelivery
from clinician_helpers import actions, assert_no_clinical_details, mail_settings, two_runs_at_once
from journey_helpers import complete_all_sections, start, submit

pytestmark = [pytest.mark.both_databases, pytest.mark.fresh_app]  # storage: claims, on both databases
BREAST = "breast-interstitial-laser-therapy"
INBOX = "breast-royal@example.org"  # where tests/support.py sends a patient who starts alone


@pytest.fixture
def app(app_with, smtp_server):
    return app_with(**mail_settings(smtp_server))


def sent_needing_an_interpreter(app) -> str:
    """A patient who starts alone, needs an interpreter (so their clinic is told) and sends; their reference."""
    patient = app.test_client()
    start(patient, BREAST)
    complete_all_sections(patient, BREAST, app)
    response = submit(patient, "/check-answers", status=302)
    assert response.location.endswith("/confirmation")  # however the mail server answered
    with app.app_context():
        return db.session.scalars(sa.select(AnswerSet.reference).order_by(AnswerSet.id.desc())).first()


def hourly_run(app, exit_code: int = 0) -> str:
    """`flask reminders send`, as cron runs it every hour; what it said."""
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == exit_code, (result.output, result.exception)
    return result.output.strip()


def deliveries(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(d.status, d.reason) for d in db.session.scalars(
            sa.select(EmailDelivery).where(EmailDelivery.kind == "clinic-alert").order_by(EmailDelivery.id))]


def test_an_alert_turned_away_for_now_goes_with_the_next_run_and_only_once(app, smtp_server):
    smtp_server.refuse_next(451, "Try again later")
    reference = sent_needing_an_interpreter(app)
    assert smtp_server.messages == []
    assert deliveries(app) == [("failed", "451 Try again later")]

    assert hourly_run(app) == "Sent 0 reminders.\nSent 1 clinic alert that had failed."
    [alert] = smtp_server.wait_for(1)
    assert alert.recipients == [INBOX] and reference in alert.message["Subject"]
    assert f"https://prepare.example/clinician/submissions/{reference}" in alert.message.get_content()
    assert_no_clinical_details(alert.message)
    assert deliveries(app) == [("failed", "451 Try again later"), ("sent", "")]
    assert ("system", "clinic-alerted", reference) in actions(app)

    assert hourly_run(app) == "Sent 0 reminders."  # nothing waits now
    assert len(smtp_server.messages) == 1


def test_an_alert_sent_first_time_is_not_sent_again(app, smtp_server):
    sent_needing_an_interpreter(app)
    smtp_server.wait_for(1)
    assert hourly_run(app) == "Sent 0 reminders."
    assert len(smtp_server.messages) == 1


def test_an_alert_refused_for_good_is_not_tried_again(app, smtp_server):
    smtp_server.refuse_next(550, "Mailbox unavailable")
    sent_needing_an_interpreter(app)
    assert hourly_run(app) == "Sent 0 reminders."
    assert smtp_server.messages == [] and deliveries(app) == [("failed", "550 Mailbox unavailable")]


def test_an_alert_still_failing_is_tried_each_hour_then_given_up_after_three_days(app, smtp_server, clock):
    smtp_server.refuse_next(421, "Service not available")
    reference = sent_needing_an_interpreter(app)
    smtp_server.refuse_next(451, "Try again later")
    assert hourly_run(app, exit_code=1) == ("Sent 0 reminders.\n"
                                            "Sent 0 clinic alerts that had failed; 1 not sent (see the log).")
    clock.forward(days=3, minutes=1)
    assert hourly_run(app, exit_code=1) == ("Sent 0 reminders.\n"
                                            "Sent 0 clinic alerts that had failed; 1 not sent (see the log).")
    assert ("system", "clinic-alert-given-up", reference) in actions(app)
    assert hourly_run(app) == "Sent 0 reminders."  # given up: no longer waiting
    assert smtp_server.messages == []
    assert [status for status, _ in deliveries(app)] == ["failed", "failed"]


def test_two_runs_at_once_send_a_waiting_alert_once(app, smtp_server, monkeypatch):
    for _ in range(2):
        smtp_server.refuse_next(451, "Try again later")
        sent_needing_an_interpreter(app)
    counts = two_runs_at_once(app, monkeypatch, clinic_alerts, clinic_alerts.retry_due)
    assert sum(sent for sent, _ in counts) == 2
    smtp_server.wait_for(2)
    assert len({m.message["Subject"] for m in smtp_server.messages}) == 2  # one for each patient, once
    assert [status for status, _ in deliveries(app)] == ["failed", "failed", "sent", "sent"]
