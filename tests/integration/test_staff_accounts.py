"""Accounts that can be run: disabled and enabled again, roles and clinics changed, passwords reset and changed."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Clinician
from clinician_helpers import actions, post_form, sign_in
from publishing import CLINIC_B
from support import check_page, text_of

pytestmark = pytest.mark.both_databases  # storage: sessions end, links are used once, on each database

NURSE_PASSWORD = "correct horse battery"


def _signed_in(client) -> bool:
    return client.get("/clinician/").status_code == 200


def test_a_disabled_account_is_enabled_again_with_what_it_had(app, client, runner, make_clinician):
    email, password = make_clinician()
    assert sign_in(client, email, password).status_code == 302
    assert runner.invoke(args=["users", "disable", "--email", email]).exit_code == 0
    assert not _signed_in(client)
    again = runner.invoke(args=["users", "create", "--email", email, "--password", "a long enough password"])
    assert "already has an account (disabled: enable it with flask users enable)" in again.output
    enabled = runner.invoke(args=["users", "enable", "--email", email])
    assert enabled.output.strip() == f"Enabled {email}"
    assert sign_in(client, email, password).status_code == 302 and _signed_in(client)
    assert "already enabled" in runner.invoke(args=["users", "enable", "--email", email]).output
    assert [what for who, what, _ in actions(app) if who == "system"][-2:] == ["user-disabled", "user-enabled"]


def _admin(app, make_clinician):
    client = app.test_client()
    assert sign_in(client, *make_clinician("lead@example.org", "admin", clinic_id=None)).status_code == 302
    return client


def test_an_admin_disables_and_enables_an_account_and_changes_its_role_and_clinics(app, make_clinician):
    nurse = app.test_client()
    email, password = make_clinician()
    sign_in(nurse, email, password)
    admin = _admin(app, make_clinician)
    listed = check_page(admin.get("/clinician/accounts"))
    page_url = listed.find("a", string=email)["href"]

    post_form(admin, page_url, to=f"{page_url}/sign-out")
    assert not _signed_in(nurse)  # signed out everywhere; the account still works
    assert sign_in(nurse, email, password).status_code == 302
    post_form(admin, page_url, to=f"{page_url}/disable")
    assert not _signed_in(nurse)  # their session ended at once
    page = check_page(admin.get(page_url))
    assert "Disabled: cannot sign in" in text_of(page) and f"{email} is disabled" in text_of(page)
    post_form(admin, page_url, to=f"{page_url}/enable")
    assert sign_in(nurse, email, password).status_code == 302

    post_form(admin, page_url, to=f"{page_url}/role", role="admin")
    post_form(admin, page_url, to=f"{page_url}/clinics", clinic=str(CLINIC_B), clinic_role="clinic-admin")
    page = check_page(admin.get(page_url))
    assert "Service admin" in text_of(page.select_one(".nhsuk-summary-list"))
    assert "Liver unit, Example General Role Clinic admin From Set here" in text_of(page.select_one("table"))
    remove = page.select("form[action$='/remove']")[-1]["action"]  # the newest membership: Liver unit
    post_form(admin, page_url, to=remove)
    assert "Liver unit" not in text_of(check_page(admin.get(page_url)).select_one("table"))
    assert [what for who, what, _ in actions(app) if who == "lead@example.org"] == [
        "password-accepted", "signed-in", "sessions-ended", "user-disabled", "user-enabled", "role-changed",
        "member-added", "member-removed"]


def test_an_admin_cannot_disable_or_demote_themselves_and_others_cannot_reach_accounts(app, make_clinician):
    admin = _admin(app, make_clinician)
    own = check_page(admin.get("/clinician/accounts")).find("a", string="lead@example.org")["href"]
    page = check_page(admin.get(own))
    assert not page.select(f"form[action='{own}/disable']") and "This is your own account" in text_of(page)
    refused = post_form(admin, own, to=f"{own}/disable")
    assert "You cannot change your own account here" in text_of(check_page(admin.get(refused.location)))
    nurse = app.test_client()
    sign_in(nurse, *make_clinician())
    assert nurse.get("/clinician/accounts").status_code == 403 and nurse.get(own).status_code == 403


def test_a_reset_link_sets_a_password_once_and_ends_every_session(app, make_clinician, clock):
    nurse = app.test_client()
    email, password = make_clinician()
    sign_in(nurse, email, password)
    admin = _admin(app, make_clinician)
    page_url = check_page(admin.get("/clinician/accounts")).find("a", string=email)["href"]
    shown = check_page(post_form(admin, page_url, to=f"{page_url}/reset-link"))
    link = shown.select_one("#reset-link").get_text()
    assert re.fullmatch(r"http://localhost/clinician/reset-password/[\w-]{43}", link)
    path = link.removeprefix("http://localhost")

    browser = app.test_client()
    mismatched = post_form(browser, path, password="a brand new password", confirm="a brand new passwort")
    assert "The two passwords are different" in text_of(check_page(mismatched, 400))
    short = post_form(browser, path, password="too short", confirm="too short")
    assert "Password must be 12 characters or more" in text_of(check_page(short, 400))
    assert post_form(browser, path, password="a brand new password", confirm="a brand new password").status_code == 302
    assert not _signed_in(nurse)
    assert sign_in(browser, email, "a brand new password").status_code == 302
    used = check_page(browser.get(path), 404)
    assert used.h1.get_text(strip=True) == "This link has expired or has been used"

    late = check_page(post_form(admin, page_url, to=f"{page_url}/reset-link")).select_one("#reset-link").get_text()
    clock.forward(minutes=61)
    assert app.test_client().get(late.removeprefix("http://localhost")).status_code == 404
    assert [what for _, what, _ in actions(app) if what.startswith(("reset", "password-reset"))] == [
        "reset-link-issued", *["reset-link-opened"] * 3, "password-reset", "reset-link-issued"]


def test_the_command_line_prints_a_reset_link_on_the_service_address(app_with):
    app = app_with(SERVICE_URL="https://prepare.example")
    with app.app_context():
        db.session.add(Clinician(email="nurse@example.org", password_hash=None))
        db.session.commit()
    printed = app.test_cli_runner().invoke(args=["users", "reset-link", "--email", "nurse@example.org"]).output
    assert "Give this link to nurse@example.org. It works once, for 60 minutes:" in printed
    assert re.search(r"\nhttps://prepare\.example/clinician/reset-password/[\w-]{43}$", printed.strip())


def test_staff_change_their_own_password_after_typing_the_current_one(app, make_clinician):
    email, password = make_clinician()
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, email, password)
    sign_in(elsewhere, email, password)
    url = "/clinician/account/password"
    wrong = post_form(here, url, current="not my password", password="a brand new password",
                      confirm="a brand new password")
    assert "Your current password is not right" in text_of(check_page(wrong, 400))
    assert post_form(here, url, current=password, password="a brand new password",
                     confirm="a brand new password").location == "/clinician/account"
    assert _signed_in(here) and not _signed_in(elsewhere)
    assert sign_in(app.test_client(), email, "a brand new password").status_code == 302
    assert [what for who, what, _ in actions(app) if what.startswith("password")] == [
        "password-change-failed", "password-changed"]


def test_a_reset_link_sets_a_password_but_never_skips_the_second_factor(app, make_clinician):
    from app import accounts

    email, _ = make_clinician("lead@example.org", "admin")
    with app.app_context():
        token = accounts.issue_reset(accounts.by_email(email), "another admin", 60)
        db.session.commit()
    browser = app.test_client()
    path = f"/clinician/reset-password/{token}"
    assert post_form(browser, path, password="a brand new password", confirm="a brand new password").status_code == 302
    asked = post_form(browser, "/clinician/sign-in", email=email, password="a brand new password")
    assert asked.location == "/clinician/sign-in/code" and browser.get("/clinician/").status_code == 302
