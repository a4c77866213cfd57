"""Nobody reaches answers that are not theirs: not by guessing, altering or replaying what the app hands out."""

from __future__ import annotations

import base64
import json

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet
from clinician_helpers import sign_in
from journey_helpers import complete_all_sections, hidden_fields, start, submit
from support import SESSION_COOKIE, check_page

LIVER = "liver-laser-ablation"
ANN = {"name": "Ann Example", "companion": "no", "interpreter": "no"}
BOB = {"name": "Bob Example", "companion": "no", "interpreter": "no"}


def answers(app) -> dict[int, dict]:
    with app.app_context():
        return {a.id: a.answers for a in db.session.scalars(sa.select(AnswerSet))}


@pytest.fixture
def two_patients(app):
    """Ann and Bob, each part way through, in their own browsers."""
    ann, bob = app.test_client(), app.test_client()
    start(ann, LIVER)
    submit(ann, "/about-you", ANN, status=302)
    start(bob, LIVER)
    submit(bob, "/about-you", BOB, status=302)
    with app.app_context():
        ids = {a.answers["name"]: a.id for a in db.session.scalars(sa.select(AnswerSet))}
    assert ids == {"Ann Example": 1, "Bob Example": 2}  # sequential ids: the easy guess for an attacker
    return ann, bob


def forged(app, answer_set_id: int, secret_key: str) -> str:
    """A session cookie naming another answer set, signed with a key the attacker guessed."""
    real_key = app.secret_key
    app.secret_key = secret_key
    try:
        return app.session_interface.get_signing_serializer(app).dumps({"answer_set_id": answer_set_id})
    finally:
        app.secret_key = real_key


def assert_no_access(app, browser, before: dict) -> None:
    """The browser is treated as having no answers at all, and nothing anywhere changed."""
    assert browser.get("/tasks").location.endswith("/resume")
    assert browser.get("/about-you").location.endswith("/resume")
    assert browser.get("/summary.pdf").location.endswith("/resume")
    form = {"csrf_token": "x", "version": "1", **ANN, "name": "Mallory"}
    page = check_page(browser.post("/about-you", data=form), 401)
    assert "Enter your resume code" in page.get_text() and "Bob Example" not in page.get_text()
    assert answers(app) == before


def test_a_forged_or_altered_session_cookie_opens_nothing(app, two_patients):
    ann, _ = two_patients
    before = answers(app)
    mallory = app.test_client()
    for key in ["test-only-but-wrong", "secret", "changeme"]:
        mallory.set_cookie(SESSION_COOKIE, forged(app, 2, key))
        assert_no_access(app, mallory, before)

    # Ann's own cookie with its payload changed to Bob's id: the signature no longer matches.
    _, timestamp, signature = ann.get_cookie(SESSION_COOKIE).value.rsplit(".", 2)
    altered = base64.urlsafe_b64encode(json.dumps({"answer_set_id": 2}).encode()).decode().rstrip("=")
    mallory.set_cookie(SESSION_COOKIE, f"{altered}.{timestamp}.{signature}")
    assert_no_access(app, mallory, before)


def test_ids_in_the_address_or_form_are_ignored(app, two_patients):
    ann, _ = two_patients
    for url in ["/about-you?answer_set_id=2", "/about-you?id=2", "/tasks?answer_set=2"]:
        page = check_page(ann.get(url))
        assert "Bob Example" not in page.get_text()
    form = hidden_fields(check_page(ann.get("/about-you")))
    ann.post("/about-you", data={**form, **ANN, "name": "Ann Again", "answer_set_id": "2", "id": "2"})
    saved = answers(app)
    assert saved[1]["name"] == "Ann Again" and saved[2]["name"] == "Bob Example"


def test_guessed_or_altered_links_find_nothing(app, two_patients):
    ann, _ = two_patients
    link = check_page(ann.get("/your-code")).select_one(".app-resume-link").get_text(strip=True)
    token = link.rsplit("/", 1)[1]
    mallory = app.test_client()
    guesses = ["1", "2", token[:-1], token[:-1] + ("A" if token[-1] != "A" else "B"), token.upper(), token + "x"]
    for guess in guesses:
        assert mallory.get(f"/resume/{guess}").status_code == 404, guess
        assert mallory.get("/tasks").location.endswith("/resume")
    assert mallory.get(f"/resume/{token}").location.endswith("/tasks")  # the real link, for contrast


def test_a_patient_session_opens_no_staff_page(app, two_patients):
    ann, _ = two_patients
    complete_all_sections(ann, LIVER, app)
    submit(ann, "/check-answers", status=302)
    with app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference).where(AnswerSet.id == 1))
    for url in ["/clinician/", f"/clinician/submissions/{reference}", f"/clinician/submissions/{reference}/summary.pdf",
                "/clinician/export.csv", "/clinician/audit"]:
        assert ann.get(url).location.startswith("/clinician/sign-in"), url


def test_a_disabled_clinician_is_refused_at_once_everywhere(app, client, runner, make_clinician):
    """Disabling an account ends the session it is using now, not at its next sign-in."""
    patient = app.test_client()
    start(patient, LIVER)
    complete_all_sections(patient, LIVER, app)
    submit(patient, "/check-answers", status=302)
    with app.app_context():
        reference = db.session.scalars(sa.select(AnswerSet.reference)).one()
    email, password = make_clinician()
    assert sign_in(client, email, password).status_code == 302
    page = check_page(client.get(f"/clinician/submissions/{reference}"))
    note = {"csrf_token": page.select_one("input[name=csrf_token]")["value"], "text": "Call before the appointment"}

    assert "their sessions have ended" in runner.invoke(args=["users", "disable", "--email", email]).output
    for url in ["/clinician/", f"/clinician/submissions/{reference}", f"/clinician/submissions/{reference}/summary.pdf",
                "/clinician/export.csv"]:
        assert client.get(url).location.startswith("/clinician/sign-in"), url
    assert client.post(f"/clinician/submissions/{reference}/notes", data=note).location.startswith("/clinician/sign-in")
    with app.app_context():
        assert db.session.scalars(sa.select(AnswerSet)).one().notes == []
    assert "Enter a correct email address and password" in sign_in(client, email, password).get_data(as_text=True)
