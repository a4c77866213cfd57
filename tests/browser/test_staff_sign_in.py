"""Staff sign-in in a real browser: through the test OpenID provider, and with an authenticator app's codes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Clinician
from browser_helpers import axe_violations, press
from clinician_helpers import unused_code
from servers.oidc import CLINICIAN

pytestmark = [pytest.mark.browser, pytest.mark.fresh_app]  # the provider's address goes in the app's settings


def look_at(page, screenshot, name: str) -> None:
    """Screenshots at phone and desktop widths, and no WCAG 2.2 AA failure at either."""
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], name
        screenshot(f"staff-sign-in/{name}-{width}")


def test_a_clinician_signs_in_and_out_through_the_identity_provider(app, page, live_server, oidc_provider,
                                                                    make_clinician, screenshot):
    provider = oidc_provider(f"{live_server}/clinician/sign-in/sso/callback", f"{live_server}/clinician/signed-out")
    client = provider.clients["private_key_jwt"]
    app.config.update(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=client.client_id,
                      OIDC_CLIENT_AUTH="private_key_jwt", OIDC_PRIVATE_KEY=client.private_jwk,
                      OIDC_PROVIDER_NAME="Royal Example account")
    make_clinician(CLINICIAN.email)

    page.goto(live_server + "/clinician/account")  # signed out: sign in first, then back here
    look_at(page, screenshot, "both-options")
    with page.expect_navigation():
        page.get_by_role("link", name="Sign in with Royal Example account").click()
    assert page.url.startswith(provider.issuer)
    page.fill("#account", CLINICIAN.sub)
    with page.expect_navigation(url=f"{live_server}/clinician/account"):
        page.get_by_role("button", name="Sign in").click()
    assert page.inner_text("h1") == "Your account" and "Single sign-on" in page.inner_text("main")

    press(page, "Sign out")
    assert page.url.startswith(provider.issuer)
    press(page, "Sign out")  # at the provider, which then sends the browser back
    page.wait_for_url(f"{live_server}/clinician/sign-in")
    assert "You have signed out." in page.inner_text("main")


def test_a_service_admin_sets_up_an_authenticator_then_signs_in_with_a_code_and_then_a_recovery_code(
        app, page, live_server, screenshot):
    password = "a long enough password"
    made = app.test_cli_runner().invoke(args=["users", "create", "--email", "lead@example.org", "--role", "admin",
                                              "--password", password])
    assert made.exit_code == 0, made.output

    def password_step():
        page.goto(live_server + "/clinician/sign-in")
        page.fill("#email", "lead@example.org")
        page.fill("#password", password)
        press(page, "Sign in")

    password_step()
    assert page.inner_text("h1") == "Set up your authenticator app"
    assert page.evaluate("document.querySelector('.app-qr-code').naturalWidth") > 0  # the QR code loaded
    look_at(page, screenshot, "set-up-authenticator")
    page.fill("#code", unused_code(page.inner_text("#setup-key").replace(" ", "")))
    press(page, "Continue")
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    assert page.inner_text("h1") == "Save your recovery codes" and len(codes) == 10
    look_at(page, screenshot, "recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have saved my codes").click()
    assert page.inner_text("h1") == "Submissions"
    press(page, "Sign out")

    password_step()
    assert page.inner_text("h1") == "Enter the code from your authenticator app"
    look_at(page, screenshot, "code")
    with app.app_context():
        admin = db.session.scalar(sa.select(Clinician).where(Clinician.email == "lead@example.org"))
        secret, last = admin.totp_secret, admin.totp_last_step
    page.fill("#code", unused_code(secret, last))
    press(page, "Sign in")
    assert page.inner_text("h1") == "Submissions"
    press(page, "Sign out")

    password_step()
    with page.expect_navigation():
        page.get_by_role("link", name="I do not have my phone: use a recovery code").click()
    look_at(page, screenshot, "recovery-code")
    page.fill("#code", codes[0])
    press(page, "Sign in")
    assert page.inner_text("h1") == "Submissions"
