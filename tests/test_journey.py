import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import SUBMITTED, AnswerSet
from journey_helpers import complete_all_sections, hidden_fields, start, submit
from support import SESSION_COOKIE, check_page

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"


def text_of(page):
    return " ".join(page.get_text().split())


def only_answer_set(app) -> AnswerSet:
    with app.app_context():
        return db.session.scalars(sa.select(AnswerSet)).one()


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_whole_journey_ends_in_one_submitted_answer_set(app, client, slug):
    start(client, slug)
    complete_all_sections(client, slug, app.extensions["catalogue"])

    tasks = check_page(client.get("/tasks"))
    statuses = [s.get_text(strip=True) for s in tasks.select(".nhsuk-task-list__status")]
    assert statuses[:7] == ["Completed"] * 7

    check = check_page(client.get("/check-answers"))
    text = text_of(check)
    assert "Ann Example" in text and "943 476 5919" in text and "Yes: Welsh" in text
    assert "Can my daughter come in with me?" in text and "(your note: My note about this)" in text
    assert "SURE score 3 out of 4" in text
    assert "You may want more support before you decide" in text

    response = submit(client, "/check-answers", status=302)
    assert response.location.endswith("/confirmation")
    confirmation = text_of(check_page(client.get("/confirmation")))
    answer_set = only_answer_set(app)
    assert f"Your reference is {answer_set.reference}" in confirmation
    assert answer_set.status == SUBMITTED and answer_set.procedure_slug == slug
    assert answer_set.content_version == app.extensions["catalogue"].get(slug).version

    summary_link = check_page(client.get("/confirmation")).find("a", string="Read or print your summary")
    summary = text_of(check_page(client.get(summary_link["href"])))
    assert f"Reference: {answer_set.reference}" in summary
    assert "Can my daughter come in with me?" in summary and "Yes, Welsh" in summary


def test_secrets_are_stored_only_as_hashes(app, client):
    code = start(client, LIVER)
    answer_set = only_answer_set(app)
    assert code not in (answer_set.resume_code_hash, answer_set.token_hash)
    assert len(answer_set.resume_code_hash) == 64


def always_taken(taken: str, draws: list[str], times: int):
    """AnswerSet.start, but its first `times` draws give a reference already in use."""
    draw = AnswerSet.start

    def start_with_taken(slug, version):
        answer_set, token, code = draw(slug, version)
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


def test_resume_form_that_timed_out_says_so_and_keeps_the_code(app, client):
    code = start(client, BREAST)
    other_device = app.test_client()
    fields = hidden_fields(check_page(other_device.get("/resume")))
    page = check_page(other_device.post("/resume", data={**fields, "csrf_token": "expired", "code": code}))
    assert "This page timed out. Press Continue again." in text_of(page)
    assert page.select_one("input[name=code]")["value"] == code

    response = other_device.post("/resume", data=hidden_fields(page) | {"code": code})
    assert response.status_code == 302 and response.location.endswith("/tasks")


def test_private_link_resumes(app, client):
    start(client, LIVER)
    with client.session_transaction() as session:
        link = session["resume_link"]
    other_device = app.test_client()
    response = other_device.get(link.replace("http://localhost", ""))
    assert response.status_code == 302 and response.location.endswith("/tasks")
    assert check_page(other_device.get("/tasks")).h1.get_text() == "Prepare for your appointment"


@pytest.mark.parametrize("code", ["AAAA-AAAA", "not a code", "KX7P93QD"])
def test_wrong_code_gets_plain_message(client, code):
    page = check_page(submit(client, "/resume", {"code": code}, status=200))
    assert page.title.get_text().startswith("Error: ")
    assert page.select_one(".nhsuk-error-summary a").get_text(strip=True) == (
        "We could not find answers for that code. Check the code and try again"
    )
    assert page.select_one("input[name=code]")["value"] == code


def test_expired_code_gets_the_same_message(app, client):
    code = start(client, LIVER)
    with app.app_context():
        answer_set = db.session.scalars(sa.select(AnswerSet)).one()
        answer_set.updated_at = answer_set.updated_at.replace(year=answer_set.updated_at.year - 1)
        db.session.commit()
    page = check_page(submit(app.test_client(), "/resume", {"code": code}, status=200))
    assert "We could not find answers for that code" in text_of(page)


@pytest.mark.parametrize(
    "typed, stored, error",
    [
        ("9434765919", "943 476 5919", None),
        ("943 476 5919", "943 476 5919", None),
        ("943 476 5910", None, "Check your NHS number. The number you entered is not a real NHS number"),
        ("12345", None, "NHS number must be 10 digits"),
        ("94347659AB", None, "NHS number must be 10 digits"),
    ],
)
def test_nhs_number_check_digit(app, client, typed, stored, error):
    start(client, LIVER)
    response = submit(client, "/about-you", {"nhs_number": typed})
    if error:
        page = check_page(response)
        assert page.select_one(".nhsuk-error-summary a").get_text(strip=True) == error
        assert page.select_one("#nhs_number-error").get_text(" ", strip=True) == f"Error: {error}"
        assert page.select_one("input[name=nhs_number]")["value"] == typed
        assert "about_you" not in only_answer_set(app).answers
    else:
        assert response.status_code == 302
        assert only_answer_set(app).answers["about_you"]["nhs_number"] == stored


