"""Faults: a write the database refuses saves nothing and says so; two saves at once leave one clear winner."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.models import SUBMITTED, AnswerSet, AuditEvent
from app.patient.sections import STALE_MESSAGE
from clinician_helpers import sent_answer_sets, sign_in
from journey_helpers import complete_all_sections, hidden_fields, start
from support import SESSION_COOKIE, check_page, text_of

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

LIVER = "liver-laser-ablation"




def everything(app) -> dict[str, list[tuple]]:
    """Every row of every table, to show a failed request left no trace at all."""
    with app.app_context():
        return {
            table.name: [tuple(row) for row in db.session.execute(sa.select(table).order_by(*table.primary_key))]
            for table in db.metadata.sorted_tables
        }


def failure_banner(page) -> str:
    """The failure message, which must be in the page's notification area and announced (role=alert)."""
    banner = page.select_one("main .nhsuk-notification-banner[role=alert]")
    assert banner is not None, "no announced notification banner"
    return text_of(banner.select_one(".nhsuk-notification-banner__content"))


@contextmanager
def database_failing(app, at: str = "commit"):
    """Make the database refuse: every write statement (a full disk), or every COMMIT after the writes went through."""

    def refuse_write(connection, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith("SELECT"):
            # The driver's error carries the SQL and its parameters, as a real one would.
            raise OperationalError(statement, parameters, Exception("database or disk is full"))

    def refuse_commit(connection):
        raise OperationalError("COMMIT", None, Exception("server closed the connection unexpectedly"))

    with app.app_context():
        engine = db.engine
    event, refuse = ("before_cursor_execute", refuse_write) if at == "write" else ("commit", refuse_commit)
    sa.event.listen(engine, event, refuse)
    try:
        yield
    finally:
        sa.event.remove(engine, event, refuse)


def stored(app) -> AnswerSet:
    with app.app_context():
        return db.session.scalars(sa.select(AnswerSet).options(selectinload(AnswerSet.summary_pdf))).one()


def saved_sections(app) -> list[str]:
    """The audit trail's page saves, oldest first."""
    with app.app_context():
        query = sa.select(AuditEvent.detail).where(AuditEvent.action == "saved").order_by(AuditEvent.id)
        return db.session.scalars(query).all()


@pytest.mark.parametrize("at", ["write", "commit"])
def test_a_page_the_database_refuses_is_shown_again_with_what_was_typed(app, client, caplog, at):
    start(client, LIVER)
    typed = {
        **hidden_fields(check_page(client.get("/about-you"))),
        "name": "Ann Example", "companion": "yes", "support_needs": "Large print, please",
    }
    before = everything(app)

    with database_failing(app, at):
        response = client.post("/about-you", data=typed)

    page = check_page(response, 503)
    assert failure_banner(page) == (
        "Sorry, we could not save this page. We have kept what you typed. Try again in a minute."
    )
    assert page.select_one("input[name=name]")["value"] == "Ann Example"
    assert page.select_one("input[name=companion][value=yes]").has_attr("checked")
    assert page.select_one("textarea[name=support_needs]").get_text() == "Large print, please"
    assert hidden_fields(page)["version"] == typed["version"]  # pressing Continue again is not a stale tab
    assert everything(app) == before  # no answers, no audit event, no new version
    assert "Could not save POST /about-you, rolled back" in caplog.text
    assert "Ann Example" not in caplog.text and "Large print" not in caplog.text  # logs never hold answers

    retried = client.post("/about-you", data=typed)
    assert retried.status_code == 302 and retried.location.endswith("/about-the-procedure")
    answer_set = stored(app)
    assert answer_set.answers["support_needs"] == "Large print, please"
    assert answer_set.version == int(typed["version"]) + 1
    assert saved_sections(app) == ["about_you"]  # the failed try left no event of its own


def test_answers_the_database_refuses_to_send_stay_saved_and_unsent(app, client):
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    fields = hidden_fields(check_page(client.get("/check-answers")))
    before = everything(app)

    with database_failing(app):
        response = client.post("/check-answers", data=fields)

    page = check_page(response, 503)
    assert failure_banner(page) == (
        "Sorry, we could not send your answers. Your answers are still saved. "
        "Try sending them again in a minute."
    )
    assert "Ann Example" in text_of(page)  # still their answers to check
    assert everything(app) == before  # still in progress, no summary PDF, no "submitted" event

    retried = client.post("/check-answers", data=fields)
    assert retried.location.endswith("/confirmation")
    answer_set = stored(app)
    assert answer_set.status == SUBMITTED and answer_set.summary_pdf is not None


def test_a_start_the_database_refuses_makes_nothing_and_can_be_pressed_again(app, client):
    page = check_page(client.get(f"/procedures/{LIVER}"))
    start_form = f"form[action='/procedures/{LIVER}/start'] input[name=csrf_token]"
    before = everything(app)

    with database_failing(app):
        response = client.post(f"/procedures/{LIVER}/start", data={"csrf_token": page.select_one(start_form)["value"]})

    page = check_page(response, 503)
    assert failure_banner(page) == (
        "Sorry, we could not get things ready for you. Wait a minute, then press Start now again."
    )
    assert everything(app) == before
    assert client.get("/tasks").status_code == 302  # this browser holds no answer set that was never saved

    retried = client.post(f"/procedures/{LIVER}/start", data={"csrf_token": page.select_one(start_form)["value"]})
    assert retried.status_code == 302 and retried.location.endswith("/your-code")
    assert stored(app).procedure_slug == LIVER


@pytest.fixture
def submission(app, client, make_clinician) -> str:
    """A signed-in clinician looking at one sent answer set; returns its reference."""
    assert sign_in(client, *make_clinician()).status_code == 302
    (reference,) = sent_answer_sets(app, 1, datetime(2025, 3, 3, 9), [LIVER])
    return reference


def test_a_note_the_database_refuses_keeps_its_text(app, client, submission):
    page = check_page(client.get(f"/clinician/submissions/{submission}"))
    action = f"/clinician/submissions/{submission}/notes"
    note = {"csrf_token": page.select_one(f"form[action='{action}'] input[name=csrf_token]")["value"],
            "text": "Called to book a Welsh interpreter."}
    before = everything(app)

    with database_failing(app):
        response = client.post(action, data=note)

    page = check_page(response, 503)
    assert failure_banner(page) == (
        "Sorry, we could not save your note. We have kept what you typed. Try again in a minute."
    )
    assert page.select_one("textarea[name=text]").get_text() == note["text"]
    assert not page.select(".app-note")  # not listed as if it had been kept
    assert everything(app) == before

    retried = client.post(action, data=note)
    assert retried.status_code == 302
    notes = check_page(client.get(retried.location)).select(".app-note")
    assert len(notes) == 1 and note["text"] in notes[0].get_text()


def test_a_review_the_database_refuses_leaves_the_submission_not_reviewed(app, client, submission):
    page = check_page(client.get(f"/clinician/submissions/{submission}"))
    action = f"/clinician/submissions/{submission}/review"
    token = page.select_one(f"form[action='{action}'] input[name=csrf_token]")["value"]
    before = everything(app)

    with database_failing(app):
        response = client.post(action, data={"csrf_token": token})

    page = check_page(response, 503)
    assert failure_banner(page) == "Sorry, we could not mark this as reviewed. Try again in a minute."
    assert "Not reviewed" in text_of(page.h1.find_next("p"))
    assert everything(app) == before

    assert client.post(action, data={"csrf_token": token}).status_code == 302
    assert stored(app).reviewed_at is not None


def test_two_saves_at_once_leave_one_winner_and_tell_the_other(app, client):
    start(client, LIVER)
    tabs = [app.test_client(), app.test_client()]  # a phone and a laptop on the same answers
    for tab in tabs:
        tab.set_cookie(SESSION_COOKIE, client.get_cookie(SESSION_COOKIE).value)
    forms = [hidden_fields(check_page(tab.get("/about-you"))) for tab in tabs]
    assert forms[0]["version"] == forms[1]["version"]
    answers = [
        {"name": "Ann on her phone", "companion": "yes", "interpreter": "spoken", "language": "Welsh",
         "support_needs": "Large print, please"},
        {"name": "Ann on her laptop", "companion": "no", "interpreter": "spoken", "language": "Polish",
         "support_needs": "A hearing loop, please"},
    ]
    # Neither may write until both have read the same version and passed the form's version check.
    both_read = threading.Barrier(2, timeout=10)
    racers = {f"tab-{i}" for i in range(2)}

    def wait_for_the_other(session, flush_context, instances):
        me = threading.current_thread().name
        if me in racers and any(isinstance(o, AnswerSet) for o in session.dirty):
            racers.discard(me)
            both_read.wait()

    responses = {}

    def save(i: int):
        try:
            responses[i] = tabs[i].post("/about-you", data={**forms[i], **answers[i]})
        except BaseException as error:  # reported below, not lost in the thread
            responses[i] = error

    sa.event.listen(Session, "before_flush", wait_for_the_other)
    try:
        # Daemons, so a save stuck on a lock fails this test instead of hanging the run.
        threads = [threading.Thread(target=save, args=(i,), name=f"tab-{i}", daemon=True) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        sa.event.remove(Session, "before_flush", wait_for_the_other)
    assert not any(thread.is_alive() for thread in threads), "a save is stuck"
    assert not racers, "a save never reached the database"

    statuses = {i: getattr(r, "status_code", r) for i, r in responses.items()}
    assert sorted(statuses.values(), key=str) == [200, 302], statuses
    winner = next(i for i, status in statuses.items() if status == 302)
    loser = 1 - winner
    page = check_page(responses[loser])
    assert str(STALE_MESSAGE) in text_of(page.select_one("main .nhsuk-notification-banner"))
    assert page.select_one("input[name=name]")["value"] == answers[winner]["name"]  # the answers that were kept

    answer_set = stored(app)
    saved = answer_set.answers
    assert {key: saved[key] for key in answers[winner]} == answers[winner]  # the winner's, never a mix
    assert answer_set.version == int(forms[0]["version"]) + 1
    assert saved_sections(app) == ["about_you"]
