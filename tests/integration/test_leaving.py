"""Finding the way back, signing out on a shared computer, and deleting unsent answers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet, AuditEvent
from journey_helpers import complete_all_sections, hidden_fields, start, submit
from support import SESSION_COOKIE, check_page, text_of

pytestmark = pytest.mark.both_databases  # storage: sign-out and deletion change rows

LIVER = "liver-laser-ablation"


def private_link(client) -> str:
    return check_page(client.get("/your-code")).select_one(".app-resume-link a")["href"]


def resume_with_code(client, code: str):
    token = check_page(client.get("/resume")).select_one("input[name=csrf_token]")["value"]
    return client.post("/resume", data={"csrf_token": token, "code": code})


def test_the_start_page_and_each_procedure_page_lead_to_carrying_on(client, get_page):
    for url in ("/", f"/procedures/{LIVER}"):
        link = get_page(url).find("a", string="Carry on with your answers")
        assert link is not None and link["href"] == "/resume", url
    assert get_page("/resume").h1.get_text(strip=True) == "Carry on with your answers"


def test_the_your_code_page_says_where_and_how_to_use_the_code(client):
    start(client, LIVER)
    page = text_of(check_page(client.get("/your-code")))
    assert "go to http://localhost/" in page and "Choose Carry on with your answers" in page
    assert "Enter your resume code" in page


def test_back_by_the_private_link_the_patient_can_see_their_code_again(app, client):
    code = start(client, LIVER)
    link = private_link(client)
    later = app.test_client()  # another device, days later
    assert later.get(link.removeprefix("http://localhost")).location.endswith("/tasks")
    assert code in text_of(check_page(later.get("/tasks")))
    assert check_page(later.get("/your-code")).select_one(".app-resume-code").get_text(strip=True) == code


@pytest.mark.fresh_app
def test_after_a_key_rotation_the_link_still_shows_the_code_while_the_old_key_is_kept(make_app):
    old = make_app(SECRET_KEY="the-old-key")
    first = old.test_client()
    code = start(first, LIVER)
    path = private_link(first).removeprefix("http://localhost")

    rotated = make_app(SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=["the-old-key"]).test_client()
    rotated.get(path)
    assert check_page(rotated.get("/your-code")).select_one(".app-resume-code").get_text(strip=True) == code

    forgotten = make_app(SECRET_KEY="the-new-key").test_client()
    forgotten.get(path)
    page = check_page(forgotten.get("/your-code"))
    assert page.select_one(".app-resume-code") is None and "We cannot show your resume code" in text_of(page)
    # The code written down still works: its hash is what is stored.
    assert resume_with_code(make_app(SECRET_KEY="the-new-key").test_client(), code).location.endswith("/tasks")


def test_signing_out_ends_the_session_and_a_copied_cookie_is_refused(app, client):
    code = start(client, LIVER)
    submit(client, "/about-you", {"name": "Ann Example"}, status=302)
    copy = app.test_client()
    copy.set_cookie(SESSION_COOKIE, client.get_cookie(SESSION_COOKIE).value)
    assert copy.get("/tasks").status_code == 200

    tasks = check_page(client.get("/tasks"))
    assert tasks.select_one("form[action='/sign-out'] button").get_text(strip=True) == "Sign out"
    response = client.post("/sign-out")
    assert response.location.endswith("/signed-out") and response.headers["Clear-Site-Data"] == '"cache"'
    for browser in (client, copy):
        assert browser.get("/tasks").location.endswith("/resume")
        assert browser.get("/your-code").location.endswith("/resume")
    # Carrying on with the code works, and only the new session does.
    assert resume_with_code(client, code).location.endswith("/tasks")
    assert copy.get("/about-you").location.endswith("/resume")


def test_the_address_to_come_back_to_is_the_services_own_not_the_one_this_request_came_by(make_app):
    app = make_app(SERVICE_URL="https://prepare.example.nhs.uk/")
    client = app.test_client()
    start(client, LIVER)
    for page in (client.get("/your-code"), client.get(client.post("/sign-out").location)):
        words = text_of(check_page(page))
        assert "go to https://prepare.example.nhs.uk/" in words and "localhost" not in words


def test_the_signed_out_page_shows_nothing_of_the_patient_and_how_to_come_back(app, client):
    code = start(client, LIVER)
    submit(client, "/about-you", {"name": "Ann Example"}, status=302)
    with app.app_context():
        reference = db.session.scalar(sa.select(AnswerSet.reference))
    page = check_page(client.get(client.post("/sign-out").location))
    words = text_of(page)
    assert page.h1.get_text(strip=True) == "You have signed out"
    assert "Choose Carry on with your answers" in words and "Enter your resume code" in words
    for private in (code, reference, "Ann Example", "Liver", "liver"):
        assert private not in words, private


def test_save_and_sign_out_saves_the_page_first(app, client):
    code = start(client, LIVER)
    response = submit(client, "/about-you", {"name": "Ann Example", "sign_out": "y"}, status=302)
    assert response.location.endswith("/signed-out")
    assert client.get("/about-you").location.endswith("/resume")
    resume_with_code(client, code)
    assert check_page(client.get("/about-you")).select_one("input[name=name]")["value"] == "Ann Example"


def test_save_and_sign_out_with_a_mistake_keeps_the_page_and_says_what_to_fix(client):
    start(client, LIVER)
    page = check_page(submit(client, "/about-you", {"nhs_number": "123", "sign_out": "y"}), 200)
    assert "NHS number must be 10 digits" in text_of(page)
    assert client.get("/tasks").status_code == 200  # still signed in, nothing lost


def answer_sets(app) -> list[AnswerSet]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AnswerSet)))


def test_deleting_unsent_answers_removes_them_and_the_audit_keeps_only_the_reference(app, client):
    code = start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    [answer_set] = answer_sets(app)
    page = check_page(client.get("/tasks"))
    assert page.find("a", string="Delete my answers")["href"] == "/delete-my-answers"
    confirm = check_page(client.get("/delete-my-answers"))
    assert confirm.h1.get_text(strip=True) == "Are you sure you want to delete your answers?"
    assert "You cannot undo this" in text_of(confirm)

    response = client.post("/delete-my-answers", data=hidden_fields(confirm))
    assert response.location.endswith("/answers-deleted")
    assert "Your answers have been deleted" in text_of(check_page(client.get(response.location)))
    assert answer_sets(app) == []
    with app.app_context():
        last = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.actor, last.action, last.reference, last.detail) == (
        "patient", "deleted-by-patient", answer_set.reference, "")
    assert client.get("/tasks").location.endswith("/resume")
    assert "We could not find answers for that code" in text_of(check_page(resume_with_code(client, code)))


def test_a_timed_out_delete_page_deletes_nothing(app, client):
    start(client, LIVER)
    page = check_page(client.post("/delete-my-answers", data={"csrf_token": "expired"}))
    assert "we have not deleted anything" in text_of(page)
    assert len(answer_sets(app)) == 1


def test_sent_answers_cannot_be_deleted_by_the_patient(app, client):
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    submit(client, "/check-answers", status=302)
    assert client.get("/delete-my-answers").location.endswith("/confirmation")
    assert client.post("/delete-my-answers", data={}).location.endswith("/confirmation")
    assert len(answer_sets(app)) == 1
