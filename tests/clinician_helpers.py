"""Sign in and make sent answer sets, as the clinician tests need them."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.content.versions import versions
from app.extensions import db
from app.models import AnswerSet, AuditEvent
from publishing import CLINIC_A
from support import check_page


def sign_in(client, email: str, password: str):
    """Post the sign-in form as a browser would, CSRF token and all."""
    page = check_page(client.get("/clinician/sign-in"))
    token = page.select_one("input[name=csrf_token]")["value"]
    return client.post("/clinician/sign-in", data={"csrf_token": token, "email": email, "password": password})


def sent_answer_sets(app, count: int, start: datetime, procedures: list[str], reviewed_every: int = 0,
                     clinic_id: int | None = CLINIC_A) -> list[str]:
    """`count` submitted answer sets of a clinic (the first test clinic unless told), one an hour from `start`;
    returns references oldest first."""
    references = []
    with app.app_context():
        for n in range(count):
            slug = procedures[n % len(procedures)]
            answer_set, _, _ = AnswerSet.start(slug, versions().live_for(slug).id, clinic_id=clinic_id)
            answer_set.answers = {"name": f"Patient {n}"}
            answer_set.submit()
            answer_set.submitted_at = start + timedelta(hours=n)
            if reviewed_every and n % reviewed_every == 0:
                answer_set.reviewed_at = answer_set.submitted_at + timedelta(days=1)
            db.session.add(answer_set)
            references.append(answer_set.reference)
        db.session.commit()
    return references


def actions(app) -> list[tuple[str, str, str | None]]:
    """The audit trail as (who, what, which reference), oldest first."""
    with app.app_context():
        query = sa.select(AuditEvent).order_by(AuditEvent.id)
        return [(e.actor, e.action, e.reference) for e in db.session.scalars(query)]


def mail_settings(smtp_server, **more) -> dict:
    """Settings that send the app's email to this test's SMTP server, with links on a fixed address."""
    return {"MAIL_HOST": smtp_server.host, "MAIL_PORT": smtp_server.port, "MAIL_STARTTLS": False,
            "SERVICE_URL": "https://prepare.example", **more}


def reminders_sent(app) -> str:
    """Run `flask reminders send` as cron would; returns what it said."""
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output.strip()


def invite(client, appointment, status: int = 302, **fields):
    """Fill in and post "Invite a patient" as staff would; `appointment` is a datetime (UK)."""
    page = check_page(client.get("/clinician/invitations/new"))
    form = page.select_one("main form[method=post]")
    data = {"csrf_token": form.select_one("input[name=csrf_token]")["value"],
            "clinic": form.select_one("select[name=clinic] option:not([value=''])")["value"],
            "procedure": "breast-interstitial-laser-therapy",
            "appointment_date[day]": appointment.day, "appointment_date[month]": appointment.month,
            "appointment_date[year]": appointment.year, "appointment_time": appointment.strftime("%H:%M"), **fields}
    response = client.post("/clinician/invitations/new", data=data)
    assert response.status_code == status, response.status_code
    return response
