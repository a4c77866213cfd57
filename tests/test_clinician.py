"""The clinician area: sign-in, the list, one submission, review, notes, audit, exports."""

from __future__ import annotations

import csv
import io
import logging
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import BuildError

from app.extensions import db
from app.models import AnswerSet, AuditEvent, ClinicianNote, LoginSession, SummaryPdf
from clinician_helpers import sent_answer_sets, sign_in
from journey_helpers import complete_all_sections, start, submit
from support import SESSION_COOKIE, check_page

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"
OPEN = {"clinician.login", "clinician.logout"}


def text_of(page) -> str:
    return " ".join(page.get_text().split())


def actions(app) -> list[tuple[str, str, str | None]]:
    with app.app_context():
        return [(e.actor, e.action, e.reference) for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


@pytest.fixture
def signed_in(app, client, make_clinician):
    email, password = make_clinician()
    assert sign_in(client, email, password).status_code == 302
    return email


@pytest.fixture
def sent(app, client):
    """One answer set sent through the real patient journey; returns its reference."""
    patient = app.test_client()
    start(patient, BREAST)
    complete_all_sections(patient, BREAST, app.extensions["catalogue"])
    submit(patient, "/check-answers", status=302)
    with app.app_context():
        return db.session.scalars(sa.select(AnswerSet.reference)).one()


def test_every_clinician_page_needs_sign_in(app, client):
    # A real CSRF token, so a POST is stopped by the sign-in check and not by CSRF.
    token = check_page(client.get("/clinician/sign-in")).select_one("input[name=csrf_token]")["value"]
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("clinician.") or rule.endpoint in OPEN:
            continue
        values = {arg: {"reference": "PFP-AAAAAA", "slug": LIVER}[arg] for arg in rule.arguments}
        with app.test_request_context():
            try:
                url = url_for(rule.endpoint, **values)
            except BuildError as exc:
                raise AssertionError(f"add a sample value for {rule}") from exc
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
            assert response.status_code == 302, f"{method} {url} answered {response.status_code} without sign-in"
            assert response.location.startswith("/clinician/sign-in"), f"{method} {url} went to {response.location}"
            checked += 1
    assert checked >= 9


def test_sign_in_and_out(app, client, make_clinician):
    email, password = make_clinician()
    response = sign_in(client, email.upper(), password)
    assert response.location == "/clinician/"
    page = check_page(client.get("/clinician/"))
    assert email in text_of(page.select_one("header"))
    client.post("/clinician/sign-out")
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")
    assert [a for _, a, _ in actions(app)] == ["signed-in", "signed-out"]


@pytest.mark.parametrize("email, password", [
    ("nurse@example.org", "wrong password"),
    ("nobody@example.org", "correct horse battery"),
])
def test_failed_sign_in_says_the_same_thing_either_way(client, make_clinician, email, password):
    make_clinician()
    response = sign_in(client, email, password)
    page = check_page(response, 200)
    assert page.select_one(".nhsuk-error-summary a").get_text(strip=True) == "Enter a correct email address and password"
    assert page.select_one("input[name=email]")["value"] == email
    assert page.select_one("input[name=password]")["value"] == ""
    assert page.title.get_text().startswith("Error: ")


def test_a_replayed_cookie_after_sign_out_is_refused(client, signed_in):
    old_cookie = client.get_cookie(SESSION_COOKIE).value
    client.post("/clinician/sign-out")
    client.set_cookie(SESSION_COOKIE, old_cookie)
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")


@pytest.mark.parametrize("field, age", [("last_seen_at", timedelta(minutes=31)), ("created_at", timedelta(hours=11))])
def test_sessions_end_when_idle_or_too_old(app, client, signed_in, field, age):
    assert client.get("/clinician/").status_code == 200
    with app.app_context():
        db.session.execute(sa.update(LoginSession).values({field: datetime.utcnow() - age}))
        db.session.commit()
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")


def test_staff_pages_warn_before_the_idle_limit_and_can_renew_it(app, client, signed_in):
    dialog = check_page(client.get("/clinician/")).select_one("dialog#timeout")
    assert 29 * 60 < int(dialog["data-timeout"]) <= 30 * 60
    assert "Stay signed in" in dialog.get_text()
    renew = {"headers": {"X-CSRFToken": dialog["data-csrf-token"]}}

    with app.app_context():
        db.session.execute(sa.update(LoginSession).values(last_seen_at=datetime.utcnow() - timedelta(minutes=26)))
        db.session.commit()
    renewed = client.post("/clinician/session/extend", **renew)
    assert renewed.status_code == 200 and renewed.json["expires_in"] > 29 * 60

    with app.app_context():
        db.session.execute(sa.update(LoginSession).values(last_seen_at=datetime.utcnow() - timedelta(minutes=31)))
        db.session.commit()
    assert client.post("/clinician/session/extend", **renew).location.startswith("/clinician/sign-in")


def test_a_disabled_clinician_is_refused_at_once(app, client, runner, signed_in):
    assert client.get("/clinician/").status_code == 200
    result = runner.invoke(args=["users", "disable", "--email", signed_in])
    assert "their sessions have ended" in result.output
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")
    response = sign_in(client, signed_in, "correct horse battery")
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_list_filters_and_pages_through_500_submissions(app, client, signed_in):
    first = datetime(2026, 6, 1, 9, 0)
    references = sent_answer_sets(app, 500, first, [BREAST, LIVER], reviewed_every=5)
    newest_first = references[::-1]

    seen, url = [], "/clinician/"
    while url:
        page = check_page(client.get(url))
        seen += [a.get_text() for a in page.select("table.app-submissions tbody a")]
        older = page.select_one("nav.nhsuk-pagination a[rel=next]")
        url = older["href"] if older else None
    assert seen == newest_first
    assert "500 submissions, 400 not reviewed" in text_of(page)

    # Back again from the last page with "Newer".
    newer = page.select_one("nav.nhsuk-pagination a[rel=prev]")
    back = check_page(client.get(newer["href"]))
    assert [a.get_text() for a in back.select("table.app-submissions tbody a")] == newest_first[450:475]

    page = check_page(client.get(f"/clinician/?procedure={LIVER}&status=reviewed"))
    assert "50 submissions, 0 not reviewed" in text_of(page)
    page = check_page(client.get("/clinician/?status=not-reviewed"))
    assert "400 submissions, 400 not reviewed" in text_of(page)

    # 1 June from 9am UK time (8am UTC): the first 15 hours of UK 1 June hold sets 0 to 14.
    page = check_page(client.get("/clinician/?sent_from[day]=1&sent_from[month]=6&sent_from[year]=2026"
                                 "&sent_to[day]=1&sent_to[month]=6&sent_to[year]=2026"))
    assert [a.get_text() for a in page.select("table.app-submissions tbody a")] == references[:14][::-1]

    typed = references[123].removeprefix("PFP-").lower()
    page = check_page(client.get(f"/clinician/?reference={typed}"))
    assert [a.get_text() for a in page.select("table.app-submissions tbody a")] == [references[123]]


def test_list_counts_up_to_a_thousand_then_says_more_than(app, client, signed_in):
    def counts(url: str) -> str:
        return text_of(check_page(client.get(url)).h1.find_next("p"))

    sent_answer_sets(app, 1001, datetime(2026, 6, 1, 9, 0), [BREAST, LIVER], reviewed_every=1001)  # the first one reviewed
    assert counts("/clinician/") == "More than 1,000 submissions, 1,000 not reviewed."
    assert counts("/clinician/?status=not-reviewed") == "1,000 submissions, 1,000 not reviewed."
    assert counts("/clinician/?status=reviewed") == "1 submission, 0 not reviewed."

    sent_answer_sets(app, 1, datetime(2026, 8, 1, 9, 0), [LIVER])
    assert counts("/clinician/") == "More than 1,000 submissions, more than 1,000 not reviewed."


def test_a_backwards_date_range_is_explained(client, signed_in):
    page = check_page(client.get("/clinician/?sent_from[day]=2&sent_from[month]=6&sent_from[year]=2026"
                                 "&sent_to[day]=1&sent_to[month]=6&sent_to[year]=2026"))
    assert "The last date must be the same as or after the first date" in text_of(page.select_one(".nhsuk-error-summary"))
    assert page.select_one("input[name='sent_to[day]']")["value"] == "1"


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


@pytest.mark.parametrize("reference", ["PFP-%00AAAA", "PFP-AAAAAA%00", "%00", "PFP-AAAAAAA", "pfp-" + "A" * 300])
def test_an_address_with_no_reference_in_it_finds_nothing(app, client, signed_in, sent, reference):
    """Only a reference's shape reaches the database: PostgreSQL refuses text with a NUL in it."""
    token = check_page(client.get(f"/clinician/submissions/{sent}")).select_one("input[name=csrf_token]")["value"]
    before = actions(app)
    for suffix in ["", "/summary.pdf", "/fhir"]:
        assert client.get(f"/clinician/submissions/{reference}{suffix}").status_code == 404, suffix
    for suffix, form in [("/review", {}), ("/notes", {"text": "Call first"})]:
        assert client.post(f"/clinician/submissions/{reference}{suffix}", data={"csrf_token": token, **form}).status_code == 404
    assert actions(app) == before


def test_an_empty_note_is_refused_and_nothing_is_saved(app, client, signed_in, sent):
    page = check_page(client.get(f"/clinician/submissions/{sent}"))
    token = page.select_one("input[name=csrf_token]")["value"]
    response = client.post(f"/clinician/submissions/{sent}/notes", data={"csrf_token": token, "text": "   "})
    page = check_page(response, 400)
    assert page.select_one(".nhsuk-error-summary a").get_text(strip=True) == "Enter a note"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ClinicianNote.id))) == 0


