"""A clinician signs in, finds a submission by its reference, opens it and downloads the PDF."""

from datetime import datetime

import pytest

from clinician_helpers import sent_answer_sets

pytestmark = pytest.mark.browser


def test_find_open_and_print_a_submission(page, live_server, screenshot, make_clinician, app):
    email, password = make_clinician()
    references = sent_answer_sets(app, 30, datetime(2026, 11, 2, 9),
                                  ["breast-interstitial-laser-therapy", "liver-laser-ablation"],
                                  reviewed_every=4)
    wanted = references[7]
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(live_server + "/clinician/")
    page.wait_for_url("**/clinician/sign-in**")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/clinician/")
    screenshot("clinician-01-submissions-1280")
    assert "30 submissions" in page.inner_text("main")

    page.fill("#reference", wanted)
    page.click("button:has-text('Apply filters')")
    assert page.locator("table.app-submissions tbody tr").count() == 1
    page.click(f"a:has-text('{wanted}')")
    page.wait_for_url(f"**/clinician/submissions/{wanted}")
    screenshot("clinician-02-submission-1280")

    with page.expect_download() as download:
        page.click("a:has-text('Download the PDF summary')")
    assert download.value.suggested_filename == f"procedure-summary-{wanted}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.click("button:has-text('Mark as reviewed')")
    assert "marked as reviewed" in page.inner_text("main")
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/clinician/sign-in")
    page.goto(live_server + f"/clinician/submissions/{wanted}")
    assert "/clinician/sign-in" in page.url
