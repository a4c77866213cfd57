import pytest

from journey_helpers import hidden_fields, live, only_answer_set, start, submit
from support import check_page, text_of

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"


def test_resume_form_that_timed_out_says_so_and_keeps_the_code(app, client):
    code = start(client, BREAST)
    other_device = app.test_client()
    fields = hidden_fields(check_page(other_device.get("/resume")))
    page = check_page(other_device.post("/resume", data={**fields, "csrf_token": "expired", "code": code}))
    assert "This page timed out. Press Continue again." in text_of(page)
    assert page.select_one("input[name=code]")["value"] == code

    response = other_device.post("/resume", data=hidden_fields(page) | {"code": code})
    assert response.status_code == 302 and response.location.endswith("/tasks")


@pytest.mark.parametrize("code", ["AAAA-AAAA", "not a code", "KX7P93QD"])
def test_wrong_code_gets_plain_message(client, code):
    page = check_page(submit(client, "/resume", {"code": code}, status=200))
    assert page.title.get_text().startswith("Error: ")
    assert page.select_one(".nhsuk-error-summary a").get_text(strip=True) == (
        "We could not find answers for that code. Check the code and try again"
    )
    assert page.select_one("input[name=code]")["value"] == code


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
        assert only_answer_set(app).answers["nhs_number"] == stored


@pytest.mark.parametrize(
    "url, data, error, kept",
    [
        ("/about-you", {"name": "Ann", "appointment_date[day]": "31", "appointment_date[month]": "2",
                        "appointment_date[year]": "2099"},
         "Appointment date must be a real date", ("input[name=name]", "Ann")),
        ("/about-you", {"appointment_date[day]": "1", "appointment_date[month]": "1", "appointment_date[year]": "2001"},
         "Appointment date must be today or in the future", ('input[name="appointment_date[year]"]', "2001")),
        ("/about-you", {"appointment_date[day]": "3", "appointment_date[year]": "2099"},
         "Appointment date must include a month", ('input[name="appointment_date[day]"]', "3")),
        ("/about-you", {"interpreter": "spoken", "name": "Ann"}, "Enter the language you need an interpreter for",
         ("input[name=name]", "Ann")),
        ("/about-you", {"support_needs": "x" * 1001}, "Support needs must be 1,000 characters or fewer",
         ("textarea[name=support_needs]", "x" * 1001)),
        ("/questions", {"own-0-text": "q" * 501}, "Your question must be 500 characters or fewer",
         ("textarea[name=own-0-text]", "q" * 501)),
        ("/where-you-are", {"role": "myself"}, "Select which way you are leaning, or I'm not sure yet",
         ("input[name=role][value=myself]", None)),
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
    assert [q["text"] for q in only_answer_set(app).answers["own"]] == ["First question"]


def test_cannot_choose_more_than_three_top_questions(app, client):
    start(client, BREAST)
    questions = live(app, BREAST).procedure.all_questions
    submit(client, "/questions", {f"ask_{q.id}": "y" for q in questions[:4]}, status=302)
    four = {"top": [f"ask_{q.id}" for q in questions[:4]]}
    page = check_page(submit(client, "/questions/most-important", four, status=200))
    assert "Choose up to 3 questions" in text_of(page.select_one(".nhsuk-error-summary"))
    assert len(page.select("input[name=top][checked]")) == 4


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
