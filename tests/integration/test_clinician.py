"""The clinician area: sign-in, the list, one submission, review, notes, audit, exports."""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import BuildError

from app.extensions import db
from app.models import AnswerSet, ClinicianNote
from clinician_helpers import sign_in
from journey_helpers import complete_all_sections, start, submit
from support import check_page, text_of

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"
# Open to anyone: each step of signing in either answers itself (404 with nothing to show) or sends to sign-in.
OPEN = {"clinician.login", "clinician.logout", "clinician.second_factor_qr_code", "clinician.reset_password",
        "clinician.sso_start", "clinician.sso_callback"}






def test_every_clinician_page_needs_sign_in(app, client):
    # A real CSRF token, so a POST is stopped by the sign-in check and not by CSRF.
    token = check_page(client.get("/clinician/sign-in")).select_one("input[name=csrf_token]")["value"]
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("clinician.") or rule.endpoint in OPEN:
            continue
        values = {arg: {"reference": "PFP-AAAAAA", "slug": LIVER, "version": "0123456789ab", "kind": "png",
                   "member_id": 1, "path": "about-you", "account_id": 1, "membership_id": 1}[arg]
                  for arg in rule.arguments}
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


def test_a_submission_not_found_leads_back_to_the_submissions(client, signed_in):
    page = check_page(client.get("/clinician/submissions/PFP-AAAAAA"), 404)
    assert page.h1.get_text(strip=True) == "Page not found"
    assert [a["href"] for a in page.select("main a")] == ["/clinician/"]
    assert signed_in in page.select_one("header").get_text() and "Sign out" in page.select_one("header").get_text()


def test_fhir_downloads(app, client, signed_in, sent):
    questionnaire = client.get(f"/clinician/fhir/Questionnaire/{BREAST}")
    assert questionnaire.headers["Content-Type"] == "application/fhir+json"
    assert questionnaire.get_json()["resourceType"] == "Questionnaire"
    response = client.get(f"/clinician/submissions/{sent}/fhir").get_json()
    assert response["resourceType"] == "QuestionnaireResponse" and response["status"] == "completed"
    assert response["questionnaire"].startswith(questionnaire.get_json()["url"])


def test_users_are_made_from_the_command_line(app, client, runner):
    result = runner.invoke(args=["users", "create", "--email", "Dr.Who@Example.org", "--role", "admin"],
                           input="a long enough password\na long enough password\n")
    assert "Created admin account for dr.who@example.org" in result.output
    # A service admin sets up a second factor at the first sign-in, and sees their recovery codes.
    codes = check_page(sign_in(client, "dr.who@example.org", "a long enough password"))
    assert codes.h1.get_text(strip=True) == "Save your recovery codes" and len(codes.select("ul code")) == 10
    again = runner.invoke(args=["users", "create", "--email", "dr.who@example.org"],
                          input="another password!\nanother password!\n")
    assert "already has an account" in again.output
    short = runner.invoke(args=["users", "create", "--email", "x@example.org", "--password", "short"])
    assert "must be 12 characters or more" in short.output


def test_demo_prints_credentials_that_work(app, client, runner):
    result = runner.invoke(args=["demo"])
    email, password = re.search(r"as (\S+) with password (\S+)", result.output).groups()
    sign_in(client, email, password)
    page = check_page(client.get("/clinician/"))
    assert "6 submissions, 6 not reviewed" in text_of(page)


def test_demo_refuses_a_database_with_real_submissions_unless_forced(app, client, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    submit(client, "/check-answers", status=302)
    # The demo's own sets are there too, and are not counted as real.
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code == 1 and "holds 1 real submission" in refused.output and "--force" in refused.output
    with app.app_context():
        # One demo run (three people sent for each procedure, three invited) and the real one.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerSet)) == 3 * 2 + 3 + 1
    assert runner.invoke(args=["demo", "--force"]).exit_code == 0


def test_logs_hold_no_answers_or_secrets(app, client, signed_in, caplog):
    caplog.set_level(logging.DEBUG)
    patient = app.test_client()
    code = start(patient, LIVER)
    complete_all_sections(patient, LIVER, app)
    submit(patient, "/check-answers", status=302)
    with app.app_context():
        reference = db.session.scalars(sa.select(AnswerSet.reference)).one()
    client.get(f"/clinician/submissions/{reference}")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("Ann Example", "943 476 5919", "I am worried about pain.", code, "correct horse battery"):
        assert secret not in logged


def test_staff_pages_banner_and_footer_talk_to_staff_not_patients(client, get_page, make_clinician):
    staff = get_page("/clinician/sign-in")
    banner = text_of(staff.select_one(".app-phase-banner"))
    assert "for care teams" in banner and "It helps you prepare for an appointment" not in banner
    footer = staff.select_one("footer")
    assert "Staff pages: for care teams only. Every view is recorded." in text_of(footer)
    assert [a.get_text(strip=True) for a in footer.select("a")] == [
        "Submissions", "Accessibility statement", "Privacy", "What patients see"]
    patient = text_of(get_page("/").select_one(".app-phase-banner"))
    assert "It helps you prepare for an appointment" in patient and "care teams" not in patient
    sign_in(client, *make_clinician())
    links = [a.get_text(strip=True) for a in get_page("/clinician/").select("footer a")]
    assert links == ["Submissions", "Your account", "Accessibility statement", "Privacy", "What patients see"]
