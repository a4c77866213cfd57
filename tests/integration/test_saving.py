"""What a patient saves is kept: one answer set per journey, hashed secrets, resuming anywhere,
stale tabs, sending once."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import SUBMITTED, AnswerSet
from journey_helpers import complete_all_sections, hidden_fields, live, only_answer_set, start, submit
from support import SESSION_COOKIE, check_page, text_of

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_whole_journey_ends_in_one_submitted_answer_set(app, client, slug):
    start(client, slug)
    complete_all_sections(client, slug, app)

    tasks = check_page(client.get("/tasks"))
    statuses = [s.get_text(strip=True) for s in tasks.select(".nhsuk-task-list__status")]
    assert statuses[:8] == ["Completed"] * 8  # the companion's page among them: someone is coming

    check = check_page(client.get("/check-answers"))
    text = text_of(check)
    assert "Ann Example" in text and "943 476 5919" in text
    assert "Interpreter Yes, for a spoken language Change Interpreter Language Welsh" in text
    assert "For the person coming with you Questions from the person coming with you Can I stay with her" in text
    assert "Can my daughter come in with me?" in text and "(your note: My note about this)" in text
    assert "SURE score 3 out of 4" in text
    assert "You may want more support before you decide" in text

    response = submit(client, "/check-answers", status=302)
    assert response.location.endswith("/confirmation")
    confirmation = text_of(check_page(client.get("/confirmation")))
    answer_set = only_answer_set(app)
    assert f"Your reference is {answer_set.reference}" in confirmation
    assert answer_set.status == SUBMITTED and answer_set.procedure_slug == slug
    assert answer_set.content_version_id == live(app, slug).id

    summary_link = check_page(client.get("/confirmation")).find("a", string="Read or print your summary")
    summary = text_of(check_page(client.get(summary_link["href"])))
    assert f"Reference: {answer_set.reference}" in summary
    assert "Can my daughter come in with me?" in summary and "Spoken language: Welsh" in summary


def test_secrets_are_stored_only_as_hashes(app, client):
    code = start(client, LIVER)
    answer_set = only_answer_set(app)
    assert code not in (answer_set.resume_code_hash, answer_set.token_hash)
    assert len(answer_set.resume_code_hash) == 64


def always_taken(taken: str, draws: list[str], times: int):
    """AnswerSet.start, but its first `times` draws give a reference already in use."""
    draw = AnswerSet.start

    def start_with_taken(slug, version, **given):
        answer_set, token, code = draw(slug, version, **given)
        if len(draws) < times:
            answer_set.reference = taken
        draws.append(answer_set.reference)
        return answer_set, token, code

    return start_with_taken


def test_a_reference_already_taken_is_drawn_again(app, client, monkeypatch):
    start(client, LIVER)
    taken = only_answer_set(app).reference
    draws = []
    monkeypatch.setattr(AnswerSet, "start", always_taken(taken, draws, times=1))

    other = app.test_client()
    code = start(other, BREAST)

    assert draws[0] == taken and draws[1] != taken
    with app.app_context():
        started = db.session.scalars(sa.select(AnswerSet).where(AnswerSet.reference != taken)).one()
        assert (started.reference, started.procedure_slug) == (draws[1], BREAST)
    assert code in check_page(other.get("/tasks")).get_text()


def test_a_start_that_keeps_drawing_taken_references_says_try_again(app, client, monkeypatch):
    start(client, LIVER)
    taken = only_answer_set(app).reference
    monkeypatch.setattr(AnswerSet, "start", always_taken(taken, [], times=99))

    other = app.test_client()
    page = check_page(other.get(f"/procedures/{BREAST}"))
    token = page.select_one(f"form[action='/procedures/{BREAST}/start'] input[name=csrf_token]")["value"]
    response = other.post(f"/procedures/{BREAST}/start", data={"csrf_token": token})

    assert "Wait a minute, then press Start now again." in check_page(response, 503).get_text()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerSet)) == 1


def test_resume_code_restores_answers_on_new_device(app, client):
    code = start(client, BREAST)
    submit(client, "/about-you", {"name": "Ann Example"}, status=302)

    other_device = app.test_client()
    assert other_device.get("/tasks").status_code == 302  # nothing without the code
    submit(other_device, "/resume", {"code": code.lower().replace("-", " ")}, status=302)
    page = check_page(other_device.get("/about-you"))
    assert page.select_one("input[name=name]")["value"] == "Ann Example"


def test_private_link_resumes(app, client):
    start(client, LIVER)
    with client.session_transaction() as session:
        token = session["resume_link"]  # the token of the private link
    other_device = app.test_client()
    response = other_device.get(f"/resume/{token}")
    assert response.status_code == 302 and response.location.endswith("/tasks")
    assert check_page(other_device.get("/tasks")).h1.get_text() == "Prepare for your appointment"


def test_expired_code_gets_the_same_message(app, client, clock):
    code = start(client, LIVER)
    clock.forward(days=app.config["RESUME_DAYS"] + 1)  # since the last save
    page = check_page(submit(app.test_client(), "/resume", {"code": code}, status=200))
    assert "We could not find answers for that code" in text_of(page)


def test_stale_tab_does_not_overwrite_newer_answers(app, client):
    start(client, LIVER)
    old_tab = hidden_fields(check_page(client.get("/about-you")))
    submit(client, "/about-you", {"name": "Newer name"}, status=302)

    response = client.post("/about-you", data={**old_tab, "name": "Older name"})
    page = check_page(response)
    assert "Your answers were changed in another tab or window" in text_of(page)
    assert page.select_one("input[name=name]")["value"] == "Newer name"
    assert only_answer_set(app).answers["name"] == "Newer name"


def test_double_submit_creates_one_submission(app, client):
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    page = check_page(client.get("/check-answers"))
    fields = hidden_fields(page)
    first = client.post("/check-answers", data=fields)
    second = client.post("/check-answers", data=fields)
    assert first.location.endswith("/confirmation") and second.location.endswith("/confirmation")
    answer_set = only_answer_set(app)
    assert answer_set.status == SUBMITTED
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerSet)) == 1


def test_submitted_answer_set_is_read_only(app, client):
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    submit(client, "/about-you", {"name": "Before"}, status=302)
    fields = hidden_fields(check_page(client.get("/about-you")))
    submit(client, "/check-answers", status=302)

    response = client.post("/about-you", data={**fields, "name": "After"})
    assert response.status_code == 302 and response.location.endswith("/confirmation")
    assert client.get("/about-you").location.endswith("/confirmation")
    assert only_answer_set(app).answers["name"] == "Before"


def test_session_ended_while_typing_saves_after_resume_code(app, client):
    code = start(client, LIVER)
    fields = hidden_fields(check_page(client.get("/about-you")))
    client.delete_cookie(SESSION_COOKIE)  # the session expired while they typed

    response = client.post("/about-you", data={**fields, "name": "Typed before expiry"})
    page = check_page(response, status=401)
    assert page.h1.get_text() == "Your session ended: enter your code to save your answers"
    carried = hidden_fields(page)
    assert carried["name"] == "Typed before expiry"

    resumed = client.post("/resume", data={**carried, "code": code})
    assert resumed.status_code == 307 and resumed.location == "/about-you"
    # A browser repeats the POST on a 307, body and all.
    saved = client.post(resumed.location, data={**carried, "code": code})
    assert saved.location.endswith("/about-the-procedure")
    assert only_answer_set(app).answers["name"] == "Typed before expiry"
