"""The audit trail: every view, review, note and download is recorded, rows are never changed, purges leave a record."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet, AuditEvent, SummaryPdf
from clinician_helpers import actions, sent_answer_sets, sign_in
from journey_helpers import complete_all_sections, start, submit
from publishing import CLINIC_A
from support import check_page, text_of

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"


def test_detail_review_note_and_pdf_are_audited(app, client, signed_in, sent):
    page = check_page(client.get(f"/clinician/submissions/{sent}"))
    text = text_of(page)
    assert "Not reviewed" in text and "At a glance" in text and "Ann Example" in text

    token = page.select_one(f"form[action='/clinician/submissions/{sent}/review'] input[name=csrf_token]")["value"]
    client.post(f"/clinician/submissions/{sent}/review", data={"csrf_token": token})
    page = check_page(client.get(f"/clinician/submissions/{sent}"))
    assert f"Reviewed by {signed_in}" in text_of(page)

    note = "Called to book an interpreter. <b>Not bold</b>"
    response = client.post(f"/clinician/submissions/{sent}/notes", data={"csrf_token": token, "text": note})
    assert response.status_code == 302
    page = check_page(client.get(f"/clinician/submissions/{sent}"))
    notes = page.select_one(".app-note")
    assert note in notes.get_text() and not notes.select("b") and signed_in in notes.get_text()

    pdf = client.get(f"/clinician/submissions/{sent}/summary.pdf")
    with app.app_context():
        stored = db.session.scalars(sa.select(SummaryPdf)).one()
        assert pdf.data == stored.data
    assert pdf.headers["Cache-Control"] == "no-store"

    clinician_actions = [(who, what, ref) for who, what, ref in actions(app) if who != "patient"]
    assert clinician_actions == [
        (signed_in, "signed-in", None), (signed_in, "viewed", sent), (signed_in, "reviewed", sent),
        (signed_in, "viewed", sent), (signed_in, "noted", sent), (signed_in, "viewed", sent),
        (signed_in, "downloaded", sent),
    ]
    assert ("patient", "submitted", sent) in actions(app)


def test_failed_sign_ins_lists_searches_and_the_patients_own_download_are_audited(app, client, make_clinician):
    email, password = make_clinician()
    sign_in(client, email, "not the password")
    sign_in(client, "nobody@example.org", "correct horse battery")  # what was typed for no account is not kept
    assert sign_in(client, email, password).status_code == 302
    patient = app.test_client()
    start(patient, BREAST)
    complete_all_sections(patient, BREAST, app)
    submit(patient, "/check-answers", status=302)
    assert patient.get("/summary.pdf").content_type == "application/pdf"
    with app.app_context():
        reference = db.session.scalars(sa.select(AnswerSet.reference)).one()
    for url in ("/clinician/", f"/clinician/?reference={reference.lower().replace('-', ' ')}",
                "/clinician/invitations", "/clinician/appointments"):
        check_page(client.get(url))

    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    seen = [(e.actor, e.action, e.reference, e.detail) for e in events if e.action != "saved"]
    assert seen[:3] == [(email, "sign-in-failed", None, "password: a wrong password"),
                        ("unknown account", "sign-in-failed", None, "password: no such account"),
                        (email, "signed-in", None, "password")]
    assert ("patient", "downloaded", reference, "by the patient") in seen
    assert [(who, what, detail) for who, what, _, detail in seen[-4:]] == [
        (email, "listed", "submissions"),
        (email, "searched", f"submissions: reference={reference.lower().replace('-', ' ')}"),
        (email, "listed", "invitations"), (email, "listed", "appointments")]
    assert all(e.clinic_id == CLINIC_A for e in events[-4:])
    assert "nobody@example.org" not in str(seen)


def test_audit_rows_cannot_be_changed_or_deleted(app, client, signed_in):
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent)).first()
        event.action = "nothing happened"
        with pytest.raises(RuntimeError):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.scalars(sa.select(AuditEvent)).first())
        with pytest.raises(RuntimeError):
            db.session.commit()


REFUSED = "audit events are never changed or deleted"
# Raw SQL through the app's own connection, as a bug, an injection or a hurried fix would send it.
TAMPERING = ["UPDATE audit_event SET action = 'nothing happened'", "UPDATE audit_event SET detail = '' WHERE id = 1",
             "DELETE FROM audit_event WHERE id = 1"]


@pytest.mark.parametrize("statement", TAMPERING)
def test_the_database_refuses_sql_that_changes_or_deletes_audit_events(app, signed_in, statement):
    before = actions(app)
    with app.app_context(), pytest.raises(sa.exc.DatabaseError, match=REFUSED), db.engine.begin() as connection:
        connection.exec_driver_sql(statement)
    assert actions(app) == before and before


def test_emptying_the_audit_table_at_once_is_refused(app, signed_in):
    with app.app_context():
        # PostgreSQL's TRUNCATE skips row triggers; SQLite's equivalent is a DELETE with no WHERE.
        empty = "TRUNCATE audit_event" if db.engine.dialect.name == "postgresql" else "DELETE FROM audit_event"
        with pytest.raises(sa.exc.DatabaseError, match=REFUSED), db.engine.begin() as connection:
            connection.exec_driver_sql(empty)
    assert actions(app)


def test_audit_page_is_for_admins_only(client, make_clinician, signed_in):
    refused = check_page(client.get("/clinician/audit"), 403)
    assert refused.h1.get_text(strip=True) == "You do not have access to this page"
    assert refused.select_one("main a")["href"] == "/clinician/"
    client.post("/clinician/sign-out")
    sign_in(client, *make_clinician("admin@example.org", "admin"))
    page = check_page(client.get("/clinician/audit"))
    assert "signed-in" in text_of(page.select_one("table"))


def test_purge_dry_run_then_yes(app, runner, client, signed_in):
    old = sent_answer_sets(app, 3, datetime.utcnow() - timedelta(days=120), [LIVER])
    new = sent_answer_sets(app, 2, datetime.utcnow() - timedelta(days=10), [BREAST])
    dry = runner.invoke(args=["answers", "purge", "--older-than", "90d"])
    assert "Dry run: 3 answer sets are older than 90 days" in dry.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AnswerSet.id))) == 5
    done = runner.invoke(args=["answers", "purge", "--older-than", "90d", "--yes"])
    assert "Deleted 3 answer sets" in done.output
    with app.app_context():
        left = set(db.session.scalars(sa.select(AnswerSet.reference)))
    assert left == set(new) and not left & set(old)
    assert ("system", "purged", None) in actions(app)
    assert "give a number of days" in runner.invoke(args=["answers", "purge", "--older-than", "soon"]).output
