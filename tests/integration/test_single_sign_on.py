"""Single sign-on against a real OpenID provider on loopback: the code flow, and every way a sign-in must fail."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa

from app.extensions import db
from app.models import Clinician, Membership
from servers.oidc import AUTH_METHODS, CLINICIAN, MODES, User
from support import check_page, text_of

pytestmark = pytest.mark.fresh_app  # each test's provider has its own address, so its app has its own settings

CALLBACK = "http://localhost/clinician/sign-in/sso/callback"  # where the test client's app is
SIGNED_OUT = "http://localhost/clinician/signed-out"


@pytest.fixture
def single_sign_on(oidc_provider, app_with, make_clinician):
    """`single_sign_on(users=..., method=..., **settings)`: a provider, and an app that signs in with it."""

    def make(users: tuple[User, ...] = (CLINICIAN,), method: str = "client_secret_basic", account: bool = True,
             **settings):
        provider = oidc_provider(CALLBACK, SIGNED_OUT, users)
        client = provider.clients[method]
        app = app_with(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=client.client_id, OIDC_CLIENT_AUTH=method,
                       OIDC_CLIENT_SECRET=client.client_secret or "", OIDC_PRIVATE_KEY=client.private_jwk or "",
                       OIDC_PROVIDER_NAME="Royal Example account", **settings)
        if account:
            make_clinician(CLINICIAN.email)
        return provider, app

    return make


def sign_in_with(provider, client, account: str = "clinician", browser: requests.Session | None = None):
    """Press the button, sign in at the provider, come back: the app's answer to the callback, and the callback."""
    started = client.get("/clinician/sign-in/sso")
    assert started.status_code == 302 and started.location.startswith(provider.metadata["authorization_endpoint"])
    callback = provider.sign_in(started.location, account, browser)
    assert callback.startswith(CALLBACK), callback
    return client.get(callback.removeprefix("http://localhost")), callback


def signed_in(client) -> bool:
    return client.get("/clinician/").status_code == 200


def refusal(app, client, response) -> tuple[str, str]:
    """What the person is told on the sign-in page, and why the audit says it failed."""
    assert response.location == "/clinician/sign-in"
    told = text_of(check_page(client.get(response.location)).select_one(".nhsuk-notification-banner__content"))
    with app.app_context():
        why = db.session.execute(sa.text("SELECT detail FROM audit_event WHERE action = 'sign-in-failed' "
                                         "ORDER BY id DESC")).scalar()
    return told, why or ""


@pytest.mark.parametrize("method", AUTH_METHODS)
def test_staff_sign_in_through_the_provider_with_either_client_authentication(single_sign_on, method):
    provider, app = single_sign_on(method=method)
    client = app.test_client()
    page = check_page(client.get("/clinician/sign-in"))
    assert page.select_one("a.nhsuk-button").get_text(strip=True) == "Sign in with Royal Example account"
    assert page.select_one("input[name=password]")  # passwords still on, unless switched off
    request = parse_qs(urlsplit(client.get("/clinician/sign-in/sso").location).query)
    assert request["code_challenge_method"] == ["S256"] and {"state", "nonce", "code_challenge"} <= request.keys()

    answer, _ = sign_in_with(provider, client)
    assert answer.location == "/clinician/"
    assert check_page(client.get("/clinician/")).h1.get_text(strip=True) == "Submissions"
    with app.app_context():
        event = db.session.execute(sa.text("SELECT actor, detail FROM audit_event WHERE action = 'signed-in'")).one()
    assert tuple(event) == (CLINICIAN.email, "single sign-on")


@pytest.mark.parametrize("mode", MODES)
def test_a_bad_id_token_signs_nobody_in(single_sign_on, mode):
    provider, app = single_sign_on()
    client = app.test_client()
    provider.set_mode(mode)
    answer, _ = sign_in_with(provider, client)
    told, why = refusal(app, client, answer)
    assert "We could not sign you in with Royal Example account" in told and not signed_in(client)
    expected = {"bad-signature": "BadSignatureError", "wrong-audience": "aud", "expired": "exp",
                "wrong-nonce": "nonce"}[mode]
    assert why.startswith("single sign-on: the ID token was refused") and expected in why, why


def test_a_replayed_callback_is_refused(single_sign_on):
    provider, app = single_sign_on()
    client = app.test_client()
    answer, callback = sign_in_with(provider, client)
    assert answer.status_code == 302 and signed_in(client)
    client.post("/clinician/sign-out")
    replayed = client.get(callback.removeprefix("http://localhost"))
    assert "state did not match" in refusal(app, client, replayed)[1] and not signed_in(client)


def test_a_callback_meant_for_another_browser_is_refused(single_sign_on):
    provider, app = single_sign_on()
    victim, attacker = app.test_client(), app.test_client()
    victim.get("/clinician/sign-in/sso")  # the victim has a sign-in of their own under way
    _, callback = sign_in_with(provider, attacker)
    planted = victim.get(callback.removeprefix("http://localhost"))
    assert "state did not match" in refusal(app, victim, planted)[1] and not signed_in(victim)
    victim.get("/clinician/sign-in/sso")
    forged = victim.get("/clinician/sign-in/sso/callback", query_string={"state": "é" * 43, "code": "x"})
    assert "state did not match" in refusal(app, victim, forged)[1]


