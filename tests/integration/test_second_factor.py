"""The second factor after a password: codes within one step, never twice; recovery codes once; set up when required."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from app import second_factor
from app.clock import utcnow
from app.extensions import db
from app.models import Clinician, RecoveryCode
from clinician_helpers import TOTP_SECRET, actions, post_form, sign_in, unused_code
from support import check_page, text_of

pytestmark = pytest.mark.both_databases  # storage: a code is claimed by one UPDATE on each database

ADMIN = "lead@example.org"


def _password(client, email: str, password: str):
    """Only the password step: where it sends the browser."""
    return post_form(client, "/clinician/sign-in", email=email, password=password)


def _code(client, code: str, url: str = "/clinician/sign-in/code"):
    return post_form(client, url, code=code)


def _error(response) -> str:
    return text_of(check_page(response, 200).select_one(".nhsuk-error-summary"))


def test_a_password_alone_does_not_sign_an_admin_in(app, client, make_clinician):
    email, password = make_clinician(ADMIN, "admin")
    assert _password(client, email, password).location == "/clinician/sign-in/code"
    assert client.get("/clinician/").location.startswith("/clinician/sign-in")
    assert _code(client, unused_code(TOTP_SECRET)).location == "/clinician/"
    assert check_page(client.get("/clinician/")).h1.get_text(strip=True) == "Submissions"
    assert actions(app)[-3:] == [(email, "password-accepted", None), (email, "signed-in", None),
                                 (email, "listed", None)]


def test_a_code_is_accepted_once_and_never_again(app, make_clinician):
    email, password = make_clinician(ADMIN, "admin")
    code = unused_code(TOTP_SECRET)
    first, second = app.test_client(), app.test_client()
    _password(first, email, password)
    _password(second, email, password)
    assert _code(first, code).status_code == 302
    replayed = _code(second, code)
    assert "has been used" in _error(replayed)
    assert second.get("/clinician/").status_code == 302  # still not signed in
    assert (email, "sign-in-failed", None) in actions(app)


@pytest.mark.parametrize(("steps", "accepted"), [(-1, True), (1, True), (-2, False), (2, False)])
def test_a_code_one_step_either_side_is_accepted_two_is_not(app, client, make_clinician, steps, accepted):
    email, password = make_clinician(ADMIN, "admin")
    _password(client, email, password)
    while utcnow().second % second_factor.STEP_SECONDS > 25:  # not so near a step's end that it ends mid-request
        time.sleep(0.5)
    code = second_factor.code_for(TOTP_SECRET, second_factor.step_at(utcnow()) + steps)
    response = _code(client, code)
    assert (response.status_code == 302) is accepted


def test_wrong_codes_are_limited_like_passwords(app, client, make_clinician):
    email, password = make_clinician(ADMIN, "admin")
    _password(client, email, password)
    for _ in range(5):
        assert "not right" in _error(_code(client, "000000"))
    refused = _code(client, unused_code(TOTP_SECRET))  # even the right one, until the wait is over
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_a_waiting_password_times_out(app, client, make_clinician, clock):
    email, password = make_clinician(ADMIN, "admin")
    _password(client, email, password)
    clock.forward(minutes=6)
    assert client.get("/clinician/sign-in/code").location == "/clinician/sign-in"


def test_an_admin_without_one_sets_it_up_and_signs_in_again_with_a_code_then_a_recovery_code(
        app, client, runner, make_clinician):
    email, password = make_clinician("nurse@example.org")
    assert runner.invoke(args=["users", "set-role", "--email", email, "--role", "admin"]).exit_code == 0
    assert _password(client, email, password).location == "/clinician/sign-in/set-up-code"
    page = check_page(client.get("/clinician/sign-in/set-up-code"))
    qr = client.get("/clinician/second-factor/qr-code.svg")
    assert qr.content_type == "image/svg+xml" and b"<svg" in qr.data
    secret = page.select_one("#setup-key").get_text().replace(" ", "")
    assert "not right" in _error(_code(client, "123456", "/clinician/sign-in/set-up-code"))

    shown = check_page(_code(client, unused_code(secret), "/clinician/sign-in/set-up-code"))
    codes = [c.get_text() for c in shown.select(".app-recovery-codes code")]
    assert shown.h1.get_text(strip=True) == "Save your recovery codes" and len(set(codes)) == 10
    with app.app_context():
        stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
        assert db.session.scalar(sa.select(Clinician.totp_secret).where(Clinician.email == email)) == secret
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)
    assert check_page(client.get("/clinician/")).h1.get_text(strip=True) == "Submissions"

    client.post("/clinician/sign-out")
    assert sign_in(client, email, password).status_code == 302  # with a code from the app
    client.post("/clinician/sign-out")
    _password(client, email, password)
    assert post_form(client, "/clinician/sign-in/recovery-code", code=codes[3].lower()).status_code == 302
    client.post("/clinician/sign-out")
    _password(client, email, password)
    assert "has been used" in _error(post_form(client, "/clinician/sign-in/recovery-code", code=codes[3]))
    steps = [what for who, what, _ in actions(app) if who == email and what != "listed"]
    assert steps == ["password-accepted", "mfa-setup-failed", "mfa-enrolled", "signed-in", "signed-out",
                     "password-accepted", "signed-in", "signed-out",
                     "password-accepted", "recovery-code-used", "signed-in", "signed-out",
                     "password-accepted", "sign-in-failed"]


@pytest.mark.fresh_app
def test_require_mfa_asks_everyone_to_set_one_up(app_with, make_clinician):
    app = app_with(REQUIRE_MFA=True)
    client = app.test_client()
    email, password = make_clinician()
    assert _password(client, email, password).location == "/clinician/sign-in/set-up-code"


def test_new_recovery_codes_replace_the_old_after_a_code(app, client, make_clinician):
    email, password = make_clinician(ADMIN, "admin")
    sign_in(client, email, password)
    account = check_page(client.get("/clinician/account"))
    assert "You have 0 recovery codes left" in text_of(account)
    wrong = client.post("/clinician/account/recovery-codes", data={
        "csrf_token": account.select_one("input[name=csrf_token]")["value"], "code": "000000"})
    assert wrong.status_code == 400
    with app.app_context():
        last = db.session.scalar(sa.select(Clinician.totp_last_step).where(Clinician.email == email))
    page = check_page(post_form(client, "/clinician/account", to="/clinician/account/recovery-codes",
                                code=unused_code(TOTP_SECRET, last)))
    assert len(page.select(".app-recovery-codes code")) == 10
    assert "You have 10 recovery codes left" in text_of(check_page(client.get("/clinician/account")))
    assert [what for _, what, _ in actions(app)][-2:] == ["mfa-failed", "recovery-codes-replaced"]


def test_anyone_signed_in_with_a_password_sets_one_up_after_typing_the_password_again(app, client, make_clinician):
    email, password = make_clinician()
    sign_in(client, email, password)
    url = "/clinician/account/second-factor"
    secret = check_page(client.get(url)).select_one("#setup-key").get_text().replace(" ", "")
    wrong = post_form(client, url, code=unused_code(secret), password="not my password")
    assert "Your password is not right" in _error(wrong)
    shown = check_page(post_form(client, url, code=unused_code(secret), password=password))
    assert len(shown.select(".app-recovery-codes code")) == 10
    client.post("/clinician/sign-out")
    assert _password(client, email, password).location == "/clinician/sign-in/code"