def test_a_note_form_that_timed_out_keeps_the_note(app, client, signed_in, sent):
    notes = f"/clinician/submissions/{sent}/notes"
    page = check_page(client.post(notes, data={"csrf_token": "expired", "text": "Ring the ward first"}))
    assert "This page timed out, so we have not saved your note yet." in text_of(page)
    assert page.select_one("textarea[name=text]").get_text() == "Ring the ward first"

    token = page.select_one("input[name=csrf_token]")["value"]
    # A good token from another site is still refused: on HTTPS the Referer must be ours.
    cross_site = client.post(f"https://localhost{notes}", data={"csrf_token": token, "text": "Forged"},
                             headers={"Referer": "https://evil.example/"})
    assert "This page timed out" in text_of(check_page(cross_site))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ClinicianNote.id))) == 0

    saved = client.post(notes, data={"csrf_token": token, "text": page.select_one("textarea[name=text]").get_text()})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(ClinicianNote.text)).all() == ["Ring the ward first"]


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


def test_a_submission_not_found_leads_back_to_the_submissions(client, signed_in):
    page = check_page(client.get("/clinician/submissions/PFP-AAAAAA"), 404)
    assert page.h1.get_text(strip=True) == "Page not found"
    assert [a["href"] for a in page.select("main a")] == ["/clinician/"]
    assert signed_in in page.select_one("header").get_text() and "Sign out" in page.select_one("header").get_text()