@pytest.mark.parametrize(
    "url, data, error, kept",
    [
        ("/about-you", {"name": "Ann", "appointment_date[day]": "31", "appointment_date[month]": "2", "appointment_date[year]": "2099"},
         "Appointment date must be a real date", ("input[name=name]", "Ann")),
        ("/about-you", {"appointment_date[day]": "1", "appointment_date[month]": "1", "appointment_date[year]": "2001"},
         "Appointment date must be today or in the future", ('input[name="appointment_date[year]"]', "2001")),
        ("/about-you", {"appointment_date[day]": "3", "appointment_date[year]": "2099"},
         "Appointment date must include a month", ('input[name="appointment_date[day]"]', "3")),
        ("/about-you", {"interpreter": "yes", "name": "Ann"}, "Enter the language you need an interpreter for", ("input[name=name]", "Ann")),
        ("/about-you", {"support_needs": "x" * 1001}, "Support needs must be 1,000 characters or fewer", ("textarea[name=support_needs]", "x" * 1001)),
        ("/questions", {"own-0-text": "q" * 501}, "Your question must be 500 characters or fewer", ("textarea[name=own-0-text]", "q" * 501)),
        ("/where-you-are", {"role": "myself"}, "Select which way you are leaning, or I'm not sure yet", ("input[name=role][value=myself]", None)),
    ],
)
def test_validation_errors_keep_what_was_typed(app, client, url, data, error, kept):
    start(client, BREAST)
    page = check_page(submit(client, url, data, status=200))
    assert page.title.get_text().startswith("Error: ")
    summary_links = [a.get_text(strip=True) for a in page.select(".nhsuk-error-summary a")]
    assert error in summary_links
    selector, value = kept
    element = page.select_one(selector)
    if value is None:
        assert element.has_attr("checked")
    elif element.name == "textarea":
        assert element.get_text() == value
    else:
        assert element["value"] == value
    assert only_answer_set(app).answers == {}


def test_text_limit_is_stated_on_the_page(client):
    start(client, BREAST)
    page = check_page(client.get("/about-you"))
    assert "You can write up to 1,000 characters." in text_of(page)


def test_add_another_question_without_javascript(app, client):
    start(client, LIVER)
    response = submit(client, "/questions", {"own-0-text": "First question", "add_another": "y"}, status=200)
    page = check_page(response)
    assert page.select_one("textarea[name=own-0-text]").get_text() == "First question"
    assert page.select_one("textarea[name=own-1-text]") is not None
    assert only_answer_set(app).answers["questions"]["own"] == ["First question"]


def test_cannot_choose_more_than_three_top_questions(app, client):
    start(client, BREAST)
    questions = app.extensions["catalogue"].questions_for(app.extensions["catalogue"].get(BREAST))
    submit(client, "/questions", {f"ask_{q.id}": "y" for q in questions[:4]}, status=302)
    page = check_page(submit(client, "/questions/most-important", {"top": [f"q:{q.id}" for q in questions[:4]]}, status=200))
    assert "Choose up to 3 questions" in text_of(page.select_one(".nhsuk-error-summary"))
    assert len(page.select("input[name=top][checked]")) == 4


def test_stale_tab_does_not_overwrite_newer_answers(app, client):
    start(client, LIVER)
    old_tab = hidden_fields(check_page(client.get("/about-you")))
    submit(client, "/about-you", {"name": "Newer name"}, status=302)

    response = client.post("/about-you", data={**old_tab, "name": "Older name"})
    page = check_page(response)
    assert "Your answers were changed in another tab or window" in text_of(page)
    assert page.select_one("input[name=name]")["value"] == "Newer name"
    assert only_answer_set(app).answers["about_you"]["name"] == "Newer name"


def test_double_submit_creates_one_submission(app, client):
    start(client, LIVER)
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
    submit(client, "/about-you", {"name": "Before"}, status=302)
    fields = hidden_fields(check_page(client.get("/about-you")))
    submit(client, "/check-answers", status=302)

    response = client.post("/about-you", data={**fields, "name": "After"})
    assert response.status_code == 302 and response.location.endswith("/confirmation")
    assert client.get("/about-you").location.endswith("/confirmation")
    assert only_answer_set(app).answers["about_you"]["name"] == "Before"


def test_expired_csrf_token_keeps_typed_text(app, client):
    start(client, BREAST)
    fields = hidden_fields(check_page(client.get("/what-matters")))
    fields["csrf_token"] = "expired-or-forged"
    page = check_page(client.post("/what-matters", data={**fields, "views": "Text typed slowly"}))
    assert "This page timed out" in text_of(page)
    assert page.select_one("textarea[name=views]").get_text() == "Text typed slowly"
    fresh = hidden_fields(page)["csrf_token"]
    assert fresh != "expired-or-forged"
    assert "what_matters" not in only_answer_set(app).answers


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
    assert only_answer_set(app).answers["about_you"]["name"] == "Typed before expiry"


def test_patient_text_is_text_not_markup(app, client):
    start(client, LIVER)
    submit(client, "/about-you", {"name": "<script>alert(1)</script>"}, status=302)
    html = client.get("/check-answers").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_journey_pages_warn_before_the_session_ends_and_can_renew_it(app, client):
    assert check_page(client.get("/")).select_one("dialog#timeout") is None  # no session, nothing to warn about
    assert client.post("/session/extend").status_code == 401
    start(client, LIVER)
    page = check_page(client.get("/about-you"))
    dialog = page.select_one("dialog#timeout")
    assert (dialog["data-timeout"], dialog["data-warning"]) == ("7200", "300")
    assert "I need more time" in dialog.get_text()

    renewed = client.post(dialog["data-extend-url"])
    assert renewed.status_code == 200 and renewed.json["expires_in"] == 7200
    assert renewed.headers["Cache-Control"] == "no-store"
    assert "session=" in renewed.headers["Set-Cookie"]
    # The page's form saves with the fresh token the renewal hands back.
    fields = {**hidden_fields(page), "csrf_token": renewed.json["csrf_token"], "name": "Ann"}
    assert client.post("/about-you", data=fields).status_code == 302
