"""Staff sessions, kept on the server: signing in and out, replayed cookies, the idle and absolute limits, disabling."""

from __future__ import annotations

import pytest

from clinician_helpers import actions, sign_in
from support import SESSION_COOKIE, check_page, text_of

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL


def test_sign_in_and_out(app, client, make_clinician):
    email, password = make_clinician()
    response = sign_in(client, email.upper(), password)
    assert response.location == "/clinician/"
    page = check_page(client.get("/clinician/"))
    assert email in text_of(page.select_one("header"))
    client.post("/clinician/sign-out")
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")
    assert [a for _, a, _ in actions(app)] == ["signed-in", "listed", "signed-out"]


@pytest.mark.parametrize("email, password", [
    ("nurse@example.org", "wrong password"),
    ("nobody@example.org", "correct horse battery"),
])
def test_failed_sign_in_says_the_same_thing_either_way(client, make_clinician, email, password):
    make_clinician()
    response = sign_in(client, email, password)
    page = check_page(response, 200)
    error = page.select_one(".nhsuk-error-summary a").get_text(strip=True)
    assert error == "Enter a correct email address and password"
    assert page.select_one("input[name=email]")["value"] == email
    assert page.select_one("input[name=password]")["value"] == ""
    assert page.title.get_text().startswith("Error: ")


def test_a_replayed_cookie_after_sign_out_is_refused(client, signed_in):
    old_cookie = client.get_cookie(SESSION_COOKIE).value
    client.post("/clinician/sign-out")
    client.set_cookie(SESSION_COOKIE, old_cookie)
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")


def test_a_session_ends_after_30_minutes_without_a_request(client, signed_in, clock):
    clock.forward(minutes=29)
    assert client.get("/clinician/").status_code == 200
    clock.forward(minutes=31)
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")


def test_a_busy_session_still_ends_10_hours_after_signing_in(client, signed_in, clock):
    for _ in range(23):  # a request every 25 minutes, so never idle: 9 hours 35 minutes in all
        clock.forward(minutes=25)
        assert client.get("/clinician/").status_code == 200
    clock.forward(minutes=26)  # 10 hours 1 minute after signing in, 26 minutes after the last request
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")


def test_staff_pages_warn_before_the_idle_limit_and_can_renew_it(client, signed_in, clock):
    dialog = check_page(client.get("/clinician/")).select_one("dialog#timeout")
    assert 29 * 60 < int(dialog["data-timeout"]) <= 30 * 60
    assert "Stay signed in" in dialog.get_text()
    renew = {"headers": {"X-CSRFToken": dialog["data-csrf-token"]}}

    clock.forward(minutes=26)
    renewed = client.post("/clinician/session/extend", **renew)
    assert renewed.status_code == 200 and renewed.json["expires_in"] > 29 * 60

    clock.forward(minutes=31)
    assert client.post("/clinician/session/extend", **renew).location.startswith("/clinician/sign-in")


def test_a_disabled_clinician_is_refused_at_once(app, client, runner, signed_in):
    assert client.get("/clinician/").status_code == 200
    result = runner.invoke(args=["users", "disable", "--email", signed_in])
    assert "their sessions have ended" in result.output
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")
    response = sign_in(client, signed_in, "correct horse battery")
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