def test_someone_with_no_account_is_told_and_one_is_made_only_if_allowed(single_sign_on):
    provider, app = single_sign_on(account=False)
    client = app.test_client()
    told, why = refusal(app, client, sign_in_with(provider, client)[0])
    assert told == f"There is no staff account for {CLINICIAN.email} yet. Ask a service admin to make one."
    assert why == f"single sign-on: no staff account for {CLINICIAN.email}"

    provider, app = single_sign_on(account=False, OIDC_CREATE_ACCOUNTS=True)
    client = app.test_client()
    assert sign_in_with(provider, client)[0].location == "/clinician/"
    with app.app_context():
        made = db.session.scalar(sa.select(Clinician).where(Clinician.email == CLINICIAN.email))
        assert (made.role, made.password_hash, made.memberships) == ("clinician", None, [])


def test_a_disabled_account_is_refused(single_sign_on):
    provider, app = single_sign_on()
    app.test_cli_runner().invoke(args=["users", "disable", "--email", CLINICIAN.email])
    client = app.test_client()
    told, _ = refusal(app, client, sign_in_with(provider, client)[0])
    assert told == "Your staff account is disabled. Ask a service admin."


def test_the_groups_claim_sets_the_role_and_clinics_it_maps(single_sign_on):
    lead = User("lead", "lead@example.org", "Sam Lead", ("staff:admins", "team:liver", "team:unmapped"))
    groups = {"staff:admins": "service-admin", "team:liver": "liver-general:clinic-admin"}
    provider, app = single_sign_on(users=(lead,), account=False, OIDC_SCOPES="openid email profile groups",
                                   OIDC_GROUPS_CLAIM="groups", OIDC_GROUPS=groups)
    with app.app_context():  # set here: a clinician of the first clinic, which the claim does not name
        from app import clinics
        db.session.add(Clinician(email=lead.email, password_hash=None))
        db.session.flush()
        clinics.add_member(clinics.by_slug("breast-royal"), lead.email, "clinician")
        db.session.commit()
    client = app.test_client()
    assert sign_in_with(provider, client, "lead")[0].location == "/clinician/"
    with app.app_context():
        clinician = db.session.scalar(sa.select(Clinician).where(Clinician.email == lead.email))
        memberships = {(m.clinic.slug, m.role, m.source) for m in db.session.scalars(
            sa.select(Membership).where(Membership.clinician_id == clinician.id))}
        assert clinician.role == "admin"
    assert memberships == {("breast-royal", "clinician", "local"), ("liver-general", "clinic-admin", "sso")}


def test_accounts_can_be_matched_by_subject(single_sign_on):
    provider, app = single_sign_on(account=False, OIDC_ACCOUNT_CLAIM="sub")
    runner = app.test_cli_runner()
    made = runner.invoke(args=["users", "create", "--email", "alex@example.org", "--sso-subject", "clinician",
                               "--no-password"])
    assert made.exit_code == 0, made.output
    client = app.test_client()
    assert sign_in_with(provider, client)[0].location == "/clinician/"
    assert "alex@example.org" in text_of(check_page(client.get("/clinician/account")))


def test_signing_out_ends_the_providers_session_too(single_sign_on):
    provider, app = single_sign_on()
    client, browser = app.test_client(), requests.Session()
    sign_in_with(provider, client, browser=browser)
    out = client.post("/clinician/sign-out")
    assert out.location.startswith(provider.metadata["end_session_endpoint"]) and not signed_in(client)
    assert "id_token_hint" in parse_qs(urlsplit(out.location).query)
    # A browser follows the sign-out form's redirect to the provider only if the policy allows it there.
    assert f"form-action 'self' {provider.issuer}" in out.headers["Content-Security-Policy"].split("; ")
    back = provider.sign_out(out.location, browser)
    assert back == SIGNED_OUT
    page = client.get(back.removeprefix("http://localhost"))
    assert "You have signed out." in text_of(check_page(client.get(page.location)))
    # The provider asks who it is again: its session ended too.
    started = client.get("/clinician/sign-in/sso").location
    assert "Sign in to the test provider" in browser.get(started).text


def test_password_sign_in_can_be_switched_off(single_sign_on):
    provider, app = single_sign_on(PASSWORD_SIGN_IN=False, SERVICE_URL="http://localhost")
    client = app.test_client()
    page = check_page(client.get("/clinician/sign-in"))
    assert not page.select("input[name=password]") and page.select_one("a.nhsuk-button")
    printed = app.test_cli_runner().invoke(args=["users", "reset-link", "--email", CLINICIAN.email]).output
    link = printed.split()[-1]
    assert link.startswith("http://localhost/clinician/reset-password/")
    assert client.get(link.removeprefix("http://localhost")).status_code == 404  # a reset link sets no password
    sign_in_with(provider, client)
    assert "Change your password" not in text_of(check_page(client.get("/clinician/account")))


def test_an_account_found_by_email_stays_bound_to_the_first_subject(single_sign_on):
    reissued = User("someone-else", CLINICIAN.email, "A Later Holder Of The Address")
    provider, app = single_sign_on(users=(CLINICIAN, reissued))
    assert sign_in_with(provider, app.test_client())[0].location == "/clinician/"
    client = app.test_client()
    told, why = refusal(app, client, sign_in_with(provider, client, "someone-else")[0])
    assert "We could not sign you in" in told and "bound to another subject" in why and not signed_in(client)