def test_audit_page_is_for_admins_only(client, make_clinician, signed_in):
    refused = check_page(client.get("/clinician/audit"), 403)
    assert refused.h1.get_text(strip=True) == "You do not have access to this page"
    assert refused.select_one("main a")["href"] == "/clinician/"
    client.post("/clinician/sign-out")
    sign_in(client, *make_clinician("admin@example.org", "admin"))
    page = check_page(client.get("/clinician/audit"))
    assert "signed-in" in text_of(page.select_one("table"))


def test_csv_export_follows_the_filters_and_is_audited(app, client, signed_in):
    references = sent_answer_sets(app, 6, datetime(2026, 6, 1, 9), [BREAST, LIVER])
    response = client.get(f"/clinician/export.csv?procedure={LIVER}")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="submissions-')
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert response.data.startswith("\ufeff".encode())  # so Excel reads it as UTF-8
    assert rows[0][0] == "Reference"
    assert [row[0] for row in rows[1:]] == references[1::2][::-1]
    assert any(action == "exported" and "CSV of 3 submissions" in detail
               for action, detail in _details(app))


def _details(app):
    with app.app_context():
        return [(e.action, e.detail) for e in db.session.scalars(sa.select(AuditEvent))]


def test_fhir_downloads(app, client, signed_in, sent):
    questionnaire = client.get(f"/clinician/fhir/Questionnaire/{BREAST}")
    assert questionnaire.headers["Content-Type"] == "application/fhir+json"
    assert questionnaire.get_json()["resourceType"] == "Questionnaire"
    response = client.get(f"/clinician/submissions/{sent}/fhir").get_json()
    assert response["resourceType"] == "QuestionnaireResponse" and response["status"] == "completed"
    assert response["questionnaire"].startswith(questionnaire.get_json()["url"])


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


def test_users_are_made_from_the_command_line(app, client, runner):
    result = runner.invoke(args=["users", "create", "--email", "Dr.Who@Example.org", "--role", "admin"],
                           input="a long enough password\na long enough password\n")
    assert "Created admin account for dr.who@example.org" in result.output
    assert sign_in(client, "dr.who@example.org", "a long enough password").status_code == 302
    again = runner.invoke(args=["users", "create", "--email", "dr.who@example.org"], input="another password!\nanother password!\n")
    assert "already has an account" in again.output
    short = runner.invoke(args=["users", "create", "--email", "x@example.org", "--password", "short"])
    assert "must be 12 characters or more" in short.output


def test_demo_prints_credentials_that_work(app, client, runner):
    result = runner.invoke(args=["demo"])
    email, password = re.search(r"as (\S+) with password (\S+)", result.output).groups()
    sign_in(client, email, password)
    page = check_page(client.get("/clinician/"))
    assert "6 submissions, 6 not reviewed" in text_of(page)


def test_logs_hold_no_answers_or_secrets(app, client, signed_in, caplog):
    caplog.set_level(logging.DEBUG)
    patient = app.test_client()
    code = start(patient, LIVER)
    complete_all_sections(patient, LIVER, app.extensions["catalogue"])
    submit(patient, "/check-answers", status=302)
    with app.app_context():
        reference = db.session.scalars(sa.select(AnswerSet.reference)).one()
    client.get(f"/clinician/submissions/{reference}")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("Ann Example", "943 476 5919", "I am worried about pain.", code, "correct horse battery"):
        assert secret not in logged
