"""An admin previews a draft, sees what it changes against the live version and publishes it; then patients.

Every content page is audited with axe at 375 and 1280 px, and screenshot
into test-artifacts/screenshots/pages/content-*.
"""

from __future__ import annotations

import pytest

from browser_helpers import has_errors, press
from journey_helpers import complete_all_sections, live, start
from support import check_page, edit, text_of

pytestmark = [pytest.mark.browser, pytest.mark.fresh_app]

LIVER = "liver-laser-ablation"
NEW_POINT = "Your team will tell you who to call if you feel unwell at home."


@pytest.fixture
def app(make_app, content_dir):
    return make_app(CONTENT_DIR=str(content_dir))


def draft_a_new_version(content_dir) -> None:
    """What an editor might do on a review: reword a step and a statement, add a consent point, set a new date."""
    edit(content_dir, f"{LIVER}.toml", "show the team where the fibres are and how the treatment is going.",
         "show the team where the fibres are. They also show how the treatment is going.")
    edit(content_dir, f"{LIVER}.toml", 'text = "Having fewer hospital appointments afterwards"',
         'text = "Not having many hospital appointments afterwards"')
    edit(content_dir, f"{LIVER}.toml", "review_by = 2027-12-01", "review_by = 2028-06-01")
    path = content_dir / f"{LIVER}.toml"
    path.write_text(path.read_text() + f'\n[[consent_points]]\nid = "who-to-call"\ntext = "{NEW_POINT}"\n')


def test_an_admin_previews_a_draft_sees_its_changes_and_publishes_it_for_the_next_patient(
        page, live_server, audit, app, content_dir, make_clinician):
    part_way = app.test_client()  # started on the version patients see now, and not sent yet
    start(part_way, LIVER)
    complete_all_sections(part_way, LIVER, app)
    old = live(app, LIVER)
    draft_a_new_version(content_dir)

    email, password = make_clinician("lead@example.org", role="admin")
    page.goto(live_server + "/clinician/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    press(page, "Sign in")
    with page.expect_navigation():
        page.click("nav a:has-text('Content')")
    assert "Ready to publish" in page.inner_text("table.app-content")
    audit("content")
    with page.expect_navigation():
        page.click("a:has-text('Laser ablation for liver tumours')")
    assert "Ready to publish" in page.inner_text("#draft")
    audit("content-versions")

    with page.expect_navigation():
        page.click("a:has-text('Preview the draft')")
    audit("content-preview")
    with page.expect_navigation():
        page.click("main a:has-text('About the procedure, before starting')")
    assert "This is how patients see this page" in page.inner_text(".app-preview-banner")
    audit("content-preview-procedure")
    press(page, "Start now")  # into the preview's first page, not a real start
    assert page.url.endswith("/preview/draft/about-you")
    page.goto(page.url.replace("/about-you", "/consent"))
    assert NEW_POINT in page.inner_text("main")
    audit("content-preview-consent")
    press(page, "Save and continue")
    assert has_errors(page)  # what a patient would be told; nothing is saved
    audit("content-preview-consent-errors")

    with page.expect_navigation():
        page.click("a:has-text('Back to the versions')")
    with page.expect_navigation():
        page.click("a:has-text('See what the draft changes')")
    changes = page.inner_text("main")
    review = page.locator("table.app-differences tbody tr").last.locator("td")
    assert [" ".join(t.split()[1:]) for t in review.all_inner_texts()] == [
        "Changed", "Review by", "1 December 2027", "1 June 2028"]  # each cell after its heading (on a phone)
    assert f"Consent information: {NEW_POINT}" in changes
    assert "(it used to say “Having fewer hospital appointments afterwards”)" in changes
    audit("content-changes")
    version = page.get_by_role("button", name="Publish version").inner_text().split()[-1]
    press(page, f"Publish version {version}")
    assert f"Version {version} is published" in page.inner_text(".nhsuk-notification-banner")
    audit("content-published")
    audit.passed()

    # The next patient starts on the new version; the one part way is moved on to it and told what changed.
    newcomer = app.test_client()
    start(newcomer, LIVER)
    assert NEW_POINT in text_of(check_page(newcomer.get("/consent")))
    assert live(app, LIVER).version == version != old.version
    banner = text_of(check_page(part_way.get("/tasks")).select_one(".nhsuk-notification-banner"))
    assert "updated after you started" in banner and NEW_POINT in banner
    assert "Check again" in text_of(check_page(part_way.get("/tasks")))
