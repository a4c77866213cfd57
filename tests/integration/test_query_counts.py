"""How many SQL statements each page sends: a few, fixed, and never one per row (no N+1)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.clinician import auth
from app.extensions import db
from app.models import AnswerSet, Clinician, ClinicianNote
from clinician_helpers import sent_answer_sets, sign_in
from journey_helpers import hidden_fields, live, section_answers, start
from support import check_page

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

LIVER = "liver-laser-ablation"


@contextmanager
def statements(app):
    """The SQL statements the app's engine sends inside the block (COMMIT and ROLLBACK are not statements)."""
    sent = []

    def record(connection, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_patient_pages_send_a_few_fixed_statements(app, client):
    start(client, LIVER)
    sent = {}
    for url, data in section_answers(live(app, LIVER)):
        with statements(app) as on_get:
            page = check_page(client.get(url))
        with statements(app) as on_post:
            assert client.post(url, data={**hidden_fields(page), **data}).status_code == 302
        sent[url] = (len(on_get), len(on_post))
    for url in ("/tasks", "/check-answers"):
        with statements(app) as on_get:
            page = check_page(client.get(url))
        sent[url] = (len(on_get), None)
    with statements(app) as on_post:
        assert client.post("/check-answers", data=hidden_fields(page)).status_code == 302
    sent["/check-answers"] = (sent["/check-answers"][0], len(on_post))
    for url in ("/confirmation", "/summary"):
        with statements(app) as on_get:
            check_page(client.get(url))
        sent[url] = (len(on_get), None)
    with statements(app) as on_get:
        assert client.get("/summary.pdf").content_type == "application/pdf"
    sent["/summary.pdf"] = (len(on_get), None)

    # (GET, POST). Every page first loads the patient's answer set by the id
    # in their session cookie: 1. Saving a section adds the UPDATE of the
    # answer set (which checks its version) and the INSERT of the audit event: 3.
    # Sending also looks for a stored PDF to replace (attaching the new one
    # loads the old), and INSERTs the new one: 5. Then, after the commit, the
    # sent set is read back with its clinic, whose inbox is told (Ann needs an
    # interpreter) and the email logged: 8. The confirmation and summary
    # pages ask for the stored PDF's size, not its bytes: 2. A download loads the stored PDF
    # with its bytes: 2.
    section = (1, 3)
    assert sent == {
        "/about-you": section, "/about-the-procedure": section, "/benefits-and-risks": section,
        "/questions": section, "/questions/most-important": section, "/what-matters": section,
        "/the-person-coming-with-you": section, "/consent": section, "/where-you-are": section,
        "/tasks": (1, None), "/check-answers": (1, 8), "/confirmation": (2, None), "/summary": (2, None),
        "/summary.pdf": (2, None),
    }


@pytest.fixture
def clinician_client(app, client, make_clinician, monkeypatch):
    """A signed-in clinician whose session is not refreshed during the test (that write comes once a minute)."""
    monkeypatch.setattr(auth, "LAST_SEEN_EVERY", timedelta(hours=1))
    assert sign_in(client, *make_clinician()).status_code == 302
    return client


def statements_for(app, client, url: str) -> list[str]:
    with statements(app) as sent:
        check_page(client.get(url))
    return sent


def test_the_list_sends_as_many_statements_for_60_submissions_as_for_1(app, clinician_client):
    sent_answer_sets(app, 1, datetime(2026, 6, 1, 9), [LIVER])
    one = statements_for(app, clinician_client, "/clinician/")
    sent_answer_sets(app, 59, datetime(2026, 6, 2, 9), [LIVER], reviewed_every=2)
    sixty = statements_for(app, clinician_client, "/clinician/")

    # The clinician's sign-in with their account and clinics (1), the clinics
    # they may see, for the filter (1), the procedures with the version each
    # is on now (1), the page of rows (1), both counts (1).
    assert len(one) == len(sixty) == 5, sixty


def test_a_submission_sends_as_many_statements_with_5_notes_as_with_none(app, clinician_client, make_clinician):
    reference, = sent_answer_sets(app, 1, datetime(2026, 6, 1, 9), [LIVER])
    none = statements_for(app, clinician_client, f"/clinician/submissions/{reference}")

    authors = [make_clinician(f"nurse{n}@example.org")[0] for n in range(5)]  # not the one signed in
    with app.app_context():
        answer_set = db.session.scalar(sa.select(AnswerSet).where(AnswerSet.reference == reference))
        for n, email in enumerate(authors):
            author = db.session.scalar(sa.select(Clinician).where(Clinician.email == email))
            db.session.add(ClinicianNote(answer_set=answer_set, author=author, text=f"Note {n}"))
        db.session.commit()
    five = statements_for(app, clinician_client, f"/clinician/submissions/{reference}")

    # The clinician's sign-in with their account and clinics (1), the answer
    # set with who reviewed it (1), its notes with their authors (1), the
    # version patients are on now, to flag one updated since sending (1), the
    # audit event "viewed" (1).
    assert len(none) == len(five) == 5, five
