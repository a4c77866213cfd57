"""Headers, cookies, HTTPS forms, request size and rate limits: what a security review asks for."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet
from app.security import CONTENT_SECURITY_POLICY
from clinician_helpers import sign_in
from journey_helpers import complete_all_sections, hidden_fields, start, submit
from support import ROOT, SESSION_COOKIE, check_page

LIVER = "liver-laser-ablation"
HTTPS = "https://localhost"


def _with_failure_page(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # the 500 page, as in production

    @app.get("/test-only-failure")
    def failure():
        raise RuntimeError("a deliberate failure")


@pytest.mark.fresh_app
def test_every_kind_of_response_carries_the_security_headers(app, client, make_clinician):
    _with_failure_page(app)
    app.config["PDF_LIMIT"] = "1 per hour"
    responses = {
        "start page": client.get("/"),
        "redirect": client.get("/tasks"),
        "not found": client.get("/no-such-page"),
        "server error": client.get("/test-only-failure"),
        "wrong method": client.delete("/"),
        "too large": client.post("/resume", data={"code": "x" * 100_000}),
        "stylesheet": client.get("/static/app.css"),
    }
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    submit(client, "/check-answers", status=302)
    responses["journey page"] = client.get("/confirmation")
    responses["summary PDF"] = client.get("/summary.pdf")
    responses["too many PDFs"] = client.get("/summary.pdf")
    sign_in(client, *make_clinician())
    responses["staff list"] = client.get("/clinician/")
    responses["staff CSV"] = client.get("/clinician/export.csv")

    expected = {"start page": 200, "redirect": 302, "not found": 404, "server error": 500, "wrong method": 405,
                "too large": 413, "stylesheet": 200, "journey page": 200, "summary PDF": 200,
                "too many PDFs": 429, "staff list": 200, "staff CSV": 200}
    assert {name: r.status_code for name, r in responses.items()} == expected
    for name, response in responses.items():
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, name
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000"), name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name
        # Anything but our own static files may hold patient data: never kept in a shared computer's cache.
        assert (headers.get("Cache-Control") == "no-store") == (name != "stylesheet"), name
        response.close()


def test_the_policy_allows_no_inline_script_or_style():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives == {"default-src": "'self'", "object-src": "'none'", "base-uri": "'none'",
                          "frame-ancestors": "'none'", "form-action": "'self'"}
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "nonce" not in CONTENT_SECURITY_POLICY


def test_templates_hold_no_inline_script_style_or_handlers():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:", text), template


def test_session_cookie_is_host_only_secure_httponly_and_lax(client):
    start(client, LIVER)
    header = next(h for h in client.get("/tasks").headers.getlist("Set-Cookie") if h.startswith(SESSION_COOKIE + "="))
    attributes = dict((part.strip().split("=") + [""])[:2] for part in header.split(";")[1:])
    # __Host-: the browser accepts it only Secure, for this exact host and path /.
    assert SESSION_COOKIE.startswith("__Host-")
    assert attributes == {"Expires": attributes["Expires"], "Secure": "", "HttpOnly": "", "Path": "/",
                          "SameSite": "Lax"}


def test_forms_work_over_https_with_the_referrer_a_browser_sends(app, client, make_clinician):
    """Flask-WTF refuses HTTPS POSTs without a same-site Referer; Referrer-Policy: same-origin keeps it."""
    page = check_page(client.get(f"{HTTPS}/procedures/{LIVER}"))
    token = page.select_one("input[name=csrf_token]")["value"]
    started = client.post(f"{HTTPS}/procedures/{LIVER}/start", data={"csrf_token": token},
                          headers={"Referer": f"{HTTPS}/procedures/{LIVER}"})
    assert started.status_code == 302
    form = hidden_fields(check_page(client.get(f"{HTTPS}/about-you")))
    saved = client.post(f"{HTTPS}/about-you", data={**form, "name": "Ann", "companion": "no", "interpreter": "no"},
                        headers={"Referer": f"{HTTPS}/about-you"})
    assert saved.status_code == 302 and saved.location.endswith("/about-the-procedure")

    email, password = make_clinician()
    token = check_page(client.get(f"{HTTPS}/clinician/sign-in")).select_one("input[name=csrf_token]")["value"]
    data = {"csrf_token": token, "email": email, "password": password}
    refused = client.post(f"{HTTPS}/clinician/sign-in", data=data)
    assert refused.status_code == 400  # no Referer: what a no-referrer policy would cause
    signed_in = client.post(f"{HTTPS}/clinician/sign-in", data=data, headers={"Referer": f"{HTTPS}/clinician/sign-in"})
    assert signed_in.status_code == 302 and signed_in.location.endswith("/clinician/")
    cross_site = client.post(f"{HTTPS}/clinician/sign-in", data=data, headers={"Referer": "https://evil.example/"})
    assert cross_site.status_code == 400


def test_an_oversized_request_is_refused_and_nothing_saved_is_lost(app, client):
    start(client, LIVER)
    submit(client, "/about-you", {"name": "Ann Example", "companion": "no", "interpreter": "no"}, status=302)
    form = hidden_fields(check_page(client.get("/about-you")))
    page = check_page(client.post("/about-you", data={**form, "name": "A" * 100_000}), 413)
    assert "too much to send" in page.h1.get_text()
    assert check_page(client.get("/about-you")).select_one("input[name=name]")["value"] == "Ann Example"


def _too_many(response, minutes: int) -> None:
    page = check_page(response, 429)
    assert page.h1.get_text(strip=True) == "Please wait before trying again"
    assert f"Try again in {minutes} minutes." in page.select_one("main").get_text(" ", strip=True)
    assert 0 < int(response.headers["Retry-After"]) <= minutes * 60


def test_wrong_resume_codes_and_links_are_limited_together(app, client):
    code = start(client, LIVER)
    fresh = app.test_client()
    assert check_page(fresh.get("/resume"))  # looking at the form is not a try
    for n in range(9):
        if n % 2:
            assert fresh.get(f"/resume/not-a-real-token-{n}").status_code == 404
        else:
            submit(fresh, "/resume", {"code": f"WRONGCOD{n}"}, status=200)
    submit(fresh, "/resume", {"code": code}, status=302)  # the right code still works, and does not count
    assert fresh.get("/resume/one-more-wrong-one").status_code == 404  # the tenth wrong try
    _too_many(fresh.post("/resume", data={"code": code}), 15)  # now even the right code waits
    _too_many(fresh.get("/resume/any-token"), 15)


@pytest.mark.fresh_app
def test_failed_sign_ins_are_limited_per_account_and_per_address(app, client, make_clinician):
    email, password = make_clinician()
    other, other_password = make_clinician("doctor@example.org")
    sign_in(client, email, password)
    client.post("/clinician/sign-out")  # a success does not count
    for _ in range(5):
        assert sign_in(client, email.upper(), "wrong password").status_code == 200
    _too_many(sign_in(client, email, password), 15)
    assert sign_in(client, other, other_password).status_code == 302  # another account is not locked out

    app.config["SIGN_IN_ADDRESS_LIMIT"] = "6 per 15 minutes"  # guessing across many accounts from one place
    for n in range(6):
        sign_in(client, f"guess{n}@example.org", "wrong password")
    _too_many(sign_in(client, other, other_password), 15)


@pytest.mark.fresh_app
def test_pdf_downloads_are_limited_per_person(app, client, make_clinician):
    app.config["PDF_LIMIT"] = "3 per 10 minutes"
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    submit(client, "/check-answers", status=302)
    for download in ("/summary.pdf", "/summary-large-print.pdf", "/summary.pdf"):
        assert client.get(download).status_code == 200
    _too_many(client.get("/summary-large-print.pdf"), 10)  # large print counts with the standard one

    staff = app.test_client()
    sign_in(staff, *make_clinician())
    with app.app_context():
        reference = db.session.scalars(sa.select(AnswerSet.reference)).one()
    for download in ("summary.pdf", "summary-large-print.pdf", "summary.pdf"):
        assert staff.get(f"/clinician/submissions/{reference}/{download}").status_code == 200
    _too_many(staff.get(f"/clinician/submissions/{reference}/summary-large-print.pdf"), 10)


@pytest.mark.fresh_app
def test_starting_is_limited_per_address_at_the_shipped_limit(app, client):
    from app import config

    app.config["START_LIMIT"] = config.START_LIMIT
    allowed = int(config.START_LIMIT.split()[0])
    for _ in range(allowed):
        start(client, LIVER)
    page = check_page(client.get(f"/procedures/{LIVER}"))
    token = page.select_one("input[name=csrf_token]")["value"]
    _too_many(client.post(f"/procedures/{LIVER}/start", data={"csrf_token": token}), 15)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerSet)) == allowed


@pytest.mark.fresh_app
def test_sending_is_limited_per_address_and_a_refused_send_does_not_count(app):
    from app import config

    app.config["SEND_LIMIT"] = config.SEND_LIMIT
    allowed = int(config.SEND_LIMIT.split()[0])
    unfinished = app.test_client()
    start(unfinished, LIVER)
    token = hidden_fields(check_page(unfinished.get("/about-you")))
    for _ in range(allowed + 2):  # sent before every section is done: refused, nothing made
        assert unfinished.post("/check-answers", data=token).status_code == 400
    for _ in range(allowed):
        client = app.test_client()
        start(client, LIVER)
        complete_all_sections(client, LIVER, app)
        submit(client, "/check-answers", status=302)
    client = app.test_client()
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    page = check_page(client.get("/check-answers"))
    _too_many(client.post("/check-answers", data=hidden_fields(page)), 15)
    assert client.get("/tasks").status_code == 200  # nothing lost: the answers wait to be sent
