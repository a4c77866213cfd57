"""WCAG 2.2 AA as a tested property: axe-core on every page, at phone and desktop widths.

Each test walks a journey as a person would, error states included, and
audits every page it reaches at 375 and 1280 px (a screenshot of each goes to
test-artifacts/screenshots/pages/). Every page must also reflow at 320 px,
the width of a 1280 px screen zoomed to 400%, without scrolling sideways.
Failures are collected, so one run names every rule, element and page that fails.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.demo import make_demo
from app.extensions import db
from app.models import Clinic
from browser_helpers import answer_every_radio_group, axe_violations, has_errors, press
from clinician_helpers import sent_answer_sets
from journey_helpers import complete_all_sections, start, submit

pytestmark = pytest.mark.browser

SLUGS = ["breast-interstitial-laser-therapy", "liver-laser-ablation"]


def test_axe_names_the_rule_and_the_element(page):
    page.set_content('<html><head><title>Bad</title></head><body><main><img src="data:,"></main></body></html>')
    found = axe_violations(page)
    assert any(v.startswith("image-alt") and "['img']" in v for v in found), found
    assert any(v.startswith("html-has-lang") for v in found), found


@pytest.mark.fresh_app
def test_pages_outside_the_journey(app, page, live_server, audit):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # show the 500 page, as in production
    app.config["RESUME_LIMIT"] = "3 per 15 minutes"  # a wrong link, an empty code, a wrong code: then wait

    @app.get("/test-only-failure")
    def failure():
        raise RuntimeError("a deliberate failure for the 500 page")

    page.goto(live_server + "/")
    audit("start")
    page.goto(live_server + "/no-such-page")
    audit("not-found")
    page.goto(live_server + "/test-only-failure")
    audit("server-error")
    page.goto(live_server + "/resume/not-a-real-link")
    audit("resume-link-not-found")
    page.goto(live_server + "/resume")
    audit("resume")
    press(page, "Continue")
    assert has_errors(page)
    audit("resume-errors")
    page.fill("#code", "ABCD-EFGH")
    press(page, "Continue")
    assert has_errors(page)
    audit("resume-unknown-code")
    page.goto(live_server + "/resume/one-guess-too-many")
    assert page.locator("h1").inner_text() == "Please wait before trying again"
    audit("too-many-tries")
    audit.passed()


@pytest.mark.parametrize("slug", SLUGS)
def test_every_patient_page(page, live_server, audit, slug):
    short = slug.split("-")[0]
    page.goto(f"{live_server}/procedures/{slug}")
    audit(f"{short}-overview")
    page.goto(f"{live_server}/procedures/{slug}/benefits-and-risks")
    audit(f"{short}-benefits-and-risks")
    page.goto(f"{live_server}/procedures/{slug}")
    page.get_by_role("link", name="See all the questions").click()
    audit(f"{short}-all-questions")
    page.goto(f"{live_server}/procedures/{slug}")
    press(page, "Start now")
    code = page.inner_text(".app-resume-code")
    heard = page.locator("main").aria_snapshot()
    assert f"Your resume code is: {' '.join(code)}" in heard and code not in heard  # one character at a time
    audit(f"{short}-your-code")
    page.goto(live_server + "/tasks")
    audit(f"{short}-tasks")

    page.goto(live_server + "/about-you")
    audit(f"{short}-about-you")
    page.fill("#nhs_number", "123")
    page.check("input[name=interpreter][value=spoken]")
    page.fill("#appointment_date-day", "1")
    page.fill("#appointment_date-month", "1")
    page.fill("#appointment_date-year", "2020")
    press(page, "Save and continue")
    assert has_errors(page)
    audit(f"{short}-about-you-errors")
    page.fill("#nhs_number", "943 476 5919")
    page.fill("#language", "Welsh")
    page.fill("#appointment_date-year", "")
    page.fill("#appointment_date-month", "")
    page.fill("#appointment_date-day", "")
    press(page, "Save and continue")

    audit(f"{short}-about-the-procedure")
    press(page, "I have read this – continue")
    audit(f"{short}-journey-benefits-and-risks")
    press(page, "I have read this – continue")

    audit(f"{short}-questions")
    for box in page.locator("main input[type=checkbox]").all()[:4]:
        box.check()
    press(page, "Add another question")
    audit(f"{short}-questions-another")
    page.fill("#own-0-text", "Can my daughter come in with me?")
    page.eval_on_selector("#own-1-text", "e => e.value = 'x'.repeat(501)")
    press(page, "Save and continue")
    assert has_errors(page)
    audit(f"{short}-questions-errors")
    page.fill("#own-1-text", "")
    press(page, "Save and continue")

    audit(f"{short}-top-questions")
    for box in page.locator("main input[type=checkbox]").all()[:4]:
        box.check()
    press(page, "Save and continue")
    assert has_errors(page)
    audit(f"{short}-top-questions-errors")
    page.locator("main input[type=checkbox]").nth(3).uncheck()
    press(page, "Save and continue")

    # Radio-button sections: sent empty, then answered and saved; the last
    # one is saved after its session has ended, below.
    for section, option in [("what-matters", 0), ("consent", 1), ("where-you-are", 1)]:
        audit(f"{short}-{section}")
        press(page, "Save and continue")
        assert has_errors(page)
        audit(f"{short}-{section}-errors")
        answer_every_radio_group(page, option)
        if section != "where-you-are":
            press(page, "Save and continue")
    # The session ends before they press Save: the typed answers are carried
    # through the resume page.
    page.context.clear_cookies()
    press(page, "Save and continue")
    audit(f"{short}-session-ended")
    page.fill("#code", code)
    press(page, "Save my answers")

    page.wait_for_url("**/check-answers")
    assert "I'm leaning towards not having it" in page.inner_text("main")  # in the words the patient chose
    audit(f"{short}-check-answers")
    page.eval_on_selector("input[name=csrf_token]", "e => e.value = 'expired'")
    press(page, "Send my answers")
    assert "timed out" in page.inner_text(".nhsuk-main-wrapper")
    audit(f"{short}-check-answers-timed-out")
    press(page, "Send my answers")

    audit(f"{short}-confirmation")
    page.goto(live_server + "/summary")
    audit(f"{short}-summary")
    audit.passed()


def test_every_clinician_page(app, page, live_server, audit, make_clinician):
    client = app.test_client()
    with app.app_context():
        start(client, SLUGS[0])
        complete_all_sections(client, SLUGS[0], app)
    submit(client, "/check-answers", status=302)
    sent_answer_sets(app, 5, datetime(2026, 11, 2, 9), SLUGS, reviewed_every=2)
    admin_email, password = make_clinician("lead@example.org", role="admin")
    nurse_email, _ = make_clinician("nurse@example.org")

    page.goto(live_server + "/clinician/")
    audit("clinician-sign-in")
    press(page, "Sign in")
    assert has_errors(page)
    audit("clinician-sign-in-errors")
    page.fill("#email", admin_email)
    page.fill("#password", password)
    press(page, "Sign in")
    audit("clinician-submissions")
    page.fill("#sent_from-day", "31")
    page.fill("#sent_from-month", "2")
    page.fill("#sent_from-year", "2026")
    press(page, "Apply filters")
    assert has_errors(page)
    audit("clinician-submissions-errors")
    page.goto(live_server + "/clinician/?reference=NOPE")
    audit("clinician-submissions-none")

    page.goto(live_server + "/clinician/")
    with page.expect_navigation():
        page.locator("table.app-submissions tbody a").first.click()
    audit("clinician-submission")
    press(page, "Add note")
    assert has_errors(page)
    audit("clinician-submission-note-errors")
    press(page, "Mark as reviewed")
    audit("clinician-submission-reviewed")
    page.goto(live_server + "/clinician/audit")
    audit("clinician-audit")

    press(page, "Sign out")
    page.fill("#email", nurse_email)
    page.fill("#password", password)
    press(page, "Sign in")
    page.goto(live_server + "/clinician/audit")
    assert page.inner_text("h1") == "You do not have access to this page"
    audit("clinician-forbidden")
    audit.passed()


def test_every_clinic_page(app, page, live_server, audit):
    page.goto(live_server + f"/procedures/{SLUGS[0]}")
    press(page, "Start now")
    page.fill("#email", "not an email address")
    press(page, "Email me my link")
    assert has_errors(page)
    audit("patient-your-code-email-errors")

    with app.app_context():
        email, password, _ = make_demo()
        demo = db.session.scalar(sa.select(Clinic.id).where(Clinic.slug == "demo"))
    page.goto(live_server + "/clinician/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    press(page, "Sign in")
    for name, path in (("invitations", "invitations"), ("appointments", "appointments"), ("metrics", "metrics")):
        page.goto(live_server + f"/clinician/{path}?clinic={demo}")
        audit(f"clinician-{name}")
    page.goto(live_server + f"/clinician/invitations/new?clinic={demo}")
    audit("clinician-invitation-new")
    press(page, "Make the invitation")
    assert has_errors(page)
    audit("clinician-invitation-new-errors")
    page.select_option("#procedure", SLUGS[1])
    tomorrow = date.today() + timedelta(days=1)
    page.fill("#appointment_date-day", str(tomorrow.day))
    page.fill("#appointment_date-month", str(tomorrow.month))
    page.fill("#appointment_date-year", str(tomorrow.year))
    page.fill("#appointment_time", "2:30pm")
    page.fill("#name", "Ann Example")
    press(page, "Make the invitation")
    audit("clinician-invitation")
    page.goto(live_server + "/clinician/clinics")
    audit("clinician-clinics")
    press(page, "Make the clinic")
    assert has_errors(page)
    audit("clinician-clinics-errors")
    page.goto(live_server + "/clinician/clinics/demo")
    audit("clinician-clinic")
    audit.passed()
