"""Sign in and make sent answer sets, as the clinician tests need them."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta

import sqlalchemy as sa

from app import second_factor
from app.clock import utcnow
from app.content.versions import versions
from app.extensions import db
from app.models import AnswerSet, AuditEvent, Clinician
from publishing import CLINIC_A
from support import check_page

# Service admins must have a second factor: make_clinician sets this one up for them.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def sign_in(client, email: str, password: str):
    """Post the sign-in form as a browser would, CSRF token and all; then the authenticator's code, if asked.

    An account asked to set one up gets it set up, and the answer is the page of recovery codes.
    """
    response = post_form(client, "/clinician/sign-in", email=email, password=password)
    asked = response.headers.get("Location", "")
    if asked.endswith("/clinician/sign-in/code"):
        with client.application.app_context():
            clinician = db.session.scalar(sa.select(Clinician).where(Clinician.email == email))
            secret, last = clinician.totp_secret, clinician.totp_last_step
        return post_form(client, asked, code=unused_code(secret, last))
    if asked.endswith("/clinician/sign-in/set-up-code"):
        page = check_page(client.get(asked))
        return post_form(client, asked, code=unused_code(page.select_one("#setup-key").get_text().replace(" ", "")))
    return response


def unused_code(secret: str, last_step: int | None = None) -> str:
    """A code the app accepts now that has not been used: this step's, or the next one's if this one's was.

    Not the step before: a step ending while the request is made would take it out of the window.
    """
    now = second_factor.step_at(utcnow())
    step = max(now, (last_step or 0) + 1)
    assert step <= now + second_factor.DRIFT_STEPS, "every code the app would accept now has been used"
    return second_factor.code_for(secret, step)


def post_form(client, url: str, to: str | None = None, **fields):
    """Post the form on the page at `url` (with its CSRF token) to its own address, or `to`, with these fields."""
    page = check_page(client.get(url))
    token = page.select_one("main form[method=post] input[name=csrf_token]")["value"]
    return client.post(to or url, data={"csrf_token": token, **fields})


def sent_answer_sets(app, count: int, start: datetime, procedures: list[str], reviewed_every: int = 0,
                     clinic_id: int | None = CLINIC_A) -> list[str]:
    """`count` submitted answer sets of a clinic (the first test clinic unless told), one an hour from `start`;
    returns references oldest first."""
    references = []
    with app.app_context():
        for n in range(count):
            slug = procedures[n % len(procedures)]
            answer_set, _, _ = AnswerSet.start(slug, versions().live_for(slug).id, clinic_id=clinic_id)
            # References are drawn at random: among hundreds, two can match. Draw again, as the app does.
            while answer_set.reference in references:
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


# What no email may say: the procedure, the clinic, the patient's name, anything they answered.
CLINICAL = ("breast", "laser", "liver", "cancer", "surgery", "Royal Example", "Ann", "SURE", "interpreter", "Welsh")


def assert_no_clinical_details(message) -> None:
    """Checked as words, outside the link (a random token may spell "ann"), in every part: text and HTML."""
    parts = "\n".join(part.get_content() for part in message.walk() if not part.is_multipart())
    words = re.sub(r"https://\S+", "", f"{message['Subject']}\n{parts}")
    assert not [w for w in CLINICAL if re.search(rf"\b{w}\b", words, re.IGNORECASE)], words


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


def two_runs_at_once(app, monkeypatch, module, run) -> list:
    """`run()` on two threads at once, as two servers' hourly runs would be, each in its own app context.

    Both read `module.due()` before either claims anything, so the database
    must choose which run takes each one. Returns what each run returned.
    """
    both_read = threading.Barrier(2, timeout=10)
    listed = module.due

    def due_then_wait():
        found = listed()
        both_read.wait()
        return found

    monkeypatch.setattr(module, "due", due_then_wait)
    results, failures = [], []

    def one_server():
        try:
            with app.app_context():
                results.append(run())
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported below, in the test's own thread)
            failures.append(error)

    servers = [threading.Thread(target=one_server) for _ in range(2)]
    for server in servers:
        server.start()
    for server in servers:
        server.join(30)
    assert not failures, failures
    return results
